"""Name lists (名单) on a character grid: every name takes a cell of the house style's width (three
characters; a longer name, set solid, as many cells as it needs), the cells as many as the measure
holds with the house style's least white between them, spread so that a full line is flush on both
edges and the cells stand in columns from line to line. A name shorter than its cell is spread to
its width (均排: 张　三), a one-character one centred."""
from __future__ import annotations

import math
from typing import Sequence

from ..fonts import FontMetrics
from ..geometry import UNITS_PER_EM
from .lines import Glyph, Line


def names_lines(names: Sequence[str], measure: float, metrics: FontMetrics, cell_chars: int, gap_em: float,
                first: int = 0) -> tuple[Line, ...]:
    """names[first:] in lines of `measure` font units, in cells `cell_chars` wide at least `gap_em`
    apart; a line's start and end are indexes of names."""
    cell = cell_chars * UNITS_PER_EM
    per_line = max(1, int((measure + gap_em * UNITS_PER_EM) // (cell + gap_em * UNITS_PER_EM)))
    gap = (measure - per_line * cell) / (per_line - 1) if per_line > 1 else 0.0
    lines, row, used = [], [], 0
    for name in names[first:]:
        # A longer name takes as many cells as it needs, an em apart at least (7 characters: two).
        cells = min(per_line, 1 if len(name) <= cell_chars else math.ceil((len(name) + gap_em) / (cell_chars + gap_em)))
        if used + cells > per_line:
            lines.append(row)
            row, used = [], 0
        row.append((name, used, cells))
        used += cells
    if row:
        lines.append(row)
    out, start = [], first
    for number, row in enumerate(lines):
        out.append(_line(row, start, cell, gap, metrics, cell_chars, last=number == len(lines) - 1))
        start += len(row)
    return tuple(out)


def _line(row: list[tuple[str, int, int]], start: int, cell: float, gap: float, metrics: FontMetrics,
          cell_chars: int, last: bool) -> Line:
    glyphs = []
    for name, first_cell, cells in row:
        left = first_cell * (cell + gap)
        span = cells * cell + (cells - 1) * gap - UNITS_PER_EM      # from the first glyph's origin to the last's
        chars = list(name)
        if len(chars) == 1:
            offsets = [span / 2]
        elif len(chars) <= cell_chars:                     # spread over its cell
            offsets = [span * i / (len(chars) - 1) for i in range(len(chars))]
        else:                                              # a longer name is set solid
            offsets = [i * UNITS_PER_EM for i in range(len(chars))]
        glyphs += [Glyph(char=ch, x=left + offset, advance=metrics.advance(ch)) for ch, offset in zip(chars, offsets)]
    end = glyphs[-1].x + UNITS_PER_EM
    return Line(glyphs=tuple(glyphs), start=start, end=start + len(row), width=end, last=last)
