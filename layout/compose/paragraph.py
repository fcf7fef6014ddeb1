"""A paragraph and a measure → lines: units, then breaks (total fit, or line by line), then each
line set (justify)."""
from __future__ import annotations

from ..fonts import FontMetrics
from ..style import PunctuationClasses
from .breaking import fix_orphan, next_break
from .justify import set_line
from .lines import Line
from .totalfit import total_fit
from .units import Unit, tokenize


def compose_paragraph(text: str, measure: float, metrics: FontMetrics, rules: PunctuationClasses,
                      first_indent: float = 0, start: int = 0, justify: bool = True,
                      bold: tuple[tuple[int, int], ...] = (), bold_metrics: FontMetrics | None = None) -> tuple[Line, ...]:
    """Break text[start:] into lines of `measure` units; the first line is indented `first_indent`.

    With justify=False every line is set solid, filled line by line, and no word is hyphenated
    (headlines, jump lines); otherwise every line but the last is flush on both edges. Text inside
    the `bold` spans is measured and set in `bold_metrics`.
    """
    units = tokenize(text, start, metrics, rules, hyphenate=justify, bold=bold, bold_metrics=bold_metrics,
                     measure=measure)
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
