"""Composer: a paragraph and a measure → lines, each a list of glyphs at exact x offsets.

Pure and fast; works in font units (1/1000 em of the text's size). Rules by number from
spec/typography.md:
- LB-1/LB-2 避头尾 (kinsoku, line-start/line-end prohibition), LB-4 unbreakable units, LB-5 push-in
  before push-out (先挤进，后推出), JU-5 no orphan character (孤字);
- PC-3 a 1-em mark has 0.5 em of removable blank on its non-ink side, PC-4 adjacent marks lose
  0.5 em between their inks, PC-5 a mark at the line end (or an opening mark at the line start) drops
  its blank (标点挤压 = punctuation compression);
- JU-1 both edges flush, JU-2 shrink first in the spec's order then stretch, JU-3 no stretch inside
  units, JU-4 last lines set solid, JU-6 first-line indent (given by the caller), JU-7 loose lines;
- MX-1 ¼ em between Han and Latin/digits, never at a line edge or beside punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

from .fonts import FontMetrics
from .geometry import UNITS_PER_EM
from .style import PunctuationClasses
from .text import URL, is_han

HALF_EM = UNITS_PER_EM // 2


@lru_cache(maxsize=None)
def _token_pattern(stacked: str) -> re.Pattern:
    """LB-4: runs that are never broken. Numbers keep their separators, sign/currency prefix and unit
    suffix; month·day names in Chinese numerals (一二·九) hold together; Latin words keep inner
    apostrophes and hyphens; —— and …… are 2-em units; stacked ？！ marks are one unit."""
    stack = f"(?P<stack>[{re.escape(stacked)}]{{2,3}})|" if stacked else ""
    return re.compile(stack + r"""
        (?P<number>[¥$€+−]?[0-9]+(?:[.,:·][0-9]+)*(?:[%‰℃°′″]|[A-Za-z]+)?)
      | (?P<date>[〇一二三四五六七八九十]+·[〇一二三四五六七八九十]+)
      | (?P<latin>[A-Za-z]+(?:['’\-][A-Za-z]+)*)
      | (?P<dash>——|⸺)
      | (?P<ellipsis>……|⋯⋯)
      | (?P<space>\x20+)
      | (?P<other>.)
    """, re.X | re.S)


@dataclass(frozen=True)
class GlyphForm:
    """How one character is set (PC-1): the width it takes on the line, where its glyph sits in
    that width, the glyph's own advance as drawn, and the OpenType feature that draws it."""

    width: float
    offset: float
    advance: int
    feature: str | None = None


def glyph_form(ch: str, metrics: FontMetrics, rules: PunctuationClasses) -> GlyphForm:
    if ch in rules.full_width_forms and ch in metrics.full_width:
        advance = metrics.full_width[ch]
        return GlyphForm(width=advance, offset=0.0, advance=advance, feature="fwid")
    advance = metrics.advance(ch)
    if ch in rules.half_em_centred:
        return GlyphForm(width=HALF_EM, offset=(HALF_EM - advance) / 2, advance=advance)
    return GlyphForm(width=advance, offset=0.0, advance=advance)


def _stack_forms(chars: str, metrics: FontMetrics) -> tuple[GlyphForm, ...]:
    """PC-1: two stacked marks share 1 em, three share 2 em; each glyph's ink sits at its slot start."""
    slot = (UNITS_PER_EM if len(chars) == 2 else 2 * UNITS_PER_EM) / len(chars)
    return tuple(GlyphForm(width=slot, offset=0.0, advance=metrics.advance(c)) for c in chars)

_CONNECTORS = frozenset("-–/／")


@dataclass(frozen=True)
class Glyph:
    char: str
    x: float                    # origin, font units from the line's start edge
    advance: int                # the glyph's advance as drawn
    feature: str | None = None  # OpenType feature that draws it (fwid)


@dataclass(frozen=True)
class Line:
    glyphs: tuple[Glyph, ...]
    start: int          # offsets of the line's text in the paragraph text
    end: int
    width: float        # from the start edge to the end of the last glyph's set width
    last: bool          # a paragraph's last line: set solid (JU-4)
    loose: bool = False # JU-7: stretched more than the house style's limit

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


@dataclass
class _Unit:
    text: str
    start: int
    kind: str            # han latin number open close pause stop stack space dash ellipsis other
    forms: tuple[GlyphForm, ...]
    blank_before: int = 0  # PC-3: removable blank before an opening mark
    blank_after: int = 0   # PC-3: removable blank after a closing/pause/stop mark
    fixed_cut_before: int = 0  # PC-4 reductions, always applied
    fixed_cut_after: int = 0
    cut_before: float = field(default=0.0)
    cut_after: float = field(default=0.0)
    hanging: bool = False      # LB-7, strict grid only: a line-end mark set outside the measure

    @property
    def width(self) -> float:
        return sum(form.width for form in self.forms)

    @property
    def is_mark(self) -> bool:
        return self.kind in ("open", "close", "pause", "stop")

    @property
    def is_alnum(self) -> bool:
        return self.kind in ("latin", "number", "url")


_URL_BREAK_AFTER = re.compile(r"[^/.\-?&=#]*[/.\-?&=#]+|[^/.\-?&=#]+")


def _matches(text: str, start: int, rules: PunctuationClasses):
    """(kind, start, characters) of each unit: a web address comes in parts that may end a line
    after / . - ? & = # (a whole address rarely fits a column); the rest by the token pattern."""
    pattern = _token_pattern("".join(sorted(rules.stacked)))
    position = start
    for url in URL.finditer(text, start):
        if url.start() < position:
            continue
        for match in pattern.finditer(text, position, url.start()):
            yield match.lastgroup, match.start(), match.group()
        for part in _URL_BREAK_AFTER.finditer(text, url.start(), url.end()):
            yield "url", part.start(), part.group()
        position = url.end()
    for match in pattern.finditer(text, position):
        yield match.lastgroup, match.start(), match.group()


def _tokenize(text: str, start: int, metrics: FontMetrics, rules: PunctuationClasses) -> list[_Unit]:
    units: list[_Unit] = []
    for kind, offset, chars in _matches(text, start, rules):
        if kind == "other":
            if chars in rules.opening:
                kind = "open"
            elif chars in rules.closing:
                kind = "close"
            elif chars in rules.pause:
                kind = "pause"
            elif chars in rules.stop:
                kind = "stop"
            elif is_han(chars):
                kind = "han"
        forms = _stack_forms(chars, metrics) if kind == "stack" else \
            tuple(glyph_form(c, metrics, rules) for c in chars)
        unit = _Unit(text=chars, start=offset, kind=kind, forms=forms)
        # Only a full-width mark carries a removable half (a proportional quote glyph has none).
        if unit.is_mark and unit.width >= UNITS_PER_EM:
            if kind == "open":
                unit.blank_before = unit.width // 2
            else:
                unit.blank_after = unit.width // 2
            # PC-6: kaiming sets every mark but 。？！ half wide, half sets them all half wide.
            if rules.style == "half" or (rules.style == "kaiming" and kind != "stop"):
                unit.fixed_cut_before, unit.fixed_cut_after = unit.blank_before, unit.blank_after
        units.append(unit)
    _compress_adjacent(units)
    return units


def _compress_adjacent(units: list[_Unit]) -> None:
    """PC-4: between two adjacent marks the blank between their inks shrinks by 0.5 em."""
    for a, b in zip(units, units[1:]):
        if not (a.is_mark and b.is_mark):
            continue
        reduce = HALF_EM
        take = min(reduce, a.blank_after - a.fixed_cut_after)
        a.fixed_cut_after += take
        reduce -= take
        b.fixed_cut_before += min(reduce, b.blank_before - b.fixed_cut_before)


def _glue(a: _Unit, b: _Unit, rules: PunctuationClasses) -> float:
    """MX-1: natural space between two units inside a line."""
    if (a.kind == "han" and b.is_alnum) or (a.is_alnum and b.kind == "han"):
        return rules.han_latin_space * UNITS_PER_EM
    return 0.0


def _break_allowed(units: Sequence[_Unit], i: int, rules: PunctuationClasses) -> bool:
    """May a line end after units[i]? (LB-1, LB-2; breaks inside a unit never happen.)"""
    if i == len(units) - 1:
        return True
    before, after = units[i], units[i + 1]
    if before.kind == "space" or (before.kind == "url" and after.kind == "url"):
        return True
    if after.kind == "space":
        return False       # break after the space, so the next line does not start with it
    if after.kind in ("dash", "ellipsis"):
        if rules.dash_units_not_at_line_start:
            return False
    elif after.text[0] in rules.not_at_line_start:
        return False
    if before.text[-1] in rules.not_at_line_end:
        return False
    return True


@dataclass
class _LineFit:
    natural: float
    shrinkable: float


def _edge_trimmed(units: Sequence[_Unit], s: int, e: int, rules: PunctuationClasses) -> tuple[float, float]:
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


def _fit(units: Sequence[_Unit], s: int, e: int, rules: PunctuationClasses) -> _LineFit:
    """Natural width of units[s..e] as one line, and how much of it may shrink (JU-2)."""
    last = e
    while last > s and units[last].kind == "space":
        last -= 1
    start_cut, end_cut = _edge_trimmed(units, s, last, rules)
    natural = -start_cut - end_cut
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
            glue = _glue(u, units[k + 1], rules)
            natural += glue
            if glue:
                shrinkable += glue - rules.han_latin_space_min * UNITS_PER_EM
    return _LineFit(natural=natural, shrinkable=shrinkable)


def _fits(units: Sequence[_Unit], s: int, e: int, measure: float, rules: PunctuationClasses) -> bool:
    fit = _fit(units, s, e, rules)
    return fit.natural - fit.shrinkable <= measure + 1e-6


def _next_break(units: list[_Unit], s: int, measure: float, rules: PunctuationClasses) -> int:
    """LB-5: the last unit of the line starting at s: as many units as fit when shrunk (push-in),
    then — in strict grid mode only — a pause or stop mark hung outside the measure (LB-7), else
    backed off to the last allowed break (push-out)."""
    best = None
    e = s
    while e < len(units) and _fits(units, s, e, measure, rules):
        if _break_allowed(units, e, rules):
            best = e
        e += 1
    if rules.strict_grid and s < e < len(units) and units[e].kind in ("pause", "stop"):
        units[e].hanging = True
        if _fits(units, s, e, measure, rules) and _break_allowed(units, e, rules):
            return e
        units[e].hanging = False
    if best is None:
        if rules.strict_grid and units[s].is_alnum and not _fits(units, s, s, measure, rules):
            return _force_break(units, s, measure, rules)
        # Nothing fits before an allowed break (a unit longer than the measure): take the shortest
        # allowed line; it overflows, and the preflight reports it.
        best = s
        while not _break_allowed(units, best, rules):
            best += 1
    return best


def _force_break(units: list[_Unit], s: int, measure: float, rules: PunctuationClasses) -> int:
    """MX-3, strict grid mode: an over-long word or number is cut where the measure ends, no hyphen."""
    unit = units[s]
    width, cut = 0.0, 0
    while cut < len(unit.forms) - 1 and width + unit.forms[cut].width <= measure:
        width += unit.forms[cut].width
        cut += 1
    cut = max(cut, 1)
    head = _Unit(text=unit.text[:cut], start=unit.start, kind=unit.kind, forms=unit.forms[:cut])
    tail = _Unit(text=unit.text[cut:], start=unit.start + cut, kind=unit.kind, forms=unit.forms[cut:])
    units[s:s + 1] = [head, tail]
    return s


def _content_chars(units: Sequence[_Unit]) -> int:
    return sum(len(u.text) for u in units if not u.is_mark and u.kind != "space")


def compose_paragraph(text: str, measure: float, metrics: FontMetrics, rules: PunctuationClasses,
                      first_indent: float = 0, start: int = 0, justify: bool = True) -> tuple[Line, ...]:
    """Break text[start:] into lines of `measure` units; the first line is indented `first_indent`.

    With justify=False every line is set solid (headlines, jump lines); otherwise every line but the
    last is flush on both edges.
    """
    units = _tokenize(text, start, metrics, rules)
    if not units:
        return ()
    ranges: list[tuple[int, int]] = []
    s = 0
    while s < len(units):
        available = measure - (first_indent if not ranges else 0)
        e = _next_break(units, s, available, rules)
        ranges.append((s, e))
        s = e + 1
    _fix_orphan(units, ranges, measure, rules)
    lines = []
    for number, (s, e) in enumerate(ranges):
        indent = first_indent if number == 0 else 0
        last = number == len(ranges) - 1
        lines.append(_set_line(units, s, e, measure - indent, indent, last or not justify, rules))
    return tuple(lines)


def _fix_orphan(units: list[_Unit], ranges: list[tuple[int, int]], measure: float,
                rules: PunctuationClasses) -> None:
    """JU-5: a last line with fewer than two characters (punctuation not counted) takes units down
    from the line before, back to its previous allowed break, when the new last line still fits."""
    if len(ranges) < 2:
        return
    (ps, pe), (ls, le) = ranges[-2], ranges[-1]
    if _content_chars(units[ls:le + 1]) >= 2:
        return
    for new_end in range(pe - 1, ps - 1, -1):
        if not _break_allowed(units, new_end, rules):
            continue
        if _fits(units, new_end + 1, le, measure, rules):
            ranges[-2] = (ps, new_end)
            ranges[-1] = (new_end + 1, le)
        return


# JU-2 shrink order after the line-end mark (done by PC-5): word spaces, brackets and quotes,
# 、，；：, Han–Latin space, 。？！.
_SHRINK_STEPS = (
    ("space", lambda u: u.kind == "space"),
    ("mark", lambda u: u.kind in ("open", "close")),
    ("mark", lambda u: u.kind == "pause"),
    ("glue", None),
    ("mark", lambda u: u.kind == "stop"),
)


def _set_line(units: list[_Unit], s: int, e: int, measure: float, indent: float, solid: bool,
              rules: PunctuationClasses) -> Line:
    last_visible = e
    while last_visible > s and units[last_visible].kind == "space":
        last_visible -= 1
    line_units = units[s:last_visible + 1]
    for u in line_units:
        u.cut_before, u.cut_after = float(u.fixed_cut_before), float(u.fixed_cut_after)
    start_cut, end_cut = _edge_trimmed(units, s, last_visible, rules)
    line_units[0].cut_before += start_cut
    line_units[-1].cut_after += end_cut
    glues = [_glue(a, b, rules) for a, b in zip(line_units, line_units[1:])]
    space_width = {id(u): float(u.width) for u in line_units if u.kind == "space"}
    fit = _fit(units, s, last_visible, rules)
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


def _shrink(line_units: list[_Unit], glues: list[float], space_width: dict, excess: float,
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


def _stretchable_gap(a: _Unit, b: _Unit) -> bool:
    """JU-3: spread at gaps between units, never beside word spaces (they stretch themselves),
    connectors and solidi, nor between the parts of a web address."""
    if a.kind == "space" or b.kind == "space" or (a.kind == "url" and b.kind == "url"):
        return False
    return not (a.text[-1] in _CONNECTORS or b.text[0] in _CONNECTORS)


def _stretch(line_units: list[_Unit], glues: list[float], space_width: dict, short: float,
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
