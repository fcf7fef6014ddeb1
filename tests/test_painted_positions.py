"""Every glyph of every line stands where the composer put it, read back from the page files by
pdfium (not from the engine's own data): within GLYPH_PT, and a justified line's right edge within
EDGE_PT. The page builder draws lines as few boxes as WeasyPrint can write that exactly
(layout/render/written.py); this is what keeps it honest."""
from __future__ import annotations

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from layout.check.pdftext import visible_characters
from layout.flow import line_size
from layout.geometry import units_to_pt

GLYPH_PT = 0.05
EDGE_PT = 0.01


def _read(pdf: bytes, trim_height: float) -> list[tuple[str, float, float, float]]:
    """(character, origin x, baseline, font size in pt) of every visible character, on the trim box
    (pdfium reads a page file's crop box, which is its trim box; WeasyPrint sets text in CSS pixels,
    0.75 pt each)."""
    page = pdfium.PdfDocument(pdf)[0]
    text = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    found = []
    for i, character in visible_characters(text):
        pdfium_c.FPDFText_GetCharOrigin(text.raw, i, x, y)
        found.append((character, x.value, trim_height - y.value, pdfium_c.FPDFText_GetFontSize(text.raw, i) * 0.75))
    return found


def _lines(page, geometry, style):
    """(line, its left edge and top on the trim box) for every line of a placed page."""
    for block in page.blocks:
        for placed in block.lines:
            yield placed, geometry.type_left + block.rect.x, geometry.type_top + block.rect.y
    for placed in page.furniture:
        yield placed, 0.0, 0.0


@pytest.mark.parametrize("edition", ["sample", "torture", "narrow", "makeup", "mixed"])
def test_every_glyph_is_painted_where_it_was_composed(edition, request):
    _, rendered = request.getfixturevalue(edition)
    geometry, style = rendered.geometry, rendered.style
    worst_glyph = worst_edge = 0.0
    checked = 0
    for page, result in zip(rendered.flow.pages, rendered.pages):
        painted = _read(result.pdf, geometry.trim_height)
        for placed, left, top in _lines(page, geometry, style):
            glyphs = [g for g in placed.line.glyphs if g.char.strip()]
            if not glyphs:
                continue
            size = line_size(placed, style)
            baseline = top + placed.baseline
            start = left + placed.x + units_to_pt(glyphs[0].x, size)
            end = left + placed.x + units_to_pt(glyphs[-1].x + glyphs[-1].advance, size)
            row = sorted((p for p in painted if abs(p[2] - baseline) < 0.3 and start - 0.1 <= p[1] < end - 0.1),
                         key=lambda p: p[1])
            wanted = glyphs
            assert "".join(p[0] for p in row) == "".join(g.char for g in wanted), \
                f"page {page.number}: line '{placed.line.quoted}' is painted as '{''.join(p[0] for p in row)}'"
            for index, (p, g) in enumerate(zip(row, wanted)):
                if index and p[1] == row[index - 1][1]:
                    continue      # characters drawn as one glyph (—— as a 2-em dash) are read at its origin
                off = abs(p[1] - (left + placed.x + units_to_pt(g.x, size)))
                worst_glyph = max(worst_glyph, off)
                assert off <= GLYPH_PT, f"page {page.number}: '{g.char}' of '{placed.line.quoted}' is {off:.3f} pt off"
            last, painted_last = wanted[-1], row[-1]
            edge = abs(painted_last[1] + last.advance * painted_last[3] / 1000 - end)
            worst_edge = max(worst_edge, edge)
            assert edge <= EDGE_PT, f"page {page.number}: '{placed.line.quoted}' ends {edge:.4f} pt off"
            checked += len(wanted)
    assert checked > 500
    print(f"{edition}: {checked} glyphs, worst {worst_glyph:.4f} pt, worst line end {worst_edge:.4f} pt")


@pytest.mark.parametrize("edition", ["sample", "torture", "narrow", "makeup", "mixed"])
def test_a_line_set_solid_is_plain_text_as_the_boxes_would_give_it(edition, request):
    """The page builder's shortcut for em-wide glyphs set solid gives what its general path gives."""
    from layout.page import _boxed_line_html, _solid_line_text
    _, rendered = request.getfixturevalue(edition)
    style, metrics = rendered.style, rendered.metrics
    solid = total = 0
    for page in rendered.flow.pages:
        for placed, _, _ in _lines(page, rendered.geometry, style):
            total += 1
            text = _solid_line_text(placed, style, metrics)
            if text is not None:
                solid += 1
                assert text == _boxed_line_html(placed, style, metrics), placed.line.text
    assert solid, "no line took the shortcut"
    print(f"\n{edition}: {solid} of {total} lines plain text without the box search")
