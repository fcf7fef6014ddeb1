"""The font check's parts, without a PDF: CMaps read as a reader reads them, glyph facts read from a
charstring's first operator agree with running it, and subsets whose CIDs are their glyph indices."""
from __future__ import annotations

import io

import pytest
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont

from layout.check.fonts import _charstring_facts, parse_cmap
from layout.fonts import load_font_faces, subset_font
from tests.conftest import REPO, fonttools_subset

TEXT = "港闸报讯，全区上下联动（2020年5月15日）。Hello 3,268 —— …… 　"


@pytest.fixture(scope="module")
def subset():
    return TTFont(io.BytesIO(subset_font(load_font_faces(REPO / "fonts")["body"], TEXT)))


def test_a_subset_s_cids_are_its_glyph_indices(subset):
    top = subset["CFF "].cff.topDictIndex[0]
    assert hasattr(top, "ROS")
    assert all(name == (f"cid{gid:05d}" if gid else ".notdef") for gid, name in enumerate(top.charset))
    # The same glyphs as a subset that keeps the original CIDs (what once shipped).
    old = fonttools_subset(load_font_faces(REPO / "fonts")["body"], TEXT)
    old_top = old["CFF "].cff.topDictIndex[0]
    old_name = old.getBestCmap()[ord("港")]
    assert int(old_name[3:]) != old.getGlyphID(old_name)
    for char in "港闸报，（Hello":
        outlines = []
        for font, font_top in ((old, old_top), (subset, top)):
            pen = RecordingPen()
            glyph = font_top.CharStrings[font.getBestCmap()[ord(char)]]
            glyph.draw(pen)
            outlines.append((pen.value, glyph.width))
        assert outlines[0] == outlines[1], char


def test_glyph_facts_from_the_first_operator_agree_with_running_the_charstring(subset):
    top = subset["CFF "].cff.topDictIndex[0]
    for name in top.charset:
        quick = _charstring_facts(top.CharStrings.getItemAndSelector(name)[0])
        charstring = top.CharStrings.getItemAndSelector(name)[0]
        pen = BoundsPen(None)
        charstring.draw(pen)
        assert quick == (pen.bounds is not None, charstring.width), name


def test_cmaps_map_codes_as_a_reader_does():
    encoding = parse_cmap(b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
        2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
        1 begincidrange <8140> <817E> 633 endcidrange
        1 begincidchar <41> 34 endcidchar endcmap""")
    assert encoding.codes(b"\x41\x81\x42\x41") == [b"\x41", b"\x81\x42", b"\x41"]
    assert encoding.lookup(b"\x81\x42") == 635 and encoding.lookup(b"\x41") == 34
    assert encoding.lookup(b"\x42") is None
    to_unicode = parse_cmap(b"""begincmap 1 begincodespacerange <0000> <FFFF> endcodespacerange
        2 beginbfrange <0010> <0012> <6E2F> <0020> <0021> [<0041> <D835DC00>] endbfrange
        1 beginbfchar <0005> <0033> endbfchar endcmap""")
    assert [to_unicode.lookup(bytes.fromhex(code)) for code in ("0010", "0012", "0021", "0005")] == \
        ["港", "渱", "𝐀", "3"]


def test_content_streams_are_read_as_operations():
    from layout.check.tokens import operations
    stream = (b"BT /F1 12 Tf % a comment\n(a\\(b\\)c\\101\\\nd (nested)) Tj [<00410042> -250 (x)] TJ ET\n"
              b"q BI /W 2 /H 1 /CS /G /BPC 8 ID \x00\xffEI\x00 EI Q /Na#20me cs 0.5 .5 -1 sc << /A [1 2] >> BDC")
    assert list(operations(stream)) == [
        ([], "BT"), (["/F1", 12.0], "Tf"), ([b"a(b)cAd (nested)"], "Tj"),
        ([[b"\x00A\x00B", -250.0, b"x"]], "TJ"), ([], "ET"), ([], "q"),
        ({"/W": 2.0, "/H": 1.0, "/CS": "/G", "/BPC": 8.0}, "INLINE IMAGE"), ([], "Q"),
        (["/Na me"], "cs"), ([0.5, 0.5, -1.0], "sc"), ([{"/A": [1.0, 2.0]}], "BDC")]
    with pytest.raises(ValueError):
        list(operations(b"(never closed Tj"))


def test_a_files_digest_is_kept_while_it_is_unchanged_and_taken_again_when_it_changes(tmp_path, monkeypatch):
    """Font files (tens of MB) are hashed against their pins at every command; the digest is kept
    by the file's signature (size, times, inode), so a change of the same size is hashed again."""
    import hashlib
    import time
    from layout import cachefile
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    font = tmp_path / "font.ttf"
    font.write_bytes(b"a")
    time.sleep(2 * cachefile.SLACK_NS / 1e9)          # a file being written is not kept
    assert cachefile.known_digest(font) == hashlib.sha256(b"a").hexdigest()

    def hashed_again(path):
        raise AssertionError("an unchanged file was hashed again")
    with monkeypatch.context() as patched:
        patched.setattr(cachefile, "file_digest", hashed_again)
        assert cachefile.known_digest(font) == hashlib.sha256(b"a").hexdigest()
    font.write_bytes(b"b")
    assert cachefile.known_digest(font) == hashlib.sha256(b"b").hexdigest()
