"""Units: text → the pieces a line is made of (LB-4 unbreakable units), each character set by its
GlyphForm (PC-1), with the removable blank of full-width marks (PC-3, PC-4, PC-6)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ..fonts import FontMetrics
from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from ..text import URL, is_han

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

CONNECTORS = frozenset("-–/／")


@dataclass
class Unit:
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


def tokenize(text: str, start: int, metrics: FontMetrics, rules: PunctuationClasses) -> list[Unit]:
    units: list[Unit] = []
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
        unit = Unit(text=chars, start=offset, kind=kind, forms=forms)
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


def _compress_adjacent(units: list[Unit]) -> None:
    """PC-4: between two adjacent marks the blank between their inks shrinks by 0.5 em."""
    for a, b in zip(units, units[1:]):
        if not (a.is_mark and b.is_mark):
            continue
        reduce = HALF_EM
        take = min(reduce, a.blank_after - a.fixed_cut_after)
        a.fixed_cut_after += take
        reduce -= take
        b.fixed_cut_before += min(reduce, b.blank_before - b.fixed_cut_before)


def glue(a: Unit, b: Unit, rules: PunctuationClasses) -> float:
    """MX-1: natural space between two units inside a line."""
    if (a.kind == "han" and b.is_alnum) or (a.is_alnum and b.kind == "han"):
        return rules.han_latin_space * UNITS_PER_EM
    return 0.0
