"""Total fit: all the breaks of a paragraph chosen together (Knuth and Plass, as TeX breaks
paragraphs), so that every line's spacing stays near its natural width.

A line may end only where 避头尾 (LB-1/2/3) allows, inside a Latin word only at its break points
(with a hyphen where the dictionary breaks it), inside a web address anywhere, after its
separators by preference. Each candidate line is measured as the justifier will set it (JU-2):
shrunk — word spaces, then marks' removable blanks (先挤进 push-in), then Han–Latin space — or
stretched — word spaces to ½ em, Han–Latin space to its maximum, then every gap between units
alike. Its badness grows with the cube of the adjustment, a stretch costing more than the same
shrink (push-in before push-out); gaps past the house style's loose limit cost more than a last
resort (letter-spacing a lone Latin word within its limit, spreading a web address), and a line
that cannot be made flush most of all. Demerits are TeX's: (line penalty + badness)² + penalty²,
with penalties for a hyphen, two hyphens running and a web address cut inside a segment. Of the
ways to set the paragraph, the one wins that has the fewest lines that cannot be made flush, then
the fewest bad lines (too loose, or a last line of one character: JU-5 孤字), then the fewest lines whose gaps spread past the house
style's `spread_gap`, then the fewest lines — so copy fits as line-by-line filling would, unless
that takes visibly spread lines — then the fewest demerits. A unit longer than the measure gets a
line of its own, which overflows; the caller reports it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate
from typing import Sequence

from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from .breaking import break_allowed, content_chars, edge_trimmed
from .justify import stretchable_gap
from .units import HALF_EM, Unit, glue, url_cut

LINE_PENALTY = 10
STRETCH_WEIGHT = 100          # badness of a stretch of `loose_gap` em per gap
SHRINK_WEIGHT = 30            # badness of shrinking everything a line can shrink
SOFT_STRETCH_WEIGHT = 20      # word spaces and Han–Latin space stretched to their maximum
LAST_RESORT = 3000            # stretching where JU-3 would not: spaces past ½ em, a web address, letters
                              # (its STRETCH_WEIGHT is reached at the house style's letter-spacing limit)
LOOSE = 20_000                # gaps spread past the house style's loose limit (JU-7): worse than a last resort
UNJUSTIFIABLE = 100_000       # a line that cannot be made flush at all
HYPHEN_PENALTY = 50
URL_CUT_PENALTY = 1000        # a web address cut inside a segment: rather than spread its letters ~0.12 em
DOUBLE_HYPHEN_DEMERITS = 3000
OVERFULL = 1e12               # a line longer than the measure however it shrinks


class _Measures:
    """Prefix sums over a paragraph's units, so that any candidate line is measured in O(1)."""

    def __init__(self, units: Sequence[Unit], rules: PunctuationClasses):
        self.units, self.rules = units, rules
        gb = rules.style == "gb"
        floor = rules.han_latin_space_min * UNITS_PER_EM
        ceiling = rules.han_latin_space_max * UNITS_PER_EM
        width, shrink, space_room, word_letters = [], [], [], []
        for u in units:
            width.append(u.width - u.fixed_cut_before - u.fixed_cut_after)
            if u.kind == "space":
                shrink.append(max(0, u.width - UNITS_PER_EM // 4))
                space_room.append(max(0.0, HALF_EM - u.width))
            else:
                shrink.append(self._before(u) + self._after(u) if u.is_mark and gb else 0)
                space_room.append(0.0)
            word_letters.append(len(u.text) - 1 if u.kind in ("latin", "number") else 0)
        gaps = [glue(a, b, rules) for a, b in zip(units, units[1:])]
        self.width = [0, *accumulate(width)]
        self.shrink = [0, *accumulate(shrink)]
        self.space_room = [0, *accumulate(space_room)]
        self.word_letters = [0, *accumulate(word_letters)]
        self.word_joins = [0, *accumulate(u.joins for u in units)]
        self.spaces = [0, *accumulate(u.kind == "space" for u in units)]
        self.glue = [0, *accumulate(gaps)]
        self.glue_shrink = [0, *accumulate(g - floor if g else 0 for g in gaps)]
        self.glue_room = [0, *accumulate(ceiling - g if g else 0 for g in gaps)]
        self.stretchable = [0, *accumulate(stretchable_gap(a, b) for a, b in zip(units, units[1:]))]
        self.url_breaks = [0, *accumulate(a.kind == b.kind == "url" for a, b in zip(units, units[1:]))]
        # The edges of a line depend on its first and its last unit alone (PC-5, LB-7).
        self.start_cut, self.end_cut, self.edge_shrink_before, self.edge_shrink_after = [], [], [], []
        for i, u in enumerate(units):
            start_cut, end_cut = edge_trimmed(units, i, i, rules)
            self.start_cut.append(start_cut)
            self.end_cut.append(end_cut)
            self.edge_shrink_before.append(self._before(u) if gb and start_cut and u.is_mark else 0)
            self.edge_shrink_after.append(self._after(u) if gb and end_cut and u.is_mark else 0)
        self.last_visible, last = [], -1       # the last unit before i that is not a word space
        for i, u in enumerate(units):
            last = last if u.kind == "space" else i
            self.last_visible.append(last)

    @staticmethod
    def _before(u: Unit) -> float:
        return u.blank_before - u.fixed_cut_before

    @staticmethod
    def _after(u: Unit) -> float:
        return u.blank_after - u.fixed_cut_after

    def line(self, s: int, e: int) -> tuple[float, float, float, int, int, int]:
        """Units s..e as a line (trailing word spaces dropped): natural width, shrinkable width,
        room to stretch before gaps spread (word spaces to ½ em, Han–Latin space to its maximum),
        stretchable gaps, places a last resort may spread without limit (word spaces, the gaps
        between a web address's characters), gaps between the letters of Latin words and numbers."""
        last = max(s, self.last_visible[e])
        natural = (self.width[last + 1] - self.width[s] + self.glue[last] - self.glue[s]
                   - self.start_cut[s] - self.end_cut[last] + self.units[last].hyphen)
        # Blank the line's edges already took (PC-5, LB-7) is not there to shrink again.
        shrinkable = (self.shrink[last + 1] - self.shrink[s] + self.glue_shrink[last] - self.glue_shrink[s]
                      - self.edge_shrink_before[s] - self.edge_shrink_after[last])
        room = self.space_room[last + 1] - self.space_room[s] + self.glue_room[last] - self.glue_room[s]
        gaps = self.stretchable[last] - self.stretchable[s]
        last_resort = self.spaces[last + 1] - self.spaces[s] + self.url_breaks[last] - self.url_breaks[s]
        letters = (self.word_letters[last + 1] - self.word_letters[s]          # inside a unit, and
                   + self.word_joins[last] - self.word_joins[s])              # between a word's parts
        return natural, shrinkable, room, gaps, last_resort, letters


def _badness(measure: float, natural: float, shrinkable: float, room: float, gaps: int, last_resort: int,
             letters: int, solid: bool, rules: PunctuationClasses) -> tuple[float, bool]:
    """How far the justifier must bend a line to make it `measure` wide, and whether its gaps spread
    past the house style's `spread_gap`. The line can shrink to `measure` (the caller made sure)."""
    if natural > measure + 1e-6:
        return SHRINK_WEIGHT * ((natural - measure) / shrinkable) ** 3, False
    short = measure - natural
    if solid or short <= 1e-6:
        return 0.0, False
    soft = min(short, room)
    badness = SOFT_STRETCH_WEIGHT * (soft / room) ** 3 if room else 0.0
    rest = short - soft
    if rest <= 1e-6:
        return badness, False
    loose = rules.loose_gap * UNITS_PER_EM
    if gaps:
        ratio = rest / gaps / loose
        spread = rest / gaps > rules.spread_gap * UNITS_PER_EM + 1e-6
        return badness + STRETCH_WEIGHT * ratio ** 3 + (LOOSE if ratio > 1 + 1e-9 else 0), spread
    letter_spacing = rules.latin_letter_spacing_max * UNITS_PER_EM
    if last_resort or (letters and rest / letters <= letter_spacing + 1e-6):
        return LAST_RESORT + STRETCH_WEIGHT * (rest / (last_resort + letters) / letter_spacing) ** 3, False
    return UNJUSTIFIABLE, True


@dataclass(frozen=True)
class _Path:
    """The best way found to set a paragraph up to a break, compared in this order: how many lines
    cannot be made flush (the preflight refuses them), how many are bad (gaps past the loose limit,
    an orphan: the editor must see them), how many are visibly spread, how many lines (copy fit),
    how good the spacing is."""

    unflush: int
    bad: int
    spread: int
    lines: int
    demerits: float
    previous: int | None = field(compare=False)
    hyphenated: bool = field(compare=False)


def total_fit(units: Sequence[Unit], measure: float, first_indent: float,
              rules: PunctuationClasses) -> list[tuple[int, int]]:
    """The lines of a paragraph as (first unit, last unit) ranges, chosen together."""
    measures = _Measures(units, rules)
    ends = [i for i in range(len(units)) if break_allowed(units, i, rules)]
    last_end = len(units) - 1
    best: dict[int, _Path] = {-1: _Path(0, 0, 0, 0, 0.0, None, False)}
    active = [-1]
    for end in ends:
        still, too_long = [], []
        chosen: tuple | None = None        # the best (cost, -previous) of a line ending here, and its path
        solid = end == last_end
        hyphenated = units[end].hyphen > 0
        penalty = (HYPHEN_PENALTY ** 2 if hyphenated else 0) + (URL_CUT_PENALTY ** 2 if url_cut(units, end) else 0)
        for previous in active:
            start = previous + 1
            available = measure - (first_indent if previous == -1 else 0)
            natural, shrinkable, room, gaps, last_resort, letters = measures.line(start, end)
            if natural - shrinkable > available + 1e-6:
                too_long.append(previous)      # and longer still for every later end
                continue
            still.append(previous)
            badness, spread = _badness(available, natural, shrinkable, room, gaps, last_resort, letters, solid, rules)
            before = best[previous]
            demerits = (LINE_PENALTY + badness) ** 2 + penalty
            if hyphenated and before.hyphenated:
                demerits += DOUBLE_HYPHEN_DEMERITS
            orphan = solid and previous != -1 and content_chars(units[start:end + 1]) < 2
            key = (before.unflush + (badness >= UNJUSTIFIABLE), before.bad + (LOOSE <= badness < UNJUSTIFIABLE) + orphan,
                   before.spread + spread, before.lines + 1, before.demerits + demerits, -previous)
            if chosen is None or key < chosen:
                chosen = key
        if chosen is None and not still and too_long:
            # Nothing fits: a unit longer than the measure. It gets a line as short as can be (of
            # its own where a line may end before it), and overflows.
            previous = max(too_long)
            before = best[previous]
            chosen = (before.unflush + 1, before.bad, before.spread + 1, before.lines + 1, before.demerits + OVERFULL,
                      -previous)
            hyphenated = False
        if chosen is not None:
            *cost, previous = chosen
            best[end] = _Path(*cost, previous=-previous, hyphenated=hyphenated)
            still.append(end)
        active = still
    ranges = []
    end: int | None = last_end
    while end is not None and end >= 0:
        previous = best[end].previous
        ranges.append((previous + 1, end))
        end = previous
    return ranges[::-1]
