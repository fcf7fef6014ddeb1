"""Bylines (署名): `本报记者 王小明　通讯员 李强`, set solid after a story's text, wrapped like a
paragraph when the column is too narrow for them — between the byline's parts first (before a role,
at the full-width space between two names), then between a role and its name, never inside a name —
into as few lines as the column allows, the breaks the best the byline offers."""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable, Sequence

from ..fonts import FontMetrics
from ..style import PunctuationClasses
from ..text import PADDED_NAME
from .headline import compose_headline
from .lines import Line
from .paragraph import compose_paragraph

# A byline's words: a role, a name — two characters padded by hand to three (胡　喆) are one name.
_WORD = re.compile(PADDED_NAME.pattern + r"|[^\s\u3000]+")
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
                 roles: Sequence[str], word_starts: Callable[[str], frozenset[int]]) -> tuple[Line, ...]:
    """A byline in lines of at most `measure` font units, set solid: the fewest lines, then the
    breaks as good as they can be (`_break_rank`), then lengths as even as they can be. A name or
    role wider than the measure alone is broken between its words (`word_starts`, as a headline's)
    or after a name's ·, else where it must (it overflows no column)."""
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
            # As even as can be, the last line aside: earlier lines full rather than the last.
            short = (measure - min(width, measure)) ** 2 if j < len(words) else 0.0
            cost = (lines + 1, breaks + rank ** 2, uneven + short)
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
        else:        # a name or role wider than the column: between its words (after a name's ·)
            word = text[start:end]
            broken = compose_headline(word, measure, metrics, rules, word_starts(word) | _after_interpuncts(word)) \
                or compose_paragraph(word, measure, metrics, rules, justify=False)
            lines += [replace(line, start=line.start + start, end=line.end + start) for line in broken]
    return tuple(lines)


def _after_interpuncts(word: str) -> frozenset[int]:
    """Where a transliterated name (艾合买提江·阿不都热合曼) may break: after its ·."""
    return frozenset(m.end() for m in re.finditer("·", word) if m.end() < len(word))
