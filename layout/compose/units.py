"""Units: text → the pieces a line is made of (LB-4 unbreakable units), each character set by its
GlyphForm (PC-1), with the removable blank of full-width marks (PC-3, PC-4, PC-6)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Mapping, Sequence

import pyphen

from ..fonts import FontMetrics
from ..geometry import UNITS_PER_EM
from ..style import PunctuationClasses
from ..text import LETTERS, SUPERSCRIPTS_SUBSCRIPTS, URL, is_han

HALF_EM = UNITS_PER_EM // 2


@lru_cache(maxsize=None)
def _token_pattern(stacked: str) -> re.Pattern:
    """LB-4: runs that are never broken. Numbers keep their separators (a score 3∶1, 96-95, 90+3, a
    telephone number 0513-85208888, a date 2020-06-06), sign or currency prefix (a hyphen-minus
    before a digit is a sign) and unit suffix (2.5GHz, 15μA, 175Wh/kg, -40℃, m²); month·day names in
    Chinese numerals (一二·九) hold together; Latin words — with accented letters, Greek and Cyrillic
    — keep their digits (Sv39, SPECint2006, LiNi0.8Co0.1Mn0.1O2), super- and subscripts (m³, CO₂),
    inner apostrophes and hyphens; —— and …… are 2-em units; stacked ？！ marks are one unit."""
    stack = f"(?P<stack>[{re.escape(stacked)}]{{2,3}})|" if stacked else ""
    word = f"[{LETTERS}0-9{SUPERSCRIPTS_SUBSCRIPTS}]"
    return re.compile(stack + r"""
        (?P<number>(?:[¥$€£+−]|(?<![A-Za-z0-9])-(?=[0-9]))?[0-9]+(?:(?:[.,:·∶]|[-+–−~](?=[0-9]))[0-9]+)*
                   (?:[%‰℃°′″]|[A-Za-zμΩ²³]+(?:/[A-Za-zμΩ]+[²³]?)?)?)
      | (?P<date>[〇一二三四五六七八九十]+·[〇一二三四五六七八九十]+)
      | (?P<latin>""" + rf"[{LETTERS}]{word}*(?:(?:['’\-]|(?<=[0-9\u2080-\u2089])\.(?=[0-9\u2080-\u2089]))(?:{word})+)*" + r""")
      | (?P<dash>——|⸺)
      | (?P<ellipsis>……|⋯⋯)
      | (?P<space>[\x20\u3000]+)
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


WORD_CUT = 3


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
    no_break_before: bool = False   # LB-1: a line may not start with this unit
    no_break_after: bool = False    # LB-2: a line may not end with it
    cut: int = 0               # a line ending here is a last resort: it cuts a web address inside a
                               # segment or a word too long for its column where its parts meet (1),
                               # such a word between two characters (2), or a word that would fit
                               # its column (WORD_CUT: a long CamelCase name at its parts, an English
                               # word with a hyphen outside the dictionary's points)

    @property
    def width(self) -> float:
        return sum(form.width for form in self.forms)

    @property
    def is_mark(self) -> bool:
        return self.kind in ("open", "close", "pause", "stop")

    @property
    def is_alnum(self) -> bool:
        return self.kind in ("latin", "number", "url")


# A web address breaks after a slash (not inside `//`, never between `https:` and `//`) and before
# these (as the Chicago Manual breaks them; not before a dot a digit follows, which would read as a
# decimal); inside a segment only as a last resort, leaving two or more of its characters on either
# side, and never with a hyphen, which would read as part of it.
URL_BREAK_BEFORE = ".?#&=-_~%@,;+"
URL_SEPARATORS = URL_BREAK_BEFORE + "/:!$*'()"


def _url_breaks(address: str) -> list[tuple[bool, bool]]:
    """For each character of an address but the last: (a line may end after it, only as a cut)."""
    def segment(k: int) -> bool:
        return 0 <= k < len(address) and address[k] not in URL_SEPARATORS
    scheme = address.find("://")
    scheme = scheme + 2 if scheme >= 0 else -1       # never broken before the end of https://
    breaks = []
    for k in range(len(address) - 1):
        here, after = address[k], address[k + 1]
        decimal = after == "." and address[k + 2:k + 3].isdigit()      # .4970 would read as a number
        if k < scheme:
            breaks.append((False, False))
        elif (here == "/" and after != "/") or (after in URL_BREAK_BEFORE and here not in ":/" and not decimal):
            breaks.append((True, False))
        elif segment(k) and segment(k + 1):
            breaks.append((segment(k - 1) and segment(k + 2), True))
        else:
            breaks.append((False, False))
    return breaks


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
             bold_metrics: FontMetrics | None = None, measure: float | None = None) -> list[Unit]:
    """The units of text[start:]; those starting inside a `bold` span (offsets) are measured and set
    in `bold_metrics`. A word or number wider than `measure` gets break points of last resort."""
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
        if kind in ("latin", "number"):
            units += _word_parts(chars, kind, offset, metrics, rules, in_bold, hyphenate and kind == "latin", measure)
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
    _mark_breaks(units, text, rules)
    return units


# Hashtags: Weibo's #话题# (a pair around a topic) and #Word: the opening # stays with what it
# opens, a closing # with what it closes.
_WEIBO_TOPIC = re.compile(r"#[^#\s]{1,60}?#(?![A-Za-z0-9])")


def _mark_breaks(units: list[Unit], text: str, rules: PunctuationClasses) -> None:
    """LB-1, LB-2 on each unit (in Latin prose as in Chinese: the house style's sets hold both), at
    the house style's strictness (LB-3); an ASCII quote opens or closes by what stands beside it;
    a web address breaks by its own rules (`_url_breaks`)."""
    for first, last in _runs_of(units, "url"):
        address = "".join(u.text for u in units[first:last + 1])
        for u, (allowed, cut) in zip(units[first:last], _url_breaks(address)):
            u.no_break_after, u.cut = not allowed, int(cut)
    if rules.strictness == "none":
        return
    closing_hashes = {m.end() - 1 for m in _WEIBO_TOPIC.finditer(text)}
    for before, space, after in zip(units, units[1:], units[2:]):
        if space.kind == "space" and before.kind == "number" and after.kind == "latin" and after.text in rules.units:
            space.no_break_after = True      # LB-4: 31.8 mm, 24 μg/m³
    for u in units:
        if u.kind in ("url", "space"):
            continue
        if u.kind in ("dash", "ellipsis"):
            u.no_break_before = rules.dash_units_not_at_line_start
        else:
            u.no_break_before = u.text[0] in rules.not_at_line_start
        u.no_break_after = u.text[-1] in rules.not_at_line_end
        if u.text in ("\"", "'"):
            before = text[u.start - 1] if u.start else " "
            after = text[u.start + 1] if u.start + 1 < len(text) else " "
            opening = not after.isspace() and (before.isspace() or before in "([{" or not before.isascii())
            u.no_break_after, u.no_break_before = opening, not opening
        elif u.text in "#@" and u.kind == "other":
            if u.start in closing_hashes:
                u.no_break_before = True
            elif u.start + 1 < len(text) and not text[u.start + 1].isspace():
                u.no_break_after = True


def _runs_of(units: Sequence[Unit], kind: str) -> list[tuple[int, int]]:
    """(first, last) index of each run of consecutive units of a kind, adjacent in the text."""
    runs: list[tuple[int, int]] = []
    for i, u in enumerate(units):
        if u.kind != kind:
            continue
        if runs and runs[-1][1] == i - 1 and units[i - 1].start + len(units[i - 1].text) == u.start:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


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


# A word too long for its column (a product code, a CamelCase name, a long number) breaks, without a
# hyphen, where its parts meet — a small letter before a capital, letters beside digits — and, as a
# last resort, between any two characters. A long CamelCase name (half a column or more) may break
# where a capital starts a part of three letters or more after three letters or two digits
# (SmartVision|Kit, XJ2000|Pro), rather than leave a line spread.
_WORD_PARTS = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])|(?<=[0-9])(?=[A-Za-z])|(?<=[A-Z])(?=[A-Z][a-z])")
_LONG_CAMEL_PARTS = re.compile(r"(?:(?<=[A-Za-z]{3})(?<=[a-z])|(?<=[0-9]{2}))(?=[A-Z][a-z]{2})")


def _cut_points(word: str, kind: str, widths: Sequence[float], points: Sequence[int],
                measure: float) -> dict[int, int]:
    """Break points of last resort of a word (see above), by how last a resort each is: where its
    parts meet (1), between any other two characters that leave two of a part on either side (2).
    `points`: where it breaks anyway (hyphenation)."""
    cuts: dict[int, int] = {}

    def too_wide(s: int, e: int) -> bool:
        return sum(widths[s:e]) > measure

    if kind == "latin" and sum(widths) >= measure / 2:
        cuts.update({m.start(): WORD_CUT for m in _LONG_CAMEL_PARTS.finditer(word)})
    bounds = [0, *sorted(points), len(word)]
    for s, e in zip(bounds, bounds[1:]):
        if not too_wide(s, e):
            continue
        parts = [s, *(m.start() for m in _WORD_PARTS.finditer(word, s, e) if s < m.start() < e), e]
        cuts.update({offset: 1 for offset in parts[1:-1]})
        for a, b in zip(parts, parts[1:]):      # two characters of a part at least on either side
            cuts.update({offset: 2 for offset in range(a + 2, b - 1)})
    return {offset: level for offset, level in cuts.items() if offset not in points}


_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿāăąēĕėęěīĭįıōŏőœūŭůűų")
_DIGRAPHS = frozenset(("ch", "ck", "gh", "ng", "ph", "qu", "sh", "th", "wh"))


def _emergency_hyphens(word: str, points: Mapping[int, bool], rules: PunctuationClasses) -> list[int]:
    """Where an English word or name may break with a hyphen beyond the dictionary's points (it knows
    names little: Whitaker), as a last resort rather than leave a line loose: before a consonant that
    opens a syllable (a consonant before a vowel, no digraph split: Whi-ta-ker, Montgo-mery), a vowel
    on either side of the break, the house style's letters kept on either side, never before a
    capital — never inside a syllable (memb-ers, sm-all)."""
    offsets, position = [], 0
    for piece in re.split(r"(?<=-)", word):
        plain = piece.rstrip("-")
        lower = plain.lower()
        if plain.isalpha() and not plain.isupper():
            for k in range(max(rules.hyphen_min_left, 2), len(plain) - max(rules.hyphen_min_right, 3) + 1):
                opens = lower[k] not in _VOWELS and lower[k + 1] in _VOWELS and lower[k - 1:k + 1] not in _DIGRAPHS
                if opens and any(ch in _VOWELS for ch in lower[:k]) and not plain[k].isupper() \
                        and position + k not in points:
                    offsets.append(position + k)
        position += len(piece)
    return offsets


def _word_parts(word: str, kind: str, start: int, metrics: FontMetrics, rules: PunctuationClasses,
                bold: bool, hyphenate: bool, measure: float | None) -> list[Unit]:
    """A Latin word or a number as one unit, or as parts between the points where it may break."""
    forms = tuple(glyph_form(c, metrics, rules) for c in word)
    points = dict(_break_points(word, rules)) if hyphenate else {}
    cuts = {} if measure is None else _cut_points(word, kind, [form.width for form in forms], list(points), measure)
    if hyphenate and measure is not None and not rules.strict_grid:      # the strict grid cuts at the measure
        for offset in _emergency_hyphens(word, points, rules):
            points[offset] = True
            cuts[offset] = WORD_CUT
    parts, previous = [], 0
    for point in sorted(set(points) | set(cuts)) + [len(word)]:
        parts.append(Unit(text=word[previous:point], start=start + previous, kind=kind, forms=forms[previous:point],
                          joins=point < len(word), hyphen=metrics.advance("-") if points.get(point) else 0,
                          cut=cuts.get(point, 0), bold=bold))
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


def latin_side(u: Unit) -> bool:
    """A unit of Latin text: a word, a number, a web address, or an ASCII mark beside them."""
    return u.kind in ("latin", "number", "url") or (u.kind != "space" and u.text.isascii())


def letter_pair(a: Unit, b: Unit) -> bool:
    """Two units of Latin text side by side (a word and its comma, a word's parts, a web address):
    the space between them is letter-spacing, not a gap to spread (JU-3)."""
    return latin_side(a) and latin_side(b) and a.kind != "space" and b.kind != "space"


def latin_letters(line_units: Sequence[Unit]) -> int:
    """The places between the letters of Latin text in a run of units (inside words, between a
    word's parts, beside its marks, in web addresses; not between digits)."""
    return (sum(len(u.text) - 1 for u in line_units if u.kind == "latin")
            + sum(letter_pair(a, b) and not (a.joins and a.kind == "number") for a, b in zip(line_units, line_units[1:])))


def has_glue(a: Unit, b: Unit) -> bool:
    """MX-1: Han meets a Latin word, a number or a web address."""
    return (a.kind == "han" and b.is_alnum) or (a.is_alnum and b.kind == "han")


def glue(a: Unit, b: Unit, rules: PunctuationClasses) -> float:
    """MX-1: natural space between two units inside a line."""
    return rules.han_latin_space * UNITS_PER_EM if has_glue(a, b) else 0.0
