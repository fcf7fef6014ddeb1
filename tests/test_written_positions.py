"""The model of what WeasyPrint writes (layout/render/written.py) against pdfium reading the PDF:
boxes of Han, Latin and punctuation at random letter-spacings and sizes, with and without a leading
word joiner, chained in lines of preformatted text as the page builder draws them."""
from __future__ import annotations

import ctypes
import random

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from layout.check.pdftext import visible_characters
from layout.fonts import font_family, load_fonts, subset_fonts
from layout.render.written import LEAD, PANGO_SCALE, pango_size, pango_width, spacing_css, written_positions, written_size_pt
from tests.conftest import REPO, write_pdf

CHARACTERS = "国中一，。“”、abcdefgWMil0123456789ABC-/.%"
LEFT = 20.0


@pytest.fixture(scope="module")
def body():
    faces, metrics = load_fonts(REPO / "fonts")
    return subset_fonts({"body": set(CHARACTERS)}, faces)[font_family("body")], metrics["body"]


def _painted_rows(html: str, font, height: float) -> list[list[float]]:
    """The origins of the characters of each text line, top to bottom."""
    text = pdfium.PdfDocument(write_pdf(html, [font]))[0].get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    rows: dict[float, list[float]] = {}
    for i, _ in visible_characters(text):
        pdfium_c.FPDFText_GetCharOrigin(text.raw, i, x, y)
        rows.setdefault(round(height - y.value, 1), []).append(x.value)
    return [rows[key] for key in sorted(rows)]


def _document(font, size_pt: float, height: float, body_html: str) -> str:
    return (f'<html lang="zh-CN"><style>@font-face{{font-family:F;src:url("{font.url}")}}'
            f"@page{{size:900pt {height}pt;margin:0}}"
            f"div{{position:absolute;left:{LEFT}pt;top:10pt;width:800pt;white-space:pre;font-family:F;"
            f"font-size:{size_pt}pt;line-height:{size_pt * 1.5}pt;font-kerning:none;font-variant-ligatures:none;"
            f'font-feature-settings:"kern" 0,"liga" 0,"palt" 0,"locl" 0}}</style><body><div>{body_html}</div></body></html>')


@pytest.mark.parametrize("size_pt", [9.0, 10.5, 13.0, 22.0, 7.7, 36.0])
def test_a_line_of_boxes_is_written_where_the_model_says(body, size_pt):
    font, metrics = body
    rng = random.Random(size_pt)
    size = pango_size(size_pt)
    lines = []
    for _ in range(60):
        boxes = [("".join(rng.choice(CHARACTERS) for _ in range(rng.randint(1, 12))),
                  rng.choice([0, 0, PANGO_SCALE, -PANGO_SCALE, rng.randint(-600, 3000)]), rng.random() < 0.5)
                 for _ in range(rng.randint(1, 4))]
        lines.append((rng.choice([0.0, 0.0, 2 * size_pt, -size_pt / 2, 3.3]), boxes))

    def line_html(margin, boxes):
        html = ""
        for index, (text, spacing, lead) in enumerate(boxes):
            declarations = ([f"margin-left:{margin}pt"] if index == 0 and margin else []) + \
                ([f"letter-spacing:{spacing_css(spacing)}"] if spacing else [])
            text = (LEAD if lead else "") + text
            html += f'<span style="{";".join(declarations)}">{text}</span>' if declarations else text
        return html

    height = 20 + len(lines) * size_pt * 1.5
    painted = _painted_rows(_document(font, size_pt, height, "\n".join(line_html(*line) for line in lines)), font,
                            height)
    assert len(painted) == len(lines)
    em = written_size_pt(size) / 1000
    worst = 0.0
    for (margin, boxes), origins in zip(lines, painted):
        modelled, start = [], LEFT + margin
        for text, spacing, lead in boxes:
            advances = [metrics.advance(ch) for ch in text]
            modelled += [start + position * em for position in written_positions(advances, spacing, size, lead)]
            start += pango_width(advances, spacing, size, lead) / PANGO_SCALE * 0.75
        assert len(origins) == len(modelled)
        worst = max(worst, max(abs(a - b) for a, b in zip(origins, modelled)))
    # Pango rounds each glyph's advance to its units; plain text runs merged into one box round once.
    assert worst < 0.003, worst
