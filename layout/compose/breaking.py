"""Line breaking: where a line may end (LB-1/2/3 避头尾 = kinsoku), how wide a candidate line is and
how much it may shrink, push-in before push-out (LB-5), hanging and forced breaks in strict grid
mode (LB-7, MX-3), and no orphan character (JU-5 孤字)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from .units import Unit, glue, latin_letters

def break_allowed(units: Sequence[Unit], i: int, rules: PunctuationClasses) -> bool:
    """May a line end after units[i]? (LB-1, LB-2 as each unit carries them; breaks inside a unit
    never happen.)"""
    if i == len(units) - 1:
        return True
    before, after = units[i], units[i + 1]
    if before.no_break_after or after.no_break_before:
        return False
    if before.kind == "space" or before.joins or before.kind == after.kind == "url":
        return True
    return after.kind != "space"       # break after the space, so the next line does not start with it


@dataclass
class LineFit:
    natural: float
    shrinkable: float


def edge_trimmed(units: Sequence[Unit], s: int, e: int, rules: PunctuationClasses) -> tuple[float, float]:
    """PC-5: the blank an opening mark drops at the line start and a mark drops at the line end."""
    first, last = units[s], units[e]
    start_cut = first.blank_before - first.fixed_cut_before \
        if first.kind == "open" and rules.trim_opening_at_line_start else 0
    if last.hanging:
        end_cut = last.width - last.fixed_cut_before
    elif last.kind in ("close", "pause", "stop"):
        end_cut = last.blank_after - last.fixed_cut_after
    else:
        end_cut = 0
    return start_cut, end_cut


def line_fit(units: Sequence[Unit], s: int, e: int, rules: PunctuationClasses) -> LineFit:
    """Natural width of units[s..e] as one line, and how much of it may shrink (JU-2)."""
    last = e
    while last > s and units[last].kind == "space":
        last -= 1
    start_cut, end_cut = edge_trimmed(units, s, last, rules)
    natural = -start_cut - end_cut + units[last].hyphen      # a line ending inside a word adds a hyphen
    shrinkable = 0.0
    for k in range(s, last + 1):
        u = units[k]
        natural += u.width - u.fixed_cut_before - u.fixed_cut_after
        if u.kind == "space":
            shrinkable += max(0, u.width - UNITS_PER_EM // 4)
        if u.is_mark and rules.style == "gb":
            # Blank the line edges already took (PC-5, LB-7) is not there to shrink again.
            before = 0 if k == s and start_cut else u.blank_before - u.fixed_cut_before
            after = 0 if k == last and end_cut else u.blank_after - u.fixed_cut_after
            shrinkable += before + after
        if k < last:
            space = glue(u, units[k + 1], rules)
            natural += space
            if space:
                shrinkable += space - rules.han_latin_space_min * UNITS_PER_EM
    shrinkable += latin_letters(units[s:last + 1]) * rules.latin_letter_squeeze * UNITS_PER_EM
    return LineFit(natural=natural, shrinkable=shrinkable)


def fits(units: Sequence[Unit], s: int, e: int, measure: float, rules: PunctuationClasses) -> bool:
    fit = line_fit(units, s, e, rules)
    return fit.natural - fit.shrinkable <= measure + 1e-6


def next_break(units: list[Unit], s: int, measure: float, rules: PunctuationClasses) -> int:
    """LB-5: the last unit of the line starting at s: as many units as fit when shrunk (push-in),
    then — in strict grid mode only — a pause or stop mark hung outside the measure (LB-7), else
    backed off to the last allowed break (push-out)."""
    best = None
    e = s
    while e < len(units) and fits(units, s, e, measure, rules):
        if break_allowed(units, e, rules):
            best = e
        e += 1
    if rules.strict_grid and s < e < len(units) and units[e].kind in ("pause", "stop"):
        units[e].hanging = True
        if fits(units, s, e, measure, rules) and break_allowed(units, e, rules):
            return e
        units[e].hanging = False
    if best is None:
        if rules.strict_grid and units[s].is_alnum and not fits(units, s, s, measure, rules):
            return _force_break(units, s, measure, rules)
        # Nothing fits before an allowed break (a unit longer than the measure): take the shortest
        # allowed line; it overflows, and the preflight reports it.
        best = s
        while not break_allowed(units, best, rules):
            best += 1
    return best


def _force_break(units: list[Unit], s: int, measure: float, rules: PunctuationClasses) -> int:
    """MX-3, strict grid mode: an over-long word or number is cut where the measure ends, no hyphen."""
    unit = units[s]
    width, cut = 0.0, 0
    while cut < len(unit.forms) - 1 and width + unit.forms[cut].width <= measure:
        width += unit.forms[cut].width
        cut += 1
    cut = max(cut, 1)
    head = Unit(text=unit.text[:cut], start=unit.start, kind=unit.kind, forms=unit.forms[:cut])
    tail = Unit(text=unit.text[cut:], start=unit.start + cut, kind=unit.kind, forms=unit.forms[cut:])
    units[s:s + 1] = [head, tail]
    return s


def content_chars(units: Sequence[Unit]) -> int:
    """JU-5: the characters that count on a last line — letters, digits, Han; not punctuation (a
    hashtag's closing # neither)."""
    return sum(ch.isalnum() for u in units if not u.is_mark and u.kind != "space" for ch in u.text)


def fix_orphan(units: list[Unit], ranges: list[tuple[int, int]], measure: float,
                rules: PunctuationClasses) -> None:
    """JU-5: a last line with fewer than two characters (punctuation not counted) takes units down
    from the line before, back to its previous allowed break, when the new last line still fits."""
    if len(ranges) < 2:
        return
    (ps, pe), (ls, le) = ranges[-2], ranges[-1]
    if content_chars(units[ls:le + 1]) >= 2:
        return
    for new_end in range(pe - 1, ps - 1, -1):
        if not break_allowed(units, new_end, rules):
            continue
        if fits(units, new_end + 1, le, measure, rules):
            ranges[-2] = (ps, new_end)
            ranges[-1] = (new_end + 1, le)
        return


# JU-2 shrink order after the line-end mark (done by PC-5): word spaces, brackets and quotes,
# 、，；：, Han–Latin space, 。？！.
