"""The narrow-column edition (tests/editions/2020-06-04): technology copy — product names, units, a
DOI and a web address — in 破栏 columns of 8 to 10 em, threaded over two pages; and the spacing
figures every test edition must meet, measured on the PDF."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from layout.check.pdftext import pdf_glyphs
from tests.conftest import NARROW


def _body_lines(rendered, story: str):
    return [placed.line for page in rendered.flow.pages for block in page.blocks if block.story == story
            for placed in block.lines if placed.kind == "body"]


def test_the_stories_thread_over_two_pages_in_re_columned_blocks(narrow):
    _, rendered = narrow
    fits = {fit.story: fit for fit in rendered.flow.fits}
    assert rendered.deliverables.manifest["edition"] == NARROW
    for story, columns, widths in (("chips", 3, [8, 8, 9]), ("battery", 4, [9, 9, 10, 10])):
        fit = fits[story]
        assert [b.page for b in fit.blocks] == [1, 2] and fit.overset_lines == 0
        assert all(b.lines_used for b in fit.blocks), f"{story} does not reach page 2"
        first = fit.blocks[0]
        assert first.text_columns == columns
        assert [round(w / 9) for _, _, w, _ in first.frames] == widths    # GR-9 relative: whole ems


def test_latin_words_break_at_their_hyphenation_points_and_the_address_anywhere(narrow):
    _, rendered = narrow
    lines = _body_lines(rendered, "chips")
    hyphenated = [line.text for line in lines if line.hyphenated]
    assert hyphenated and all(text.endswith("-") for text in hyphenated)
    assert any("Open-" == text[-5:] for text in hyphenated)
    text = "".join(line.text[:-1] if line.hyphenated else line.text for line in lines)
    assert "https://www.example.org/riscv/benchmarks/2022/index.html" in text
    address_lines = [line.text for line in lines if any(part in line.text for part in ("example", "benchmarks"))]
    assert len(address_lines) >= 2 and not any(t.endswith("-") for t in address_lines)


def test_units_are_never_split(narrow):
    _, rendered = narrow
    for story in ("chips", "battery", "market"):
        lines = [line.text for line in _body_lines(rendered, story)]
        for unit in ("Sv39/Sv48", "2.5GHz", "SPECint2006", "-40℃", "3,268", "175Wh/kg", "58.3%", "10GWh"):
            for a, b in zip(lines, lines[1:]):
                joined = a + b
                at = joined.find(unit)
                assert at < 0 or not (at < len(a) < at + len(unit)), (story, unit, a, b)


@pytest.mark.parametrize("edition", ["sample", "torture", "narrow", "mini", "mixed"])
def test_han_gaps_stay_within_the_house_limits(edition, request, figures):
    """No gap between two Han characters wider than the loose limit (JU-7, ½ em); fewer than 1 % of
    the lines with one wider than `spread_gap_em` (¼ em)."""
    _, rendered = request.getfixturevalue(edition)
    rules = rendered.style.punctuation
    typography = rendered.typography
    lines = sum(t.lines for t in typography)
    spread = [label for t in typography for label in t.spread]
    widest = max(t.widest_gap for t in typography)
    figures.append(f"Han gaps, {edition}: {len(spread)} of {lines} lines over {rules.spread_gap} em "
                   f"({len(spread) / lines:.1%}), widest {widest} em")
    assert widest <= rules.loose_gap
    assert len(spread) < lines / 100, spread


def test_han_beyond_the_bmp_is_set_and_measured_like_any_han(narrow, metrics):
    """𰻝 (U+30EDD) and 𠮷 (U+20BB7): composed at 1 em, and read by the preflight as one character
    each (pdfium reports them as surrogate pairs)."""
    _, rendered = narrow
    lines = [line for line in _body_lines(rendered, "market") if "𰻝" in line.text or "𠮷" in line.text]
    assert lines and all(g.advance == 1000 for line in lines for g in line.glyphs if ord(g.char) > 0xFFFF)
    pdf = pdfium.PdfDocument(rendered.deliverables.files[rendered.deliverables.manifest["pages"][0]["file"]])
    text = "".join(g.char for g in pdf_glyphs(pdf, 0, rendered.geometry.trim_height, metrics))
    assert "“𰻝𰻝面”“𠮷野家”" in text
    market = next(t for t in rendered.typography if t.story == "market")
    assert market.violations == 0


def test_characters_the_body_font_lacks_are_set_by_its_fallback(narrow, metrics):
    """LiFePO₄, Li⁺, CO₂, m²: Noto Serif CJK has no ₄ ⁺ ₂; the body role's fallback (Noto Serif)
    sets them, measured by the composer in that font and embedded as its own subset."""
    _, rendered = narrow
    body = metrics["body"]
    for ch in "₄⁺₂":
        assert body.covers(ch) and not body.covers_itself(ch) and body.fallback[ch] == 1
    lines = [line for line in _body_lines(rendered, "battery") if any(ch in line.text for ch in "₄⁺₂")]
    assert len(lines) >= 2
    assert all(g.advance == body.advance(g.char) for line in lines for g in line.glyphs)
    files = rendered.deliverables.files
    for page in rendered.deliverables.manifest["pages"]:
        pdf = pdfium.PdfDocument(files[page["file"]])
        fonts = {g.char: g.role for g in pdf_glyphs(pdf, 0, rendered.geometry.trim_height, metrics)}
        assert all(fonts[ch] == "body" for ch in "₄⁺₂" if ch in fonts)
    names = {str(font.get_object()["/BaseFont"]).split("+", 1)[1]
             for page in rendered.deliverables.manifest["pages"]
             for font in PdfReader(io.BytesIO(files[page["file"]])).pages[0]["/Resources"]["/Font"].values()}
    assert "layout-body-fallback-1" in names
