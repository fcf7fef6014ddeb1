"""Composed lines for the flow: each text kind set in its font and size, each composition once
(or taken from an earlier flow), and set on the rows of a frame."""
from __future__ import annotations

from typing import Mapping

from ..compose import Line, byline_lines, compose_paragraph
from ..compose.headline import compose_headline, widest_word, word_starts
from ..compose.kept import Compositions
from ..fonts import FontMetrics
from ..geometry import PageGeometry, Rect, UNITS_PER_EM, grid_baseline, pt_to_units, units_to_pt
from ..style import HouseStyle
from .placed import PlacedLine


class Setter:
    """Composes text of a given kind with the right font and size; each composition once, or taken
    from an earlier flow (compose.kept)."""

    def __init__(self, style: HouseStyle, metrics: Mapping[str, FontMetrics],
                 compositions: Compositions | None = None):
        self.style = style
        self.metrics = metrics
        self.compositions = compositions or Compositions()    # and headlines' widest words

    def size(self, kind: str) -> float:
        return self.style.text[kind].size_pt

    def lines(self, kind: str, text: str, measure_pt: float, justify: bool = True, start: int = 0,
              indent_em: float = 0, size: float | None = None,
              bold: tuple[tuple[int, int], ...] = ()) -> tuple[Line, ...]:
        size = size or self.size(kind)
        return self.compositions.composed(
            (kind, text, round(measure_pt, 6), justify, start, indent_em, size, bold),
            lambda: compose_paragraph(
                text, pt_to_units(measure_pt, size), self.metrics[self.style.text[kind].font],
                self.style.punctuation, first_indent=indent_em * UNITS_PER_EM, start=start, justify=justify,
                bold=bold, bold_metrics=self.metrics[self.style.text["bold"].font] if bold else None))

    def headline_lines(self, kind: str, text: str, measure_pt: float, size: float) -> tuple[Line, ...]:
        """A headline group text set solid, broken where the editor broke it, and else only between
        words into lines as even as they can be (a word wider than the measure is broken where the
        composer must: `too_wide_word` names it)."""
        def compose() -> tuple[Line, ...]:
            lines = []
            for part in text.split("\n"):
                composed = compose_headline(part, pt_to_units(measure_pt, size), self.metrics[self.style.text[kind].font],
                                            self.style.punctuation, self._word_starts(part))
                lines += composed if composed is not None else self.lines(kind, part, measure_pt, justify=False,
                                                                          size=size)
            return tuple(lines)
        return self.compositions.composed(("headline", kind, text, round(measure_pt, 6), size), compose)

    def too_wide_word(self, kind: str, text: str, measure_pt: float, size: float) -> tuple[str, float] | None:
        """The widest word of a headline group text, and its width in pt, if it is wider than the measure."""
        # In font units the widest word is the same at every size: found once per text, then scaled.
        word, width = self.compositions.composed(("widest", kind, text), lambda: max(
            (widest_word(part, self.metrics[self.style.text[kind].font], self.style.punctuation,
                         self._word_starts(part)) for part in text.split("\n")), key=lambda w: w[1]))
        return (word, units_to_pt(width, size)) if units_to_pt(width, size) > measure_pt + 1e-6 else None

    def fitted_size(self, kind: str, text: str, measure_pt: float, size: float) -> float:
        """The size a headline is set at: its own, or — where the house style allows fitting down
        (headline_group.min_size) and a word is wider than the measure — the largest 号 size down to
        the minimum at which every word fits."""
        smallest = self.style.headline_min_size
        if smallest is None or not self.too_wide_word(kind, text, measure_pt, size):
            return size
        for smaller in sorted({pt for pt in self.style.hao.values() if smallest <= pt < size}, reverse=True):
            if not self.too_wide_word(kind, text, measure_pt, smaller):
                return smaller
        return size

    def _word_starts(self, text: str) -> frozenset[int]:
        return word_starts(text, self.style.headline_measure_words, self.style.headline_words)

    def byline_lines(self, text: str, measure_pt: float) -> tuple[Line, ...]:
        return self.compositions.composed(("byline", text, round(measure_pt, 6)), lambda: byline_lines(
            text, pt_to_units(measure_pt, self.size("byline")), self.metrics[self.style.text["byline"].font],
            self.style.punctuation, self.style.byline_roles, self._word_starts))

    def one_line(self, kind: str, text: str) -> Line:
        return self.lines(kind, text, 1e6, justify=False)[0]


def too_wide(line: Line, size: float, measure: float) -> float | None:
    """The line's width in pt when it is wider than `measure` (pt), else None."""
    width = units_to_pt(line.width, size)
    return width if width > measure + 0.01 else None


def inside(lines: list[PlacedLine], height: float) -> list[PlacedLine]:
    """The lines of a block that lie within its `height`: given more than it holds (a proof), a block
    shows what fits rather than text over its neighbours."""
    return [line for line in lines if line.baseline <= height]


def row_line(kind: str, line: Line, flush_right: bool, paragraph_end: bool, frame: Rect, grid_line: int,
              geometry: PageGeometry, setter: Setter, source_line: int | None = None) -> PlacedLine:
    x = frame.x
    if flush_right:
        x += frame.width - units_to_pt(line.width, setter.size(kind))
    return PlacedLine(kind=kind, x=x, baseline=grid_baseline(geometry, grid_line), line=line,
                      measure=frame.width, paragraph_end=paragraph_end, source_line=source_line)
