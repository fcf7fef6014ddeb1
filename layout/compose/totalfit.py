"""Total fit: all the breaks of a paragraph chosen together (Knuth and Plass, as TeX breaks
paragraphs), so that every line's spacing stays near its natural width.

A line may end only where 避头尾 (LB-1/2/3, in Latin prose too) allows, inside a Latin word only at
its break points (with a hyphen where the dictionary breaks it), inside a web address after / and
before . ? # & and the like; a web address inside a segment, and a word too long for the column
outside its hyphenation points, only as a cut. Each candidate line is measured as the justifier
will set it (JU-2): shrunk — word spaces, then marks' removable blanks (先挤进 push-in), then
Han–Latin space — or stretched as `justify.plan_spread` spreads it — Han–Latin space, word spaces,
then every gap and the letters of Latin words alike, a last resort where there is no gap. Its
badness grows with the cube of the adjustment, a stretch costing more than the same shrink (push-in
before push-out); gaps past the house style's loose limit cost more than a last resort, and a line
that cannot be made flush most of all. Demerits are TeX's: (line penalty + badness)² + penalty²,
with penalties for a hyphen, two hyphens running and a cut. Of the ways to set the paragraph, the
one wins that has the fewest lines that cannot be made flush, then the least bad lines (too loose,
by how loose, or a last line of one character: JU-5 孤字), then the fewest cuts of words that would fit their
column, then the fewest lines whose gaps spread past the house style's `spread_gap` (or spread as a
last resort), then the fewest cuts of web addresses and of words too long for their column (last
resorts, each told to the editor), then the fewest lines — so
copy fits as line-by-line filling would, unless that takes visibly spread lines — then the fewest
demerits. A unit longer than the measure gets a line of its own, which overflows; the caller
reports it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate
from typing import Sequence

from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from .breaking import break_allowed, content_chars, edge_trimmed
from .justify import STRETCH_WEIGHT, Places, Spread, plan_spread, stretchable_gap
from .units import WORD_CUT, Unit, glue, latin_side, letter_pair

LINE_PENALTY = 10
SHRINK_WEIGHT = 30            # badness of shrinking everything a line can shrink
HYPHEN_PENALTY = 50
DOUBLE_HYPHEN_DEMERITS = 3000
OVERFULL = 1e12               # a line longer than the measure however it shrinks
NOT_SPREAD = Spread()
BAD_LINE = 2000               # a bad line (loose, or an orphan), beside how bad it is (see _Path)


class _Measures:
    """Prefix sums over a paragraph's units, so that any candidate line is measured in O(1)."""

    def __init__(self, units: Sequence[Unit], rules: PunctuationClasses):
        self.units, self.rules = units, rules
        gb = rules.style == "gb"
        floor = rules.han_latin_space_min * UNITS_PER_EM
        ceiling = rules.han_latin_space_max * UNITS_PER_EM
        word_space = rules.word_space_max * UNITS_PER_EM
        self.squeeze = rules.latin_letter_squeeze * UNITS_PER_EM
        width, shrink, space_room = [], [], []
        for u in units:
            width.append(u.width - u.fixed_cut_before - u.fixed_cut_after)
            if u.kind == "space":
                shrink.append(max(0, u.width - UNITS_PER_EM // 4))
                space_room.append(max(0.0, word_space - u.width))
            else:
                shrink.append(self._before(u) + self._after(u) if u.is_mark and gb else 0)
                space_room.append(0.0)
        pairs = list(zip(units, units[1:]))
        gaps = [glue(a, b, rules) for a, b in pairs]
        self.width = [0, *accumulate(width)]
        self.shrink = [0, *accumulate(shrink)]
        self.space_room = [0, *accumulate(space_room)]
        # Inside units, and between a word's parts (pairs: index k is the gap after unit k).
        self.letters = [0, *accumulate(len(u.text) - 1 if u.kind == "latin" else 0 for u in units)]
        self.letter_joins = [0, *accumulate(letter_pair(a, b) and not (a.joins and a.kind == "number")
                                            for a, b in pairs)]
        self.digits = [0, *accumulate(len(u.text) - 1 if u.kind == "number" else 0 for u in units)]
        self.digit_joins = [0, *accumulate(a.joins and a.kind == "number" for a, _ in pairs)]
        self.spaces = [0, *accumulate(u.kind == "space" for u in units)]
        self.latin = [0, *accumulate(latin_side(u) or u.kind == "space" for u in units)]
        self.glue = [0, *accumulate(gaps)]
        self.glue_shrink = [0, *accumulate(g - floor if g else 0 for g in gaps)]
        self.glue_room = [0, *accumulate(max(0.0, ceiling - g) if g else 0 for g in gaps)]
        self.joints = [0, *accumulate(bool(g) for g in gaps)]
        self.stretchable = [0, *accumulate(stretchable_gap(a, b) for a, b in pairs)]
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

    def line(self, s: int, e: int) -> tuple[float, float, Places]:
        """Units s..e as a line (trailing word spaces dropped): natural width, shrinkable width, and
        where it may stretch."""
        last = max(s, self.last_visible[e])
        natural = (self.width[last + 1] - self.width[s] + self.glue[last] - self.glue[s]
                   - self.start_cut[s] - self.end_cut[last] + self.units[last].hyphen)
        # Blank the line's edges already took (PC-5, LB-7) is not there to shrink again.
        shrinkable = (self.shrink[last + 1] - self.shrink[s] + self.glue_shrink[last] - self.glue_shrink[s]
                      - self.edge_shrink_before[s] - self.edge_shrink_after[last])
        gaps = self.stretchable[last] - self.stretchable[s]
        if self.latin[last + 1] == self.latin[s]:       # Han and marks only: the common line, fast
            return natural, shrinkable, Places(0.0, 0.0, gaps, 0, 0, 0, 0)
        letters = self.letters[last + 1] - self.letters[s] + self.letter_joins[last] - self.letter_joins[s]
        shrinkable += letters * self.squeeze
        places = Places(
            glue_room=self.glue_room[last] - self.glue_room[s],
            space_room=self.space_room[last + 1] - self.space_room[s],
            gaps=gaps,
            letters=letters,
            digits=self.digits[last + 1] - self.digits[s] + self.digit_joins[last] - self.digit_joins[s],
            spaces=self.spaces[last + 1] - self.spaces[s],
            joints=self.joints[last] - self.joints[s])
        return natural, shrinkable, places


@dataclass(frozen=True)
class _Path:
    """The best way found to set a paragraph up to a break, compared in this order: how many lines
    cannot be made flush (the preflight refuses them), how bad its bad lines are (gaps past the loose
    limit, by their badness; an orphan: the editor must see them), how many cut a word that would fit its column (a name
    hyphenated outside the dictionary's points, a long CamelCase name at its parts), how many are
    visibly spread, how many cut a web address or a word too long for the column, how many lines
    (copy fit), how good the spacing is."""

    unflush: int
    bad: float
    word_cuts: int
    spread: int
    cuts: int
    lines: int
    demerits: float
    previous: int | None = field(compare=False)
    hyphenated: bool = field(compare=False)


CUT_PENALTY = 1000            # a cut (see _Path), times its level (units.py: Unit.cut)


def total_fit(units: Sequence[Unit], measure: float, first_indent: float,
              rules: PunctuationClasses) -> list[tuple[int, int]]:
    """The lines of a paragraph as (first unit, last unit) ranges, chosen together."""
    measures = _Measures(units, rules)
    loose_gap = rules.loose_gap * UNITS_PER_EM
    ends = [i for i in range(len(units)) if break_allowed(units, i, rules)]
    last_end = len(units) - 1
    best: dict[int, _Path] = {-1: _Path(0, 0.0, 0, 0, 0, 0, 0.0, None, False)}
    active = [-1]
    for end in ends:
        still, too_long = [], []
        chosen: tuple | None = None        # the best (cost, -previous) of a line ending here, and its path
        solid = end == last_end
        hyphenated = units[end].hyphen > 0
        cut = 0 if solid else units[end].cut
        penalty = (HYPHEN_PENALTY ** 2 if hyphenated else 0) + (CUT_PENALTY * cut) ** 2
        for previous in active:
            start = previous + 1
            available = measure - (first_indent if previous == -1 else 0)
            natural, shrinkable, places = measures.line(start, end)
            if natural - shrinkable > available + 1e-6:
                too_long.append(previous)      # and longer still for every later end
                continue
            still.append(previous)
            # How far the justifier must bend the line to make it `available` wide (plan_spread).
            if natural > available + 1e-6:
                spread = Spread(badness=SHRINK_WEIGHT * ((natural - available) / shrinkable) ** 3)
            else:
                spread = NOT_SPREAD if solid else plan_spread(available - natural, places, rules)
            before = best[previous]
            demerits = (LINE_PENALTY + spread.badness) ** 2 + penalty
            if hyphenated and before.hyphenated:
                demerits += DOUBLE_HYPHEN_DEMERITS
            unflush = spread.unfilled > 1e-6
            orphan = solid and previous != -1 and content_chars(units[start:end + 1]) < 2
            # How bad its bad lines look, not only how many: Han characters an em apart are worse
            # than two lines just past the loose limit, or than letters a little wider apart.
            bad = (BAD_LINE + STRETCH_WEIGHT * (spread.widest / loose_gap) ** 3 if spread.loose and not unflush
                   else 0.0) + (BAD_LINE if orphan else 0.0)
            key = (before.unflush + unflush, before.bad + bad,
                   before.word_cuts + (cut == WORD_CUT), before.spread + spread.spread,
                   before.cuts + (0 < cut < WORD_CUT), before.lines + 1, before.demerits + demerits, -previous)
            if chosen is None or key < chosen:
                chosen = key
        if chosen is None and not still and too_long:
            # Nothing fits: a unit longer than the measure. It gets a line as short as can be (of
            # its own where a line may end before it), and overflows.
            previous = max(too_long)
            before = best[previous]
            chosen = (before.unflush + 1, before.bad, before.word_cuts + (cut == WORD_CUT), before.spread + 1,
                      before.cuts + (0 < cut < WORD_CUT), before.lines + 1, before.demerits + OVERFULL, -previous)
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
