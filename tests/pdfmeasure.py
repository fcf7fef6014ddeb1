"""Measure a rendered PDF the way a reader's tools do: glyph origins and boxes from pypdfium2."""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c


@dataclass(frozen=True)
class PdfChar:
    char: str
    x: float          # origin, pt from the trim box's left edge
    baseline: float   # pt from the trim box's top edge
    right: float      # right edge of pdfium's loose box


def page_chars(pdf: pdfium.PdfDocument, index: int, trim_height: float) -> list[PdfChar]:
    page = pdf[index]
    text = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    chars = []
    for i in range(text.count_chars()):
        ch = text.get_text_range(i, 1)
        if not ch.strip():
            continue
        pdfium_c.FPDFText_GetCharOrigin(text.raw, i, x, y)
        left, _, right, _ = text.get_charbox(i, loose=True)
        chars.append(PdfChar(char=ch, x=x.value, baseline=trim_height - y.value, right=right))
    return chars


def text_in(chars: list[PdfChar], left: float, top: float, right: float, bottom: float) -> str:
    """Characters whose advance box is centred in the rectangle (within 1 pt: a mark at a line edge
    has half its box outside the column; gutters are far wider), in the order the PDF draws them."""
    return "".join(c.char for c in chars
                   if left - 1 <= (c.x + c.right) / 2 <= right + 1 and top <= c.baseline <= bottom)
