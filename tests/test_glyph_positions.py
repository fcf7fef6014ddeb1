"""PC-2: the pinned fonts, subset and rendered as the engine does, draw marks in zh-Hans positions."""
from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from layout.fonts import font_family, load_font_faces, subset_fonts
from tests.conftest import REPO, write_pdf

SIZE = 100.0


def _ink_centre(role: str, ch: str, lang: str) -> tuple[float, float]:
    """Ink centre of `ch` relative to its em box, as fractions (0,0) = bottom-left, (1,1) = top-right."""
    font = subset_fonts({role: {ch}}, load_font_faces(REPO / "fonts"))[font_family(role)]
    html = (f'<html lang="{lang}"><style>@font-face{{font-family:F;src:url("{font.url}")}}'
            "@page{size:200pt 200pt;margin:0}"
            f"span{{position:absolute;left:50pt;top:50pt;font-family:F;font-size:{SIZE}pt;line-height:1}}"
            f"</style><span>{ch}</span></html>")
    text = pdfium.PdfDocument(write_pdf(html, [font]))[0].get_textpage()
    left, bottom, right, top = text.get_charbox(0)
    box_left, box_bottom = 50.0, 200.0 - 50.0 - SIZE           # the em box of a 1-em line box
    return ((left + right) / 2 - box_left) / SIZE, ((bottom + top) / 2 - box_bottom) / SIZE


@pytest.mark.parametrize("ch", ["。", "，", "、"])
def test_pc2_pause_and_stop_marks_sit_lower_left(ch):
    x, y = _ink_centre("body", ch, "zh-CN")
    assert x < 0.5 and y < 0.5, (x, y)


@pytest.mark.parametrize("ch", ["？", "！"])
def test_pc2_question_and_exclamation_sit_left(ch):
    x, _ = _ink_centre("body", ch, "zh-CN")
    assert x < 0.5


def test_pc2_opening_marks_ink_right_closing_left():
    assert _ink_centre("body", "“", "zh-CN")[0] > 0.5
    assert _ink_centre("body", "”", "zh-CN")[0] < 0.5
    assert _ink_centre("body", "（", "zh-CN")[0] > 0.5
