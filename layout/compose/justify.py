"""Justification: set one line's units at exact positions — shrink first, then stretch, in the
order of JU-2 (`plan_spread`: Han–Latin space, word spaces, then the gaps with the letters of Latin
words within a small limit); no stretch inside Han units or numbers (JU-3) but as a last resort;
loose lines flagged (JU-7)."""
from __future__ import annotations

from typing import Mapping, NamedTuple, Sequence

from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from .breaking import edge_trimmed, line_fit
from .lines import Glyph, Line
from .units import CONNECTORS, Unit, glue, has_glue, latin_letters, letter_pair

_SHRINK_STEPS = (
    ("space", lambda u: u.kind == "space"),
    ("letters", None),
    ("mark", lambda u: u.kind in ("open", "close")),
    ("mark", lambda u: u.kind == "pause"),
    ("glue", None),
    ("mark", lambda u: u.kind == "stop"),
)


def set_line(units: list[Unit], s: int, e: int, measure: float, indent: float, solid: bool,
              rules: PunctuationClasses) -> Line:
    last_visible = e
    while last_visible > s and units[last_visible].kind == "space":
        last_visible -= 1
    line_units = units[s:last_visible + 1]
    for u in line_units:
        u.cut_before, u.cut_after = float(u.fixed_cut_before), float(u.fixed_cut_after)
    start_cut, end_cut = edge_trimmed(units, s, last_visible, rules)
    line_units[0].cut_before += start_cut
    line_units[-1].cut_after += end_cut
    glues = [glue(a, b, rules) for a, b in zip(line_units, line_units[1:])]
    space_width = {id(u): float(u.width) for u in line_units if u.kind == "space"}
    letter_space: dict[int, float] = {}       # space added (or taken) between a unit's letters
    fit = line_fit(units, s, last_visible, rules)
    excess = fit.natural - measure
    overfull = excess > 1e-9 and _shrink(line_units, glues, space_width, letter_space, excess, rules) > 1e-9
    loose = False
    if not solid and excess < -1e-9:
        loose = _stretch(line_units, glues, space_width, letter_space, -excess, rules)
    glyphs: list[Glyph] = []
    x = float(indent)
    for k, u in enumerate(line_units):
        if u.kind == "space":
            x += space_width[id(u)] - u.width
        origin = x - u.cut_before
        extra = letter_space.get(id(u), 0.0)
        for n, (ch, form) in enumerate(zip(u.text, u.forms)):
            if u.kind != "space":
                glyphs.append(Glyph(char=ch, x=origin + form.offset, advance=form.advance, feature=form.feature,
                                    bold=u.bold))
            origin += form.width + (extra if n < len(u.text) - 1 else 0.0)
        x = origin - u.cut_after
        if k < len(glues):
            x += glues[k]
    last = line_units[-1]
    if last.hyphen:          # the line ends inside a word: its hyphen
        glyphs.append(Glyph(char="-", x=x, advance=last.hyphen, bold=last.bold))
        x += last.hyphen
    return Line(glyphs=tuple(glyphs), start=line_units[0].start,
                end=units[e].start + len(units[e].text), width=x, last=solid, loose=loose,
                hyphenated=bool(last.hyphen), overfull=overfull, cut=bool(last.cut) and not last.hyphen and e < len(units) - 1,
                copy="".join(u.text for u in line_units) + ("-" if last.hyphen else ""),
                space_after=units[e].kind == "space")


def _shrink(line_units: list[Unit], glues: list[float], space_width: dict, letter_space: dict, excess: float,
            rules: PunctuationClasses) -> float:
    """JU-2 shrink, step by step (Latin letters closed up a little after the word spaces); returns
    what no step could take (the line is overfull)."""
    for kind, select in _SHRINK_STEPS:
        if excess <= 1e-9:
            return 0.0
        if kind == "letters":
            letters = latin_letters(line_units)
            if letters:
                each = min(rules.latin_letter_squeeze * UNITS_PER_EM, excess / letters)
                for k, (a, b) in enumerate(zip(line_units, line_units[1:])):
                    if letter_pair(a, b) and not (a.joins and a.kind == "number"):
                        glues[k] -= each
                for u in line_units:
                    if u.kind == "latin":
                        letter_space[id(u)] = -each
                excess -= each * letters
            continue
        if kind == "glue":
            floor = rules.han_latin_space_min * UNITS_PER_EM
            room = [max(0.0, g - floor) if g else 0.0 for g in glues]
            total = sum(room)
            if total <= 0:
                continue
            take = min(total, excess)
            for k, r in enumerate(room):
                glues[k] -= r * take / total
            excess -= take
            continue
        if kind == "mark" and rules.style != "gb":
            continue      # PC-6: only the gb style compresses marks mid-line to justify
        chosen = [u for u in line_units if select(u)]
        if kind == "space":
            floor = UNITS_PER_EM / 4
            room = {id(u): max(0.0, space_width[id(u)] - floor) for u in chosen}
        else:
            room = {id(u): max(0.0, u.blank_before - u.cut_before) + max(0.0, u.blank_after - u.cut_after)
                    for u in chosen}
        total = sum(room.values())
        if total <= 1e-9:
            continue
        take = min(total, excess)
        for u in chosen:
            share = room[id(u)] * take / total
            if kind == "space":
                space_width[id(u)] -= share
            elif u.kind == "open":
                u.cut_before += share
            else:
                u.cut_after += share
        excess -= take
    return max(0.0, excess)


def stretchable_gap(a: Unit, b: Unit) -> bool:
    """JU-3: spread at gaps between units, never beside word spaces (they stretch themselves),
    connectors and solidi, nor inside Latin text (`letter_pair`: letter-spacing), nor where Han
    meets Latin (its own space stretches, to its maximum: MX-1)."""
    if a.kind == "space" or b.kind == "space" or a.joins or letter_pair(a, b) or has_glue(a, b):
        return False
    return not (a.text[-1] in CONNECTORS or b.text[0] in CONNECTORS)


class Places(NamedTuple):
    """Where a line may stretch: the room of its Han–Latin spaces to their maximum and of its word
    spaces to theirs (font units), and how many gaps between units, places between the letters of
    Latin text (inside words, between a word's parts, beside its marks, in web addresses), between
    digits, word spaces and Han–Latin spaces it has."""
    glue_room: float
    space_room: float
    gaps: int
    letters: int
    digits: int
    spaces: int
    joints: int = 0        # where Han meets Latin (MX-1)


class Spread(NamedTuple):
    """How a line `short` of its measure is spread, as the professional composers do: Han–Latin
    space to its maximum first, then word spaces to theirs (shares of their room), then every gap
    between units and the letters of Latin text alike, letters up to the house style's
    letter-spacing and Han–Latin spaces by no more than `spread_gap`. A line with no gap to spread
    takes, as a last resort, letters and digits to the wider last-resort limit, then word spaces to
    the loose limit, then letters and digits as far as it needs (loose). Each amount is in font
    units, per place."""
    glue: float = 0.0          # share of each Han–Latin space's room
    space: float = 0.0         # share of each word space's room
    gap: float = 0.0
    joint: float = 0.0         # added to each Han–Latin space past its maximum, with the gaps
    letter: float = 0.0        # between the letters of Latin text
    digit: float = 0.0         # between digits (a last resort)
    space_extra: float = 0.0   # past the word spaces' maximum (a last resort)
    unfilled: float = 0.0      # a line with nowhere to stretch: not flush
    badness: float = 0.0       # for the total-fit breaker (totalfit.py weighs it)
    loose: bool = False        # JU-7: gaps, word spaces or letters past their limits, or short
    spread: bool = False       # gaps past `spread_gap`, or a last resort: visibly spread
    widest: float = 0.0        # the most any one place opens (font units): how bad a loose line looks


SOFT_WEIGHT = 20          # badness of Han–Latin and word spaces at their maximum, or letters at their limit
STRETCH_WEIGHT = 100      # badness of gaps spread by `loose_gap`
LAST_RESORT = 3000        # a line spread where JU-3 would not: letters past their limit, word spaces past
                          # their maximum
LOOSE = 20_000            # past the house style's loose limits (JU-7): worse than a last resort
UNJUSTIFIABLE = 100_000   # a line that cannot be made flush at all


def _even_share(amount: float, free: int, capped: Sequence[tuple[int, float]]) -> float:
    """What each of `free` places takes when `amount` is shared out evenly among them and the
    `capped` places — (how many, at most how much each) — each of which takes no more than its cap."""
    fixed, places = 0.0, free + sum(count for count, _ in capped)
    for count, cap in sorted(((count, cap) for count, cap in capped if count), key=lambda c: c[1]):
        if (amount - fixed) / places <= cap:
            break
        fixed += count * cap
        places -= count
    return (amount - fixed) / places


def plan_spread(short: float, places: Places, rules: PunctuationClasses) -> Spread:
    """How a line `short` font units narrower than its measure is spread (see Spread)."""
    if short <= 1e-9:
        return Spread()
    loose_gap = rules.loose_gap * UNITS_PER_EM
    if places.gaps and not (places.glue_room or places.space_room or places.letters or places.joints):
        gap = short / places.gaps       # Han and marks only: the common line, fast (fields by position)
        loose = gap > loose_gap + 1e-6
        return Spread(0.0, 0.0, gap, 0.0, 0.0, 0.0, 0.0, 0.0,
                      STRETCH_WEIGHT * (gap / loose_gap) ** 3 + (LOOSE if loose else 0.0),
                      loose, gap > rules.spread_gap * UNITS_PER_EM + 1e-6, gap)
    glue = min(short, places.glue_room)
    space = min(short - glue, places.space_room)
    soft = places.glue_room + places.space_room
    badness = SOFT_WEIGHT * ((glue + space) / soft) ** 3 if soft else 0.0
    shares = dict(glue=glue / places.glue_room if places.glue_room else 0.0,
                  space=space / places.space_room if places.space_room else 0.0)
    rest = short - glue - space
    if rest <= 1e-9:
        return Spread(**shares, badness=badness)
    limit = rules.latin_letter_spacing * UNITS_PER_EM
    if places.gaps:
        # Shared out evenly; letters take no more than their limit, Han–Latin spaces (already at
        # their maximum) no more than a visible spread.
        joint_limit = rules.spread_gap * UNITS_PER_EM
        gap = rest / (places.gaps + places.letters + places.joints)
        if (places.letters and gap > limit) or (places.joints and gap > joint_limit):
            gap = _even_share(rest, places.gaps, ((places.letters, limit), (places.joints, joint_limit)))
        letter, joint = min(gap, limit), min(gap, joint_limit)
        loose = gap > loose_gap + 1e-6
        badness += STRETCH_WEIGHT * (gap / loose_gap) ** 3 + (LOOSE if loose else 0.0)
        if places.letters:
            badness += SOFT_WEIGHT * (letter / limit) ** 3
        return Spread(**shares, gap=gap, joint=joint if places.joints else 0.0, letter=letter, badness=badness,
                      loose=loose, spread=gap > rules.spread_gap * UNITS_PER_EM + 1e-6, widest=gap)
    letter = min(rest / places.letters, limit) if places.letters else 0.0
    rest -= letter * places.letters
    if rest <= 1e-9:
        return Spread(**shares, letter=letter, badness=badness + SOFT_WEIGHT * (letter / limit) ** 3)
    # The last resort: a line with nothing else to stretch (a lone word, a piece of a web address):
    # letters and digits to the wider limit, word spaces to the loose limit, then letters past their
    # limit (loose: spread evenly, they read better than one wide space), word spaces where there
    # are no letters.
    widest = rules.latin_letter_spacing_max * UNITS_PER_EM
    spaced = places.letters + places.digits
    more = min(rest / spaced, max(0.0, widest - letter)) if spaced else 0.0
    rest -= more * spaced
    space_limit = (rules.word_space_loose - rules.word_space_max) * UNITS_PER_EM
    space_extra = min(rest / places.spaces, space_limit) if places.spaces and rest > 1e-9 else 0.0
    rest -= space_extra * places.spaces
    past = rest / spaced if spaced and rest > 1e-9 else 0.0
    rest -= past * spaced
    if places.spaces and rest > 1e-9:
        space_extra += rest / places.spaces
        rest = 0.0
    # A number and a Han character alone on a line (`0元` before a number too wide for it): only the
    # Han–Latin space between them can take the rest.
    joint = rest / places.joints if places.joints and rest > 1e-9 else 0.0
    rest -= joint * places.joints
    unfilled = max(0.0, rest)
    loose = unfilled > 1e-6 or past > 1e-6 or space_extra > space_limit + 1e-6 or joint > 1e-6
    # Weighed by the widest place it opens, on the scale of the gaps: letters a quarter em apart in
    # a web address read better than Han characters an em apart.
    widest_place = max(letter + more + past, space_extra, joint)
    badness = UNJUSTIFIABLE if unfilled > 1e-6 else \
        LAST_RESORT + STRETCH_WEIGHT * (widest_place / loose_gap) ** 3 + (LOOSE if loose else 0.0)
    return Spread(**shares, joint=joint, letter=letter + more + past, digit=more + past, space_extra=space_extra,
                  unfilled=unfilled, badness=badness, loose=loose, spread=True, widest=widest_place)


def _line_places(line_units: Sequence[Unit], glues: Sequence[float], space_width: Mapping[int, float],
                rules: PunctuationClasses) -> Places:
    """Where a line set from these units (and the Han–Latin spaces `glues` between them) may stretch."""
    ceiling = rules.han_latin_space_max * UNITS_PER_EM
    word_space = rules.word_space_max * UNITS_PER_EM
    pairs = list(zip(line_units, line_units[1:]))
    return Places(
        glue_room=sum(max(0.0, ceiling - g) for g in glues if g),
        joints=sum(1 for g in glues if g),
        space_room=sum(max(0.0, word_space - space_width[id(u)]) for u in line_units if u.kind == "space"),
        gaps=sum(stretchable_gap(a, b) for a, b in pairs),
        letters=latin_letters(line_units),
        digits=sum(len(u.text) - 1 for u in line_units if u.kind == "number")
        + sum(a.joins and a.kind == "number" for a, _ in pairs),
        spaces=sum(u.kind == "space" for u in line_units))


def _stretch(line_units: list[Unit], glues: list[float], space_width: dict, letter_space: dict, short: float,
             rules: PunctuationClasses) -> bool:
    """JU-2 stretch as `plan_spread` decides it: the extra goes into `glues` (between units),
    `space_width` and `letter_space` (between a unit's own characters). Returns whether the line is
    loose (JU-7)."""
    plan = plan_spread(short, _line_places(line_units, glues, space_width, rules), rules)
    ceiling = rules.han_latin_space_max * UNITS_PER_EM
    word_space = rules.word_space_max * UNITS_PER_EM
    for k, (a, b) in enumerate(zip(line_units, line_units[1:])):
        if glues[k]:
            glues[k] += max(0.0, ceiling - glues[k]) * plan.glue + plan.joint
        if stretchable_gap(a, b):
            glues[k] += plan.gap
        elif a.joins and a.kind == "number":
            glues[k] += plan.digit
        elif letter_pair(a, b):
            glues[k] += plan.letter
    for u in line_units:
        if u.kind == "space":
            space_width[id(u)] += max(0.0, word_space - space_width[id(u)]) * plan.space + plan.space_extra
        elif u.kind in ("latin", "number"):
            letter_space[id(u)] = plan.letter if u.kind == "latin" else plan.digit
    return plan.loose
