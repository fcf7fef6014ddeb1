"""Headline lines (标题): set solid, broken only between words — never inside a word, a name or a
number with its unit (`300万剂次`, `第五十次`) — into as few lines as the measure allows, and of
lengths as even as the words allow (balanced: the longest line as short as it can be).

Word boundaries come from rjieba (the jieba dictionary and its HMM for names, pinned), then lose
what a newspaper never breaks: a number with the unit or measure word after it, 第 with its
numeral, and the house style's own words."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Sequence

from ..fonts import FontMetrics
from ..style import PunctuationClasses
from .breaking import break_allowed, line_fit
from .justify import set_line
from .lines import Line
from .units import Unit, tokenize

CHINESE_DIGITS = "零〇一二三四五六七八九十百千万亿两"


@lru_cache(maxsize=16)
def _kept_together(measure_words: str) -> re.Pattern:
    """A date (5月20日, 2021年5月), a number (Arabic or Chinese, with sign, decimals, 万/亿 and 第) with
    the one unit or measure word after it: 300万剂次, 第十届, -5℃, 三个 (only one, so that 第十届人大
    keeps 人大 apart)."""
    units = "|".join(sorted(map(re.escape, measure_words.split()), key=len, reverse=True))
    return re.compile(rf"[0-9]+年[0-9]+月(?:[0-9]+日)?|[0-9]+月[0-9]+日"      # a date: 5月20日
                      rf"|第?[-−+]?[0-9]+(?:[.,:∶][0-9]+)*[万亿千百]*[%‰℃]?(?:{units})?"
                      rf"|第[{CHINESE_DIGITS}]+(?:{units})?|[{CHINESE_DIGITS}]+(?:{units})")


@lru_cache(maxsize=1024)
def word_starts(text: str, measure_words: str, words: tuple[str, ...]) -> frozenset[int]:
    """Offsets in `text` where a word begins (a line may start there), 0 and len(text) excluded."""
    import rjieba        # here, not at the top: loading its dictionary takes a quarter of a second,
                         # and a flow whose headlines were all composed before never needs it
    starts, offset = set(), 0
    for word in rjieba.cut(text):
        starts.add(offset)
        offset += len(word)
    spans = [m.span() for m in _kept_together(measure_words).finditer(text)]
    spans += [(m.start(), m.start() + len(word)) for word in words for m in re.finditer(re.escape(word), text)]
    for start, end in spans:
        starts -= set(range(start + 1, end))
    return frozenset(starts - {0})


def _break_ends(units: Sequence[Unit], starts: frozenset[int], rules: PunctuationClasses) -> list[int]:
    """Units a headline line may end with: before a word (or a space), where 避头尾 allows."""
    ends = [i for i in range(len(units) - 1) if break_allowed(units, i, rules)
            and (units[i + 1].start in starts or units[i].kind == "space" or units[i + 1].kind == "space")]
    return ends + [len(units) - 1]


def widest_word(text: str, metrics: FontMetrics, rules: PunctuationClasses,
                starts: frozenset[int]) -> tuple[str, float]:
    """The widest stretch of a headline no line may break (a word, a number with its unit), and its
    width in font units."""
    units = tokenize(text, 0, metrics, rules, hyphenate=False)
    words, s = [], 0
    for e in _break_ends(units, starts, rules) if units else []:
        words.append(("".join(u.text for u in units[s:e + 1]).strip(), line_fit(units, s, e, rules).natural))
        s = e + 1
    return max(words, key=lambda word: word[1], default=("", 0.0))


def compose_headline(text: str, measure: float, metrics: FontMetrics, rules: PunctuationClasses,
                     starts: frozenset[int]) -> tuple[Line, ...] | None:
    """The fewest lines of at most `measure` units, broken only where a word starts (`starts`) and
    避头尾 allows, the longest as short as it can be and then the lengths as even as they can be;
    None when a word is wider than the measure."""
    units = tokenize(text, 0, metrics, rules, hyphenate=False)
    if not units:
        return ()
    ranges = _balanced(units, _break_ends(units, starts, rules), measure, rules)
    if ranges is None:
        return None
    return tuple(set_line(units, s, e, measure, 0, True, rules) for s, e in ranges)


def _balanced(units: Sequence[Unit], ends: list[int], measure: float,
              rules: PunctuationClasses) -> list[tuple[int, int]] | None:
    """Line ranges ending at `ends`: fewest lines, then the smallest widest line, then the smallest
    sum of squared widths (dynamic programming over the break candidates, keeping the best way to
    each; the evenness of lines as long as the widest is nearly always the best there is)."""
    points = [-1] + ends            # a line runs from the unit after one point to the next point
    width = {}
    for a in range(len(points)):
        for b in range(a + 1, len(points)):
            w = line_fit(units, points[a] + 1, points[b], rules).natural
            if w > measure + 1e-6:
                break
            width[a, b] = w
    # best[b] = (lines, widest, sum of squares) of the best way to end a line at points[b].
    best: dict[int, tuple[int, float, float, int]] = {0: (0, 0.0, 0.0, -1)}
    for b in range(1, len(points)):
        options = [(best[a][0] + 1, max(best[a][1], w), best[a][2] + w * w, a)
                   for a in range(b) if a in best and (w := width.get((a, b))) is not None]
        if options:
            best[b] = min(options)
    last = len(points) - 1
    if last not in best:
        return None
    ranges, b = [], last
    while b:
        a = best[b][3]
        ranges.append((points[a] + 1, points[b]))
        b = a
    return ranges[::-1]
