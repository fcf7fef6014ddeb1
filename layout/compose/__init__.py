"""Composer: a paragraph and a measure → lines, each a list of glyphs at exact x offsets.

Pure and fast; works in font units (1/1000 em of the text's size). Parts:
- units: text → unbreakable units (LB-4) with each character's set width (PC-1) and the removable
  blank of full-width marks (PC-3, PC-4, PC-6); ¼ em Han–Latin space (MX-1);
- breaking: where lines may end (LB-1/2/3 避头尾 = kinsoku; Latin words at their hyphenation
  points), piles of marks never broken (LB-6); in strict grid mode (纵横对齐) line by line, with
  hanging marks and cut words (LB-7, MX-3);
- totalfit: otherwise all breaks of a paragraph chosen together (Knuth–Plass), push-in before
  push-out (LB-5), no orphan character (JU-5 孤字);
- justify: flush lines (JU-1), shrink then stretch in the order of JU-2, no stretch inside units
  (JU-3), last lines solid (JU-4), loose lines flagged (JU-7).
The first-line indent (JU-6) is given by the caller.
"""
from __future__ import annotations

from ..fonts import FontMetrics
from ..style import PunctuationClasses
from .breaking import fix_orphan, next_break
from .justify import set_line
from .lines import Glyph, Line
from .totalfit import total_fit
from .units import GlyphForm, Unit, glyph_form, tokenize

__all__ = ["Glyph", "GlyphForm", "Line", "compose_paragraph", "glyph_form"]


def compose_paragraph(text: str, measure: float, metrics: FontMetrics, rules: PunctuationClasses,
                      first_indent: float = 0, start: int = 0, justify: bool = True,
                      bold: tuple[tuple[int, int], ...] = (), bold_metrics: FontMetrics | None = None) -> tuple[Line, ...]:
    """Break text[start:] into lines of `measure` units; the first line is indented `first_indent`.

    With justify=False every line is set solid, filled line by line, and no word is hyphenated
    (headlines, jump lines); otherwise every line but the last is flush on both edges. Text inside
    the `bold` spans is measured and set in `bold_metrics`.
    """
    units = tokenize(text, start, metrics, rules, hyphenate=justify, bold=bold, bold_metrics=bold_metrics)
    if not units:
        return ()
    if rules.strict_grid or not justify:
        ranges = _line_by_line(units, measure, first_indent, rules)
    else:
        ranges = total_fit(units, measure, first_indent, rules)
    lines = []
    for number, (s, e) in enumerate(ranges):
        indent = first_indent if number == 0 else 0
        last = number == len(ranges) - 1
        lines.append(set_line(units, s, e, measure - indent, indent, last or not justify, rules))
    return tuple(lines)


def _line_by_line(units: list[Unit], measure: float, first_indent: float,
                  rules: PunctuationClasses) -> list[tuple[int, int]]:
    """Each line as full as it can be: in strict grid mode, hanging a mark or cutting a word at the
    measure (LB-7, MX-3) — every character keeps its cell, so there is nothing to balance — and for
    lines set solid, which are not justified."""
    ranges: list[tuple[int, int]] = []
    s = 0
    while s < len(units):
        available = measure - (first_indent if not ranges else 0)
        e = next_break(units, s, available, rules)
        ranges.append((s, e))
        s = e + 1
    fix_orphan(units, ranges, measure, rules)
    return ranges
