"""Fonts every conforming reader draws: pdfium, Ghostscript and MuPDF print every page of every test
edition alike, in both PDF/X variants. A file with the fault that once shipped — a CFF subset that
keeps the original font's CIDs, embedded as WeasyPrint embeds it — makes them disagree, and fails
`layout check` with a message naming font and page."""
from __future__ import annotations

import io

import pytest
import weasyprint
from pypdf import PdfReader

from layout.check.fonts import read_program
from layout.check.preflight import check_pdf
from layout.check.renderers import TOLERANCE, agreement
from layout.cli import main
from layout.fonts import load_font_faces
from layout.geometry import page_geometry
from tests.conftest import MINI, NARROW, REPO, SAMPLE, TORTURE, fonttools_subset
from tests.photo_edition import PHOTO_DATE

TEXT = "港闸报讯 本报记者近日从区委获悉，全区各项决策部署落实到位，经济社会发展稳中向好。"


@pytest.fixture(scope="session")
def old_fault(tmp_path_factory) -> bytes:
    """A one-page PDF with the old fault: a fontTools subset of Noto Serif CJK as the engine once
    made them (it keeps the original CIDs, which are not its glyph indices), embedded by plain WeasyPrint
    as OpenType."""
    path = tmp_path_factory.mktemp("old-fault") / "subset.otf"
    fonttools_subset(load_font_faces(REPO / "fonts")["body"], TEXT).save(str(path))
    html = (f'<html lang="zh-CN"><style>@font-face{{font-family:old;src:url("{path.as_uri()}")}}'
            "@page{size:180mm 90mm;margin:10mm}body{font-family:old;font-size:14pt;"
            f"color:device-cmyk(0 0 0 1)}}h1{{font-size:30pt}}</style><h1>{TEXT[:6]}</h1><p>{TEXT * 3}</p></html>")
    return weasyprint.HTML(string=html).write_pdf()


def _report(figures: list[str], label: str, results) -> None:
    figures += [f"render agreement: {label} {result}" for result in results]


def test_the_old_cid_fault_makes_the_readers_disagree(old_fault, figures):
    results = agreement(old_fault)
    _report(figures, "(old CID fault, must disagree)", results)
    assert len(results) == 1 and not results[0].agrees
    assert results[0].worst > 2 * TOLERANCE and results[0].cells_over > 50


def test_layout_check_names_font_and_page_of_the_old_fault(old_fault, style, tmp_path, capsys):
    problems = check_pdf(old_fault, "old.pdf", page_geometry(style), 1)
    messages = [str(p) for p in problems if "CID table" in p.message]
    assert messages and all(m.startswith("old.pdf page 1: font ") for m in messages), problems
    assert any("do not resolve to a glyph through the font's CID table" in m and "Ghostscript, MuPDF" in m
               for m in messages)
    path = tmp_path / "old.pdf"
    path.write_bytes(old_fault)
    assert main(["check", str(path), "--renderers"]) == 1
    out = capsys.readouterr().out
    assert "old.pdf page 1: pdfium, Ghostscript and MuPDF disagree" in out


def _page_files(rendered):
    manifest = rendered.deliverables.manifest
    return [(page["file"], rendered.deliverables.files[page["file"]]) for page in manifest["pages"]]


@pytest.mark.parametrize("edition", ["sample", "torture", "narrow", "mini", "photos"])
def test_every_reader_prints_every_pdfx4_page_alike(edition, request, figures):
    _, rendered = request.getfixturevalue(edition)
    for name, data in _page_files(rendered):
        results = agreement(data)
        _report(figures, name, results)
        assert all(r.agrees for r in results), [str(r) for r in results]


def test_the_edition_pdf_prints_alike_too(sample, figures):
    _, rendered = sample
    manifest = rendered.deliverables.manifest
    results = agreement(rendered.deliverables.files[manifest["edition_pdf"]])
    _report(figures, manifest["edition_pdf"], results)
    assert len(results) == len(manifest["pages"]) and all(r.agrees for r in results)


@pytest.mark.parametrize("date", [SAMPLE, TORTURE, NARROW, MINI, PHOTO_DATE])
def test_every_reader_prints_every_pdfx1a_page_alike(date, x1a, figures):
    _, rendered = x1a
    for name, data in _page_files(rendered[date]):
        results = agreement(data)
        _report(figures, f"{name} (PDF/X-1a)", results)
        assert all(r.agrees for r in results), [str(r) for r in results]


def test_fonts_are_bare_cff_whose_cids_are_their_glyph_indices(any_edition):
    """What makes the readers agree: every CFF font is embedded as a bare CIDFontType0C program
    whose CID table maps each code to the glyph of the same index."""
    _, rendered = any_edition
    for _, data in _page_files(rendered):
        reader = PdfReader(io.BytesIO(data))
        for font in reader.pages[0]["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            if descendant["/Subtype"] != "/CIDFontType0":
                assert "/FontFile2" in descriptor       # TrueType: CIDToGIDMap /Identity
                continue
            assert descriptor["/FontFile3"].get_object()["/Subtype"] == "/CIDFontType0C"
            program = read_program(descriptor)
            assert program is not None and not program.wrapped
            assert program.cid_table and all(cid == gid for cid, gid in program.cid_table.items())


def test_layout_check_says_the_readers_printed_a_page_alike(sample, tmp_path, capsys):
    """--renderers ran three readers for seconds and said nothing when they agreed."""
    _, rendered = sample
    path = tmp_path / "page.pdf"
    path.write_bytes(rendered.deliverables.files[rendered.deliverables.manifest["pages"][0]["file"]])
    assert main(["check", str(path), "--renderers"]) == 0
    assert "page.pdf: pdfium, Ghostscript and MuPDF print 1 page alike (the largest difference" in \
        capsys.readouterr().out
