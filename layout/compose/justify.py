"""Justification: set one line's units at exact positions — shrink first, then stretch, in the
order of JU-2; no stretch inside units (JU-3) but as a last resort; loose lines flagged (JU-7)."""
from __future__ import annotations

from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from .breaking import edge_trimmed, line_fit
from .lines import Glyph, Line
from .units import CONNECTORS, HALF_EM, Unit, glue

_SHRINK_STEPS = (
    ("space", lambda u: u.kind == "space"),
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
    letter_space: dict[int, float] = {}       # last resort: extra space between a unit's letters
    fit = line_fit(units, s, last_visible, rules)
    excess = fit.natural - measure
    overfull = excess > 1e-9 and _shrink(line_units, glues, space_width, excess, rules) > 1e-9
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
                hyphenated=bool(last.hyphen), overfull=overfull)


def _shrink(line_units: list[Unit], glues: list[float], space_width: dict, excess: float,
            rules: PunctuationClasses) -> float:
    """JU-2 shrink, step by step; returns what no step could take (the line is overfull)."""
    for kind, select in _SHRINK_STEPS:
        if excess <= 1e-9:
            return 0.0
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
    connectors and solidi, nor between the parts of a web address."""
    if a.kind == "space" or b.kind == "space" or a.joins or (a.kind == "url" and b.kind == "url"):
        return False
    return not (a.text[-1] in CONNECTORS or b.text[0] in CONNECTORS)


def _stretch(line_units: list[Unit], glues: list[float], space_width: dict, letter_space: dict, short: float,
             rules: PunctuationClasses) -> bool:
    """JU-2 stretch: word spaces to ½ em, Han–Latin space to its maximum, then every gap evenly
    (the extra goes into `glues`). Returns whether the line is loose (JU-7)."""
    spaces = [u for u in line_units if u.kind == "space"]
    for u in spaces:
        grow = min(max(0.0, HALF_EM - space_width[id(u)]), short / len(spaces))
        space_width[id(u)] += grow
    short -= sum(space_width[id(u)] - u.width for u in spaces)
    ceiling = rules.han_latin_space_max * UNITS_PER_EM
    room = [max(0.0, ceiling - g) if g else 0.0 for g in glues]
    total = sum(room)
    if total > 0 and short > 0:
        take = min(total, short)
        for k, r in enumerate(room):
            glues[k] += r * take / total
        short -= take
    if short <= 1e-9:
        return False
    pairs = list(zip(line_units, line_units[1:]))
    gaps = [k for k, (a, b) in enumerate(pairs) if stretchable_gap(a, b)]
    if gaps:
        for k in gaps:
            glues[k] += short / len(gaps)
        return short / len(gaps) > rules.loose_gap * UNITS_PER_EM
    return _last_resort(line_units, pairs, glues, space_width, letter_space, short, rules)


def _last_resort(line_units: list[Unit], pairs: list, glues: list[float], space_width: dict, letter_space: dict,
                 short: float, rules: PunctuationClasses) -> bool:
    """A line with no gap JU-3 lets stretch (a lone word, a web address): word spaces past ½ em;
    else the letters of its Latin words, up to the house style's limit, and the gaps between the
    characters of a web address, as far as needed. What is left stays short, and the preflight says
    so. Returns whether the line is loose: spaces stretched by more than the loose limit, letters
    spaced wider than the house style's limit, or short."""
    spaces = [u for u in line_units if u.kind == "space"]
    if spaces:
        for u in spaces:
            space_width[id(u)] += short / len(spaces)
        return short / len(spaces) > rules.loose_gap * UNITS_PER_EM
    words = [u for u in line_units if u.kind in ("latin", "number") and len(u.text) > 1]
    word_joins = [k for k, (a, b) in enumerate(pairs) if a.joins]      # between the parts of a word
    url_gaps = [k for k, (a, b) in enumerate(pairs) if a.kind == b.kind == "url"]
    word_slots = sum(len(u.text) - 1 for u in words) + len(word_joins)
    if not word_slots and not url_gaps:
        return True
    word_share = min(rules.latin_letter_spacing_max * UNITS_PER_EM, short / (word_slots + len(url_gaps)))
    url_share = (short - word_share * word_slots) / len(url_gaps) if url_gaps else 0.0
    for u in words:
        letter_space[id(u)] = word_share
    for k in word_joins:
        glues[k] += word_share
    for k in url_gaps:
        glues[k] += url_share
    limit = rules.latin_letter_spacing_max * UNITS_PER_EM + 1e-6
    return url_share > limit or (not url_gaps and short > word_share * word_slots + 1e-6)
