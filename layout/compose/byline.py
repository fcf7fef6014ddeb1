"""Bylines (署名): `本报记者 王小明　通讯员 李强`, set solid after a story's text, wrapped like a
paragraph when the column is too narrow for them — between the byline's parts first (before a role,
at the full-width space between two names), then between a role and its name, never inside a name —
into as few lines as the column allows, the breaks the best the byline offers."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from ..fonts import FontMetrics
from ..style import PunctuationClasses
from .lines import Line
from .paragraph import compose_paragraph

_WORD = re.compile(r"[^\s\u3000]+")
UNBOUNDED = 1e9


def _break_rank(words: Sequence[re.Match], i: int, roles: Sequence[str]) -> int:
    """How good a break before words[i] is: before a role (3), between two names (2), between a role
    and its name (1)."""
    def is_role(word: str) -> bool:
        return any(word.endswith(role) for role in roles)
    if is_role(words[i].group()):
        return 3
    return 1 if is_role(words[i - 1].group()) else 2


def byline_lines(text: str, measure: float, metrics: FontMetrics, rules: PunctuationClasses,
                 roles: Sequence[str]) -> tuple[Line, ...]:
    """A byline in lines of at most `measure` font units, set solid: the fewest lines, then the
    breaks as good as they can be (`_break_rank`), then lengths as even as they can be. A name
    wider than the measure alone is broken where it must (it overflows no column)."""
    def solid(start: int, end: int) -> Line:
        line = compose_paragraph(text[start:end], UNBOUNDED, metrics, rules, justify=False)[0]
        return replace(line, start=line.start + start, end=line.end + start)

    words = list(_WORD.finditer(text))
    if not words:
        return ()
    whole = solid(words[0].start(), words[-1].end())
    if whole.width <= measure + 1e-6:
        return (whole,)
    # best[j]: (lines, badness of the breaks, unevenness) of words[:j] set, and where its last line starts.
    best: dict[int, tuple[tuple[int, int, float], int]] = {0: ((0, 0, 0.0), 0)}
    widths: dict[tuple[int, int], float] = {}
    for j in range(1, len(words) + 1):
        for i in range(j):
            if i not in best:
                continue
            width = widths.setdefault((i, j), solid(words[i].start(), words[j - 1].end()).width)
            if width > measure + 1e-6 and j - i > 1:
                continue
            (lines, breaks, uneven), _ = best[i]
            rank = 3 - _break_rank(words, i, roles) if i else 0
            cost = (lines + 1, breaks + rank ** 2, uneven + (measure - min(width, measure)) ** 2)
            if j not in best or cost < best[j][0]:
                best[j] = (cost, i)
    spans, j = [], len(words)
    while j:
        i = best[j][1]
        spans.append((i, j))
        j = i
    lines: list[Line] = []
    for i, j in reversed(spans):
        start, end = words[i].start(), words[j - 1].end()
        if widths[(i, j)] <= measure + 1e-6:
            lines.append(solid(start, end))
        else:        # one name wider than the column: broken where the composer must
            lines += [replace(line, start=line.start + start, end=line.end + start)
                      for line in compose_paragraph(text[start:end], measure, metrics, rules, justify=False)]
    return tuple(lines)
