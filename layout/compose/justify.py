"""Justification: set one line's units at exact positions — shrink first, then stretch, in the
order of JU-2; no stretch inside units (JU-3); loose lines flagged (JU-7)."""
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
    fit = line_fit(units, s, last_visible, rules)
    excess = fit.natural - measure
    if excess > 1e-9:
        _shrink(line_units, glues, space_width, excess, rules)
    loose = False
    if not solid and excess < -1e-9:
        loose = _stretch(line_units, glues, space_width, -excess, rules)
    glyphs: list[Glyph] = []
    x = float(indent)
    for k, u in enumerate(line_units):
        if u.kind == "space":
            x += space_width[id(u)] - u.width
        origin = x - u.cut_before
        for ch, form in zip(u.text, u.forms):
            if u.kind != "space":
                glyphs.append(Glyph(char=ch, x=origin + form.offset, advance=form.advance, feature=form.feature))
            origin += form.width
        x = origin - u.cut_after
        if k < len(glues):
            x += glues[k]
    return Line(glyphs=tuple(glyphs), start=line_units[0].start,
                end=units[e].start + len(units[e].text), width=x, last=solid, loose=loose)


def _shrink(line_units: list[Unit], glues: list[float], space_width: dict, excess: float,
            rules: PunctuationClasses) -> None:
    for kind, select in _SHRINK_STEPS:
        if excess <= 1e-9:
            return
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


def _stretchable_gap(a: Unit, b: Unit) -> bool:
    """JU-3: spread at gaps between units, never beside word spaces (they stretch themselves),
    connectors and solidi, nor between the parts of a web address."""
    if a.kind == "space" or b.kind == "space" or (a.kind == "url" and b.kind == "url"):
        return False
    return not (a.text[-1] in CONNECTORS or b.text[0] in CONNECTORS)


def _stretch(line_units: list[Unit], glues: list[float], space_width: dict, short: float,
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
    gaps = [k for k, (a, b) in enumerate(pairs) if _stretchable_gap(a, b)]
    if gaps:
        for k in gaps:
            glues[k] += short / len(gaps)
        return short / len(gaps) > rules.loose_gap * UNITS_PER_EM
    # Last resort, and loose by definition: word spaces past ½ em, else the break points of a web
    # address; a line with neither stays short.
    if spaces:
        for u in spaces:
            space_width[id(u)] += short / len(spaces)
    else:
        breaks = [k for k, (a, b) in enumerate(pairs) if a.kind == b.kind == "url"]
        for k in breaks:
            glues[k] += short / len(breaks)
    return True
