"""What WeasyPrint 70 writes for one box of glyphs set at a letter-spacing: where a PDF reader
finds each glyph, to the last rounding. The page builder chooses spacings and splits boxes by it.

Pango splits a box's letter-spacing S (in Pango units, 1/1024 px) into a part it adds to each glyph's
x offset (every glyph but the first) and the rest it adds to the glyph's width. WeasyPrint writes
each glyph as its offset, in thousandths of an em but scaled by 1024/1000 (`x_offset / font_size` in
draw/text.py), then the glyph, then the difference between the font's advance and the width it was
given, truncated to whole thousandths (`int(kerning)`). A run set at one spacing therefore drifts
from where Pango put it, by a deterministic amount this module computes; the model is checked
against pdfium in tests/test_written_positions.py.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Sequence

PANGO_SCALE = 1024          # Pango units per CSS pixel
PX_PER_PT = 1. / 0.75       # as WeasyPrint converts a CSS pt length (the same float arithmetic)


def pango_size(size_pt_css: float) -> int:
    """The Pango size (1/1024 px) of `font-size: <size_pt_css>pt`, as WeasyPrint sets it."""
    return int(size_pt_css * PX_PER_PT * PANGO_SCALE)


def pango_to_pt(units: float) -> float:
    return units / PANGO_SCALE / PX_PER_PT


def written_size_pt(size: int) -> float:
    """The size the PDF draws a font at whose Pango size is `size`."""
    return pango_to_pt(size)


def _pango_advance(advance: int, size: int) -> int:
    """A glyph's advance (thousandths of an em) as HarfBuzz gives it to Pango: whole Pango units."""
    return round(advance * size / 1000)


def spacing_css(spacing: int) -> str:
    """A letter-spacing of `spacing` Pango units as CSS that WeasyPrint reads back to that integer:
    a multiple of 1/1024 px is exact in binary and in decimal."""
    return "0" if spacing == 0 else f"{spacing / PANGO_SCALE!r}px"


def _split(spacing: int) -> tuple[int, int]:
    """(offset, rest): the part of the spacing Pango adds to a glyph's x offset and to the width of
    the glyph before it (pango_glyph_item_letter_space: half, truncated, rounded to whole pixels when
    the spacing is whole pixels)."""
    offset = int(spacing / 2)
    if spacing % PANGO_SCALE == 0:
        offset = (offset + PANGO_SCALE // 2) & ~(PANGO_SCALE - 1)
    return offset, spacing - offset


@lru_cache(maxsize=65536)
def _step(advance: int, spacing: int, size: int, first: bool) -> tuple[float, float]:
    """(offset, pen advance) WeasyPrint writes for one glyph, in thousandths of an em."""
    offset_units, rest = _split(spacing)
    font_size = size / PANGO_SCALE
    width = _pango_advance(advance, size) + (rest if first else spacing)
    offset = 0.0 if first else offset_units / font_size
    kerning = advance + offset - width * 1000 / PANGO_SCALE / font_size
    return offset, offset + advance - math.trunc(kerning)


def written_pitch(advance: int, spacing: int, size: int) -> float:
    """How far the PDF moves from a glyph of this advance to the next, both inside a box (or after
    a LEAD), in thousandths of an em."""
    return _step(advance, spacing, size, False)[1]


# WORD JOINER: an empty glyph a box may start with. Pango gives it the box's first spacing step, so
# every real glyph is set like a middle one: they all carry the same written offset, and every gap
# between them is written alike. WeasyPrint draws no glyph for it and extracted text has nothing.
LEAD = "\u2060"


def written_positions(advances: Sequence[int], spacing: int, size: int, lead: bool = False) -> list[float]:
    """Each glyph's x, in thousandths of an em from the box's left edge, as the PDF has it, for
    glyphs of these advances (thousandths of an em) set at `spacing` (Pango units) and Pango `size`,
    after a LEAD if `lead`."""
    positions, pen = [], 0.0
    if lead:      # WeasyPrint writes an empty glyph as its width (its share of the spacing) / font size
        pen = _split(spacing)[1] / (size / PANGO_SCALE)
    for index, advance in enumerate(advances):
        offset, step = _step(advance, spacing, size, index == 0 and not lead)
        positions.append(pen + offset)
        pen += step
    return positions


def pango_width(advances: Sequence[int], spacing: int, size: int, lead: bool = False) -> int:
    """How far Pango moves on after a box (Pango units): its glyphs' advances and the spacing after
    each glyph, the last one's (and a LEAD's) too; the next box of a line starts there."""
    return sum(_pango_advance(advance, size) for advance in advances) + (len(advances) + lead) * spacing
