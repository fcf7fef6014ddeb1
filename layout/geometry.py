"""Every geometry conversion lives here: mm → pt, font units → pt, grid (column, line) → pt.

Points are floats, rounded once, at the HTML boundary, by `css_pt`. The composer works in font units
(1/1000 em) so that line widths are exact integer sums.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

PT_PER_MM = 72 / 25.4
UNITS_PER_EM = 1000


def mm_to_pt(mm: float) -> float:
    return mm * PT_PER_MM


def pt_to_mm(pt: float) -> float:
    return pt / PT_PER_MM


def units_to_pt(units: float, size_pt: float) -> float:
    """Font units (1/1000 em) at a type size → points."""
    return units * size_pt / UNITS_PER_EM


def pt_to_units(pt: float, size_pt: float) -> int:
    return round(pt * UNITS_PER_EM / size_pt)


def rounded_pt(value: float) -> float:
    """The one place a point value is rounded: to 0.001 pt, as the HTML has it."""
    return round(value, 3)


def css_pt(value: float) -> str:
    """A point value for the HTML, rounded by rounded_pt."""
    text = f"{rounded_pt(value):.3f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text) + "pt"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


def matrix_product(m: tuple, n: tuple) -> tuple:
    """PDF matrices: m, then n (a point is transformed by m first)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


@dataclass(frozen=True)
class Rule:
    """A horizontal (y1 == y2) or vertical (x1 == x2) rule."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    color: str            # device-cmyk(…) from the house style


@dataclass(frozen=True)
class PageGeometry:
    """The page and its grid (GR-1, GR-5), in points; grid positions are 1-based."""

    trim_width: float
    trim_height: float
    bleed: float          # BleedBox beyond the trim
    slug: float           # MediaBox beyond the trim: bleed, crop marks and slug line
    type_left: float
    type_top: float
    body_size: float
    column_em: int
    gutter_em: int
    columns: int
    lines: int
    pitch: float

    @property
    def column_width(self) -> float:
        return self.column_em * self.body_size

    @property
    def gutter(self) -> float:
        return self.gutter_em * self.body_size

    @property
    def type_width(self) -> float:
        return units_to_pt(self.span_em(self.columns) * UNITS_PER_EM, self.body_size)

    @property
    def type_height(self) -> float:
        return self.lines * self.pitch

    def span_em(self, cols: int) -> int:
        """GR-3: an n-column span is n·c + (n−1)·g em."""
        return cols * self.column_em + (cols - 1) * self.gutter_em

    def grid_rect(self, col: int, cols: int, line: int, lines: int) -> Rect:
        """A block's rectangle relative to the type area's top-left corner."""
        x = (col - 1) * (self.column_width + self.gutter)
        return Rect(x=x, y=(line - 1) * self.pitch,
                    width=self.span_em(cols) * self.body_size, height=lines * self.pitch)

    def lines_for_height(self, height_pt: float) -> int:
        """Whole grid lines needed to hold `height_pt` (GR-6, GR-7)."""
        whole = Fraction(height_pt).limit_denominator(10**6) / Fraction(self.pitch).limit_denominator(10**6)
        return -(-whole.numerator // whole.denominator)


def page_geometry(style) -> PageGeometry:
    """The page of a house style (style.HouseStyle: not imported, the house style reads its own sizes
    through this module) in pt."""
    trim_w, trim_h = (mm_to_pt(v) for v in style.trim_mm)
    type_width = (style.columns * style.column_em + (style.columns - 1) * style.gutter_em) * style.body_size_pt
    return PageGeometry(
        trim_width=trim_w, trim_height=trim_h, bleed=mm_to_pt(style.bleed_mm), slug=mm_to_pt(style.print.slug_mm),
        type_left=(trim_w - type_width) / 2, type_top=mm_to_pt(style.type_area_top_mm),
        body_size=style.body_size_pt, column_em=style.column_em, gutter_em=style.gutter_em,
        columns=style.columns, lines=style.lines, pitch=style.line_pitch_pt)


# CJK fonts draw the ideographic em box from 0.12 em below to 0.88 em above the baseline; centring
# that box in a line puts the baseline here.
EM_BOX_ASCENT = 0.88


def grid_baseline(geometry: PageGeometry, line_index: int) -> float:
    """Baseline of body text on grid line `line_index` (0-based) of a block."""
    return line_index * geometry.pitch + (geometry.pitch - geometry.body_size) / 2 \
        + EM_BOX_ASCENT * geometry.body_size


def split_columns(span_units: int, count: int, gutter_units: int, mode: str) -> tuple[tuple[int, int], ...]:
    """GR-4/GR-9 破栏: split a span into `count` text columns → (offset, width) in font units.

    absolute: equal whole-em columns, the gutters absorb what is left;
    relative: whole-em columns, fixed gutters, the remainder given one em at a time from the last column;
    free: equal columns of any width, fixed gutters.
    """
    if count == 1:
        return ((0, span_units),)
    em = UNITS_PER_EM
    free_width = span_units - (count - 1) * gutter_units
    if mode == "free":
        widths = [free_width / count] * count
        gutters = [gutter_units] * (count - 1)
    elif mode == "absolute":
        width = (free_width // count) // em * em
        gap = (span_units - count * width) / (count - 1)
        widths, gutters = [width] * count, [gap] * (count - 1)
    else:
        base = (free_width // count) // em * em
        widths = [base] * count
        remainder = free_width - base * count
        index = count - 1
        while remainder >= em:
            widths[index] += em
            remainder -= em
            index = (index - 1) % count
        gutters = [gutter_units + remainder / (count - 1)] * (count - 1)
    out, offset = [], 0.0
    for i, width in enumerate(widths):
        out.append((round(offset), round(width)))
        offset += width + (gutters[i] if i < count - 1 else 0)
    return tuple(out)


def baseline_to_css_top(baseline: float, line_height: float, size: float, ascent: float, descent: float) -> float:
    """The CSS `top` of a one-line box of `line_height` whose text baseline must sit at `baseline`.

    CSS centres the font's content area (ascent + descent, in em) in the line box (half-leading).
    """
    half_leading = (line_height - (ascent + descent) * size) / 2
    return baseline - half_leading - ascent * size
