"""Units: text → the pieces a line is made of (LB-4 unbreakable units), each character set by its
GlyphForm (PC-1), with the removable blank of full-width marks (PC-3, PC-4, PC-6)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Sequence

import pyphen

from ..fonts import FontMetrics
from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from ..text import URL, is_han

HALF_EM = UNITS_PER_EM // 2


@lru_cache(maxsize=None)
def _token_pattern(stacked: str) -> re.Pattern:
    """LB-4: runs that are never broken. Numbers keep their separators, sign or currency prefix (a
    hyphen-minus before a digit is a sign) and unit suffix (2.5GHz, 15μA, 175Wh/kg, -40℃); month·day
    names in Chinese numerals (一二·九) hold together; Latin words keep their digits (Sv39,
    SPECint2006), inner apostrophes and hyphens; —— and …… are 2-em units; stacked ？！ marks are one
    unit."""
    stack = f"(?P<stack>[{re.escape(stacked)}]{{2,3}})|" if stacked else ""
    return re.compile(stack + r"""
        (?P<number>(?:[¥$€+−]|(?<![A-Za-z0-9])-(?=[0-9]))?[0-9]+(?:[.,:·][0-9]+)*
                   (?:[%‰℃°′″]|[A-Za-zμΩ]+(?:/[A-Za-zμΩ]+)?)?)
      | (?P<date>[〇一二三四五六七八九十]+·[〇一二三四五六七八九十]+)
      | (?P<latin>[A-Za-z][A-Za-z0-9]*(?:['’\-][A-Za-z0-9]+)*)
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
    joins: bool = False        # a part of a Latin word that goes on in the next unit: a line may end
                               # here (the word's break point), nowhere else inside the word
    hyphen: int = 0            # the hyphen's width when a line ends here (0: an existing hyphen)
    bold: bool = False         # set in the bold font (measured there too)

    @property
    def width(self) -> float:
        return sum(form.width for form in self.forms)

    @property
    def is_mark(self) -> bool:
        return self.kind in ("open", "close", "pause", "stop")

    @property
    def is_alnum(self) -> bool:
        return self.kind in ("latin", "number", "url")


URL_SEPARATORS = "/.-_?&=#"


def url_cut(units: Sequence[Unit], i: int) -> bool:
    """Is a line ending after units[i] a cut inside a web address's segment, neither before nor after
    a separator?"""
    return (i + 1 < len(units) and units[i].kind == units[i + 1].kind == "url"
            and units[i].text not in URL_SEPARATORS and units[i + 1].text not in URL_SEPARATORS)


def url_cut_allowed(units: Sequence[Unit], i: int) -> bool:
    """A cut inside a segment leaves at least two of its characters on either side."""
    def inside(k: int) -> bool:
        return 0 <= k < len(units) and units[k].kind == "url" and units[k].text not in URL_SEPARATORS
    return inside(i - 1) and inside(i + 2)


def _matches(text: str, start: int, rules: PunctuationClasses):
    """(kind, start, characters) of each unit: a web address comes a character at a time, for it may
    end a line anywhere (a whole address rarely fits a column; after / . - _ ? & = # is preferred:
    `url_cut`); the rest by the token pattern."""
    pattern = _token_pattern("".join(sorted(rules.stacked)))
    position = start
    # Found in the whole text: a paragraph continued in the next column may start inside an address.
    for url in URL.finditer(text):
        if url.end() <= position:
            continue
        for match in pattern.finditer(text, position, max(position, url.start())):
            yield match.lastgroup, match.start(), match.group()
        for offset in range(max(position, url.start()), url.end()):
            yield "url", offset, text[offset]
        position = url.end()
    for match in pattern.finditer(text, position):
        yield match.lastgroup, match.start(), match.group()


def tokenize(text: str, start: int, metrics: FontMetrics, rules: PunctuationClasses,
             hyphenate: bool = True, bold: Sequence[tuple[int, int]] = (),
             bold_metrics: FontMetrics | None = None) -> list[Unit]:
    """The units of text[start:]; those starting inside a `bold` span (offsets) are measured and set
    in `bold_metrics`."""
    units: list[Unit] = []
    plain = metrics
    for kind, offset, chars in _matches(text, start, rules):
        in_bold = bold_metrics is not None and any(s <= offset < e for s, e in bold)
        metrics = bold_metrics if in_bold else plain
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
        if kind == "latin" and hyphenate:
            units += _word_parts(chars, offset, metrics, rules, in_bold)
            continue
        forms = _stack_forms(chars, metrics) if kind == "stack" else \
            tuple(glyph_form(c, metrics, rules) for c in chars)
        unit = Unit(text=chars, start=offset, kind=kind, forms=forms, bold=in_bold)
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


@lru_cache(maxsize=8)
def _dictionary(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang=language)


def _break_points(word: str, rules: PunctuationClasses) -> list[tuple[int, bool]]:
    """Where a Latin word may end a line: (offset, whether a hyphen is added). After a hyphen it has,
    and at the dictionary's points of its plain words (no acronyms, no names with digits), keeping
    at least `hyphen_min_left/right` letters on either side."""
    left, right = rules.hyphen_min_left, rules.hyphen_min_right
    points: list[tuple[int, bool]] = []
    position = 0
    for piece in re.split(r"(?<=-)", word):
        plain = piece.rstrip("-")
        if rules.hyphenation and plain.isalpha() and not plain.isupper():
            points += [(position + point, True) for point in _dictionary(rules.hyphenation).positions(plain)
                       if point >= left and len(plain) - point >= right]
        end = position + len(piece)
        if piece.endswith("-") and len(plain) >= left and len(word) - end >= right:
            points.append((end, False))
        position = end
    return points


def _word_parts(word: str, start: int, metrics: FontMetrics, rules: PunctuationClasses,
                bold: bool) -> list[Unit]:
    """A Latin word as one unit, or as parts between the points where it may break."""
    parts, previous = [], 0
    for point, hyphenated in _break_points(word, rules) + [(len(word), False)]:
        text = word[previous:point]
        parts.append(Unit(text=text, start=start + previous, kind="latin",
                          forms=tuple(glyph_form(c, metrics, rules) for c in text), joins=point < len(word),
                          hyphen=metrics.advance("-") if hyphenated else 0, bold=bold))
        previous = point
    return parts


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
