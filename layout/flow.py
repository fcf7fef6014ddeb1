"""Flow: thread each story through its blocks → placed lines on every page + the fit report.

A block is laid out top-down on whole grid lines: (notice inset) headline group or jump headline,
then the body frames (the block's text columns), filled one after another. The thread's text runs
on into its next block; a part that continues on a later page ends with a jump line (下转), a part
that continues an earlier page starts with one (上接). Page furniture (masthead, running head) is
placed here too, so the page stage only paints.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from lunar_python import Solar

from .compose import Line, byline_lines, compose_paragraph
from .compose.headline import compose_headline, widest_word, word_starts
from .compose.kept import Compositions
from .compose.names import names_lines
from .fonts import FontMetrics
from .geometry import (EM_BOX_ASCENT, UNITS_PER_EM, PageGeometry, Rect, Rule, grid_baseline, mm_to_pt, pt_to_mm,
                       pt_to_units, split_columns, units_to_pt)
from .plan import AdBlock, Edition, ImageBlock, IndexBlock, PagePlan, StoryBlock, file_name
from .rules import block_rules
from .style import HouseStyle
from .text import ClosingLines, Names, Paragraph, Story, StoryItem, Subhead, Verse



@dataclass(frozen=True)
class PlacedLine:
    kind: str             # a text kind of the house style: body, subhead, headline, …
    x: float              # pt: the line's start edge, from the left of its container
    baseline: float       # pt: from the top of its container
    line: Line
    measure: float        # pt available to the line (its frame or box width)
    paragraph_end: bool = False
    size: float | None = None     # pt, where not its kind's size in the house style (headline-size)
    source_line: int | None = None   # a story's text: the line of its file the paragraph starts on


def line_size(placed: PlacedLine, style: HouseStyle) -> float:
    """The size a placed line is set and painted at."""
    return placed.size or style.text[placed.kind].size_pt


@dataclass(frozen=True)
class PlacedBlock:
    label: str
    rect: Rect                     # on the type area
    story: str | None
    frames: tuple[Rect, ...]       # body text columns, relative to the block
    lines: tuple[PlacedLine, ...]  # relative to the block
    boxed: bool = False
    image: ImageBlock | None = None
    image_rect: Rect | None = None
    ad: AdBlock | None = None


@dataclass(frozen=True)
class PlacedPage:
    number: int
    blocks: tuple[PlacedBlock, ...]
    furniture: tuple[PlacedLine, ...]   # relative to the trim box
    rules: tuple[Rule, ...]             # relative to the trim box
    logo: tuple[Path, Rect, str] | None = None   # the masthead's logo: SVG, its box on the trim, CSS position


@dataclass(frozen=True)
class BlockFit:
    page: int
    lines_used: int       # body lines filled, summed over the block's text columns
    lines: int            # body lines available
    text_columns: int
    headline_lines: int
    frames: tuple[tuple[float, float, float, float], ...]   # text columns on the trim box: x, y, w, h (pt)
    lines_lacking: int = 0  # grid lines the block lacks before it holds a first line of text (too low)


MAX_CUTS = 3       # paragraphs named where a cut saves a line


@dataclass(frozen=True)
class Cut:
    """A paragraph whose last line holds only `chars` characters (half a line at most): cutting
    that many saves a line."""
    line: int             # where the paragraph starts in the story file
    chars: int


@dataclass(frozen=True)
class StoryFit:
    story: str
    blocks: tuple[BlockFit, ...]
    overset_lines: int
    underset_lines: int
    loose_lines: int
    line_chars: int = 0             # characters a body line holds in the story's last column
    cuts: tuple[Cut, ...] = ()      # the shortest last lines of its paragraphs, shortest first

    @property
    def overset_chars(self) -> int:
        """About how many characters to cut (at the measure of the column the overset would fill)."""
        return self.overset_lines * self.line_chars

    @property
    def underset_chars(self) -> int:
        return self.underset_lines * self.line_chars

    @property
    def grid_lines_short(self) -> int:
        """Grid lines the last block needs to hold the overset (its text columns share each)."""
        return -(-self.overset_lines // self.blocks[-1].text_columns) + self.blocks[-1].lines_lacking


def hyphenation_advice(hyphenating: bool) -> str:
    """Advice to let English words break, only where the house style does not break them already."""
    return "" if hyphenating else ", allow hyphenation in the house style (latin.hyphenate)"


def wide_word_remedy(hyphenating: bool) -> str:
    """What an editor can do about a line a long word keeps from being flush."""
    return f"cut or rephrase the word{hyphenation_advice(hyphenating)}, or give the block wider columns"


@dataclass(frozen=True)
class LineNote:
    """A body line the editor must look at, and where: the story, the page, the story file and the
    line its paragraph starts on, the line as set."""
    story: str
    page: int
    file: Path
    line: int
    text: str
    hyphenating: bool       # the house style already breaks English words (latin.hyphenate)

    def where(self) -> str:
        return f"{self.file}:{self.line}: story '{self.story}', page {self.page}"


    def shown(self) -> str:
        """The line's text as quoted in a message: a run of thousands of characters is not."""
        if len(self.text) <= 60:
            return self.text
        return f"{self.text[:40]}…{self.text[-12:]} ({len(self.text)} characters)"


@dataclass(frozen=True)
class SettingFault(LineNote):
    """A line the composer could not make flush (JU-1): one unit wider than its column, or nothing
    on it may stretch. The preflight would refuse it; the edition goes out as a proof."""
    width_em: float
    measure_em: float

    def message(self) -> str:
        if self.width_em > self.measure_em:
            what = f"'{self.shown()}' is {self.width_em:.1f} em wide, its column {self.measure_em:.1f} em"
        else:
            what = f"'{self.shown()}' cannot be spread to its column ({self.width_em:.1f} of {self.measure_em:.1f} em)"
        return f"{self.where()}: {what}; {wide_word_remedy(self.hyphenating)}"


@dataclass(frozen=True)
class LooseLine(LineNote):
    """A flush line spread wider than the house style's loose limit (JU-7): printed, and flagged."""

    def message(self) -> str:
        return (f"{self.where()}: '{self.shown()}' is set loose (JU-7): a long word or number nearby leaves "
                f"this line little to break at; rephrase or move it{hyphenation_advice(self.hyphenating)}")


@dataclass(frozen=True)
class BrokenWord(LineNote):
    """A body line that ends inside a word too long for its column, or inside a web address, where
    it has no break point (a last resort): printed, and told, for the editor can do nothing about a
    web address at midnight but should see it."""

    def message(self) -> str:
        return (f"{self.where()}: '{self.shown()}' ends inside a word or web address too long for its column, "
                "where it has no break point (no hyphen is added): check that it reads right")


@dataclass(frozen=True)
class PlacementFault:
    """Something the plan or a story asks that the page cannot hold as asked — a caption longer than
    its picture's block, a paper name wider than the masthead leaves it, a picture too coarse for
    its size: it would print over its neighbours or blurred, so the edition goes out as a proof."""
    file: Path
    line: int | None
    page: int
    what: str
    remedy: str

    def message(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: page {self.page}: {self.what}; {self.remedy}"


@dataclass(frozen=True)
class FlowResult:
    pages: tuple[PlacedPage, ...]
    fits: tuple[StoryFit, ...]
    faults: tuple[SettingFault, ...] = ()
    loose: tuple[LooseLine, ...] = ()
    misplaced: tuple[PlacementFault, ...] = ()
    broken: tuple[BrokenWord, ...] = ()
    typography: tuple = ()        # the typographic preflight of its lines (check.typography.StoryTypography)
    composed: Mapping | None = None   # its body lines as composed, by story (prepare.composed_lines)


class _Setter:
    """Composes text of a given kind with the right font and size; each composition once, or taken
    from an earlier flow (compose.kept)."""

    def __init__(self, style: HouseStyle, metrics: Mapping[str, FontMetrics],
                 compositions: Compositions | None = None):
        self.style = style
        self.metrics = metrics
        self.compositions = compositions or Compositions()    # and headlines' widest words

    def size(self, kind: str) -> float:
        return self.style.text[kind].size_pt

    def lines(self, kind: str, text: str, measure_pt: float, justify: bool = True, start: int = 0,
              indent_em: float = 0, size: float | None = None,
              bold: tuple[tuple[int, int], ...] = ()) -> tuple[Line, ...]:
        size = size or self.size(kind)
        return self.compositions.composed(
            (kind, text, round(measure_pt, 6), justify, start, indent_em, size, bold),
            lambda: compose_paragraph(
                text, pt_to_units(measure_pt, size), self.metrics[self.style.text[kind].font],
                self.style.punctuation, first_indent=indent_em * UNITS_PER_EM, start=start, justify=justify,
                bold=bold, bold_metrics=self.metrics[self.style.text["bold"].font] if bold else None))

    def headline_lines(self, kind: str, text: str, measure_pt: float, size: float) -> tuple[Line, ...]:
        """A headline group text set solid, broken where the editor broke it, and else only between
        words into lines as even as they can be (a word wider than the measure is broken where the
        composer must: `too_wide_word` names it)."""
        def compose() -> tuple[Line, ...]:
            lines = []
            for part in text.split("\n"):
                composed = compose_headline(part, pt_to_units(measure_pt, size), self.metrics[self.style.text[kind].font],
                                            self.style.punctuation, self._word_starts(part))
                lines += composed if composed is not None else self.lines(kind, part, measure_pt, justify=False,
                                                                          size=size)
            return tuple(lines)
        return self.compositions.composed(("headline", kind, text, round(measure_pt, 6), size), compose)

    def too_wide_word(self, kind: str, text: str, measure_pt: float, size: float) -> tuple[str, float] | None:
        """The widest word of a headline group text, and its width in pt, if it is wider than the measure."""
        # In font units the widest word is the same at every size: found once per text, then scaled.
        word, width = self.compositions.composed(("widest", kind, text), lambda: max(
            (widest_word(part, self.metrics[self.style.text[kind].font], self.style.punctuation,
                         self._word_starts(part)) for part in text.split("\n")), key=lambda w: w[1]))
        return (word, units_to_pt(width, size)) if units_to_pt(width, size) > measure_pt + 1e-6 else None

    def fitted_size(self, kind: str, text: str, measure_pt: float, size: float) -> float:
        """The size a headline is set at: its own, or — where the house style allows fitting down
        (headline_group.min_size) and a word is wider than the measure — the largest 号 size down to
        the minimum at which every word fits."""
        smallest = self.style.headline_min_size
        if smallest is None or not self.too_wide_word(kind, text, measure_pt, size):
            return size
        for smaller in sorted({pt for pt in self.style.hao.values() if smallest <= pt < size}, reverse=True):
            if not self.too_wide_word(kind, text, measure_pt, smaller):
                return smaller
        return size

    def _word_starts(self, text: str) -> frozenset[int]:
        return word_starts(text, self.style.headline_measure_words, self.style.headline_words)

    def byline_lines(self, text: str, measure_pt: float) -> tuple[Line, ...]:
        return self.compositions.composed(("byline", text, round(measure_pt, 6)), lambda: byline_lines(
            text, pt_to_units(measure_pt, self.size("byline")), self.metrics[self.style.text["byline"].font],
            self.style.punctuation, self.style.byline_roles, self._word_starts))

    def one_line(self, kind: str, text: str) -> Line:
        return self.lines(kind, text, 1e6, justify=False)[0]


def threads_of(edition: Edition) -> dict[str, list[tuple[PagePlan, StoryBlock]]]:
    """Each story's blocks in the order its text fills them: page order, then as listed."""
    threads: dict[str, list[tuple[PagePlan, StoryBlock]]] = {}
    for page in edition.pages:
        for block in page.blocks:
            if isinstance(block, StoryBlock):
                threads.setdefault(block.story, []).append((page, block))
    return threads


def flow_edition(edition: Edition, style: HouseStyle, geometry: PageGeometry,
                 metrics: Mapping[str, FontMetrics], compositions: Compositions | None = None) -> FlowResult:
    """Place every page; the lines composed are added to `compositions`, and taken from what it
    holds of an earlier flow."""
    setter = _Setter(style, metrics, compositions)
    threads = threads_of(edition)
    placed: dict[tuple[int, int], PlacedBlock] = {}
    fits, faults, loose, misplaced, broken = [], [], [], [], []
    for story_id, parts in threads.items():
        blocks, fit = _flow_thread(edition.stories[story_id], edition.plan_path, parts, style, geometry, setter,
                                   faults, loose, misplaced, broken)
        for (page, block), placed_block in zip(parts, blocks):
            placed[(page.number, id(block))] = placed_block
        fits.append(fit)
    # Blocks that open with a headline group, whose white line above it a rule may take (GR-6).
    opens_white = {id(block) for parts in threads.values() for index, (page, block) in enumerate(parts)
                   if style.headline_white_above and (index == 0 or parts[index - 1][0].number != page.number)}
    boxed = {id(block) for parts in threads.values() for _, block in parts
             if _boxed(block, edition.stories[block.story])}
    pages = []
    for page in edition.pages:
        page_blocks = []
        for block in page.blocks:
            if isinstance(block, StoryBlock):
                page_blocks.append(placed[(page.number, id(block))])
            elif isinstance(block, IndexBlock):
                page_blocks.append(_place_index(block, page.number, edition, threads, style, geometry, setter,
                                                misplaced))
            elif isinstance(block, AdBlock):
                page_blocks.append(PlacedBlock(label=block.label, story=None, frames=(), lines=(), ad=block,
                                               rect=geometry.grid_rect(block.area.col, block.area.cols,
                                                                       block.area.line, block.area.lines)))
            else:
                page_blocks.append(_place_image(block, page.number, edition.plan_path, geometry, setter, misplaced))
        furniture, rules, logo = _furniture(edition, page, style, geometry, setter, misplaced)
        pages.append(PlacedPage(number=page.number, blocks=tuple(page_blocks), furniture=furniture,
                                rules=rules + block_rules(page, opens_white, boxed, style, geometry), logo=logo))
    return FlowResult(pages=tuple(pages), fits=tuple(fits), faults=tuple(faults), loose=tuple(loose),
                      misplaced=tuple(misplaced), broken=tuple(broken))


def proof_of(flow: FlowResult, style: HouseStyle, geometry: PageGeometry,
             metrics: Mapping[str, FontMetrics]) -> FlowResult:
    """The same pages as a proof (an edition that cannot go to print): the house style's
    not-for-print mark across the top of every page."""
    setter = _Setter(style, metrics)
    mark = setter.one_line("proof-mark", style.proof_mark)
    width = units_to_pt(mark.width, setter.size("proof-mark"))
    placed = PlacedLine(kind="proof-mark", x=(geometry.trim_width - width) / 2, baseline=geometry.type_top / 2,
                        line=mark, measure=width)
    return replace(flow, pages=tuple(replace(page, furniture=page.furniture + (placed,)) for page in flow.pages))


CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_number(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (proofs are counted so: 一校, 二校, …)."""
    tens, ones = divmod(number, 10)
    if number < 10:
        return CHINESE_DIGITS[number]
    if number >= 100:
        return str(number)
    return (CHINESE_DIGITS[tens] if tens > 1 else "") + "十" + (CHINESE_DIGITS[ones] if ones else "")


def stamp_area(style: HouseStyle, geometry: PageGeometry) -> Rect:
    """The band above the type area where a proof's mark and stamp stand, whatever its number and
    time: what a comparison of two proofs, or of a proof with the print files, leaves out (the
    stamps differ by design, and the print files have no mark)."""
    size = max(style.text["proof-stamp"].size_pt, style.text["proof-mark"].size_pt)
    return Rect(0.0, geometry.type_top / 2 - 1.5 * size, geometry.trim_width, 2 * size)


def proof_stamp(number: int, made: dt.datetime, style: HouseStyle, geometry: PageGeometry,
                metrics: Mapping[str, FontMetrics]) -> PlacedPage:
    """A page holding only the stamp a proof carries beside its mark — which proof of the date and
    when — at the right edge of the type area. Laid over every proof page when it is made, so the
    pages themselves stay the same from proof to proof (and come from the page cache)."""
    setter = _Setter(style, metrics)
    text = style.proof_stamp.format(number=chinese_number(number), time=made.strftime(style.proof_stamp_time))
    stamp = setter.one_line("proof-stamp", text)
    width = units_to_pt(stamp.width, setter.size("proof-stamp"))
    placed = PlacedLine(kind="proof-stamp", x=geometry.type_left + geometry.type_width - width,
                        baseline=geometry.type_top / 2, line=stamp, measure=width)
    return PlacedPage(number=0, blocks=(), furniture=(placed,), rules=())


def _too_wide(line: Line, size: float, measure: float) -> float | None:
    """The line's width in pt when it is wider than `measure` (pt), else None."""
    width = units_to_pt(line.width, size)
    return width if width > measure + 0.01 else None


def _headline_group(parts: list[tuple[str, str, float]], width: float, top: float, style: HouseStyle,
                    geometry: PageGeometry, setter: _Setter) -> tuple[list[PlacedLine], int]:
    """GR-6: kicker/headline/deck stacked, centred, on whole grid lines → lines and depth in lines."""
    stacked: list[tuple[str, Line, float]] = []
    height = 0.0
    for number, (kind, text, size) in enumerate(parts):
        if number:
            height += style.headline_gap_pt
        for line in setter.headline_lines(kind, text, width, size):
            stacked.append((kind, line, size))
            height += size * style.headline_line_height
    body_lines = geometry.lines_for_height(height)
    depth = style.headline_white_above + body_lines + style.headline_white_below
    y = top + style.headline_white_above * geometry.pitch + (body_lines * geometry.pitch - height) / 2
    placed = []
    previous_kind = None
    for kind, line, size in stacked:
        if previous_kind is not None and kind != previous_kind:
            y += style.headline_gap_pt
        line_height = size * style.headline_line_height
        baseline = y + (line_height - size) / 2 + EM_BOX_ASCENT * size
        line_width = units_to_pt(line.width, size)
        x = (width - line_width) / 2 if style.headline_align == "center" else 0.0
        placed.append(PlacedLine(kind=kind, x=x, baseline=baseline, line=line, measure=width,
                                 size=None if size == setter.size(kind) else size))
        y += line_height
        previous_kind = kind
    return placed, depth


@dataclass
class _Cursor:
    item: int = 0
    offset: int = 0     # character offset inside a paragraph or verse, name of a name list, line of closing lines


def _story_items(story: Story) -> list[StoryItem | str]:
    """The story's items; the byline, set flush right after the text, is the last one."""
    items: list[StoryItem | str] = list(story.items)
    if story.byline:
        items.append(story.byline)
    return items


def _rows(item: StoryItem | str, cursor: _Cursor, measure: float, style: HouseStyle,
          setter: _Setter) -> list[tuple[str, Line | None, bool, bool]]:
    """The rows an item still needs at this measure: (kind, line or None for white, flush right,
    paragraph end)."""
    if isinstance(item, Paragraph):
        indent = style.first_line_indent_em if cursor.offset == 0 else 0
        lines = setter.lines("body", item.text, measure, start=cursor.offset, indent_em=indent, bold=item.bold)
        return [("body", line, False, line.last) for line in lines]
    if isinstance(item, Subhead):
        lines = setter.lines("subhead", item.text, measure)
        return [("white", None, False, False)] * style.subhead_white_above + \
            [("subhead", line, False, line.last) for line in lines]
    if isinstance(item, ClosingLines):
        return [("closing", setter.one_line("closing", text), True, True) for text in item.lines[cursor.offset:]]
    if isinstance(item, Verse):
        # Progress is a character offset into the verse's lines joined (each line one character
        # longer), so a verse continued in a column of another width goes on where it stopped.
        indent = style.verse_indent_em * UNITS_PER_EM
        measure_pt = measure - units_to_pt(indent, setter.size("verse"))
        rows, base = [], 0
        for text in item.lines:
            if cursor.offset < base + len(text) + 1:
                start = max(0, cursor.offset - base)
                rows += [("verse", _indented(replace(line, start=base + line.start, end=base + line.end), indent),
                          False, True) for line in setter.lines("verse", text, measure_pt, justify=False, start=start)]
            base += len(text) + 1
        return rows
    if isinstance(item, Names):
        # Progress is the index of the next name (a line's start and end count names).
        lines = names_lines(item.names, pt_to_units(measure, setter.size("names")),
                            setter.metrics[style.text["names"].font], style.names_cell_chars, style.names_gap_em,
                            first=cursor.offset)
        return [("names", line, False, line.last) for line in lines]
    # A byline's progress is the number of its lines already set.
    return [("byline", line, style.byline_align == "end", True)
            for line in setter.byline_lines(item, measure)[cursor.offset:]]


def _indented(line: Line, indent: float) -> Line:
    return replace(line, glyphs=tuple(replace(g, x=g.x + indent) for g in line.glyphs), width=line.width + indent)


def _rows_left(items: list[StoryItem | str], cursor: _Cursor, measure: float, style: HouseStyle,
               setter: _Setter) -> int:
    """The rows the rest of the story takes at this measure."""
    ahead = _Cursor(cursor.item, cursor.offset)
    total = 0
    while ahead.item < len(items):
        rows = _rows(items[ahead.item], ahead, measure, style, setter)
        total += len(rows)
        _advance(items[ahead.item], ahead, rows, len(rows))
    return total


def _advance(item: StoryItem | str, cursor: _Cursor, rows: list, taken: int) -> None:
    if taken >= len(rows):
        cursor.item += 1
        cursor.offset = 0
    elif isinstance(item, (Paragraph, Verse, Names)):
        cursor.offset = rows[taken][1].start
    elif isinstance(item, (ClosingLines, str)):
        cursor.offset += taken


def _flow_thread(story: Story, plan: Path, parts: list[tuple[PagePlan, StoryBlock]], style: HouseStyle,
                 geometry: PageGeometry, setter: _Setter,
                 faults: list[SettingFault], loose_lines: list[LooseLine],
                 misplaced: list[PlacementFault], broken: list[BrokenWord]) -> tuple[list[PlacedBlock], StoryFit]:
    """Fill a story's blocks in order; body lines that cannot be made flush go into `faults`, loose
    ones into `loose_lines`, lines ending inside a word or web address where it has no break point
    into `broken`, headline, byline or closing lines wider than their column into `misplaced`."""
    items = _story_items(story)
    cursor = _Cursor()
    placed_blocks, block_fits = [], []
    cuts: list[Cut] = []
    loose = 0
    notice = story.kind == "notice"
    body = geometry.body_size
    for index, (page, block) in enumerate(parts):
        area = block.area
        rect = geometry.grid_rect(area.col, area.cols, area.line, area.lines)
        boxed = _boxed(block, story)      # a rule around the block: the text keeps clear of it
        inset_x = style.notice_inset_em * body if boxed else 0.0
        inset_lines = style.notice_inset_lines if boxed else 0
        inner_width = rect.width - 2 * inset_x
        top = inset_lines * geometry.pitch
        # A later block the text no longer reaches stays empty: no jump headline, no jump line.
        empty = index > 0 and cursor.item >= len(items)
        if index == 0:
            kinds = ("notice-headline", "notice-deck") if notice else ("headline", "deck")
            group = [(kind, text, size) for kind, text, size in (
                ("kicker", story.kicker, setter.size("kicker")),
                (kinds[0], story.headline, setter.fitted_size(kinds[0], story.headline, inner_width,
                                                              block.headline_size or setter.size(kinds[0]))),
                (kinds[1], story.deck, setter.size(kinds[1]))) if text]
        elif parts[index - 1][0].number != page.number:
            jump = story.jump_headline or story.headline
            group = [("jump-headline", jump, setter.fitted_size("jump-headline", jump, inner_width,
                                                                setter.size("jump-headline")))]
        else:
            group = []      # run on in another block of the same page (around a picture): no heading
        lines, header_lines = ([], 0) if empty or not group else _headline_group(group, inner_width, top, style,
                                                                                  geometry, setter)
        for kind, text, size in [] if empty else group:
            if word := setter.too_wide_word(kind, text, inner_width, size):
                key = kind.removeprefix("notice-")
                misplaced.append(PlacementFault(
                    story.path, story.lines.get(key), page.number,
                    f"the {key.replace('-', ' ')} of story '{story.id}' has a word, '{word[0]}', "
                    f"{pt_to_mm(word[1]):.0f} mm wide at {size:g} pt; its block ({plan}:{block.source_line}) is "
                    f"{pt_to_mm(inner_width):.0f} mm", "shorten the word or break it by hand (a newline in the front "
                    "matter), set the headline smaller (headline-size in the plan, or headline_group.min_size in the "
                    "house style) or give the block more columns"))
        if empty and style.empty_block == "error":
            misplaced.append(PlacementFault(
                plan, block.source_line, page.number,
                f"story '{story.id}' ends before this block: its text does not reach it, which would print "
                f"{area.cols} columns × {area.lines} lines of white",
                "take the block out of the plan or give it another story, or add copy (fit.empty_block: warning "
                "in the house style lets such a block print empty)"))
        lines = [replace(l, x=l.x + inset_x) for l in lines]
        first_body_line = inset_lines + header_lines
        # Text keeps a white line clear of an advertisement below it, under the rule between them.
        frame_lines = area.lines - first_body_line - inset_lines - _lines_above_an_ad(page, block)
        if frame_lines < 1:
            # The proof shows the block with what of its headline fits, and the text goes on in the next.
            misplaced.append(PlacementFault(
                plan, block.source_line, page.number,
                f"story '{story.id}' has {area.lines} line{'s' * (area.lines != 1)} here but needs "
                f"{area.lines - frame_lines + 1} for its headline group and one line of text",
                f"give the block more lines, or shorten the headline or set it smaller ({story.path})"))
            lines = _inside(lines, rect.height)
            lacking, frame_lines = -frame_lines, 0
        else:
            lacking = 0
        span_units = round(inner_width / body * UNITS_PER_EM)
        columns = split_columns(span_units, block.text_columns, geometry.gutter_em * UNITS_PER_EM,
                                style.split_mode)
        frames = tuple(Rect(x=inset_x + units_to_pt(offset, body), y=first_body_line * geometry.pitch,
                            width=units_to_pt(width, body), height=frame_lines * geometry.pitch)
                       for offset, width in columns)
        next_page = parts[index + 1][0].number if index + 1 < len(parts) else None
        continues_later = not empty and next_page is not None and next_page > page.number
        # （上接第N版） names the last page that printed some of the text (a block too low for its
        # headline holds none).
        held = [fit.page for fit in block_fits if fit.lines_used]
        continued_from = held[-1] if (not empty and held and held[-1] < page.number) else None
        # 齐栏: the block the story ends in shares its text out evenly among its columns.
        balanced = None
        if style.balance_columns and len(frames) > 1 and index == len(parts) - 1 and not empty:
            rows_left = _rows_left(items, cursor, frames[0].width, style, setter) + (continued_from is not None)
            if rows_left <= len(frames) * (frame_lines - 1):
                balanced = -(-rows_left // len(frames))
        used_total = 0
        for number, frame in enumerate(frames if frame_lines else ()):
            capacity = frame_lines if balanced is None or number == len(frames) - 1 else min(frame_lines, balanced)
            row = 0
            if number == 0 and continued_from is not None:
                text = style.jump_continued_from.format(page=continued_from)
                lines.append(_row_line("jump-line", setter.one_line("jump-line", text), False, False,
                                       frame, first_body_line, geometry, setter))
                row = 1
            if number == len(frames) - 1 and continues_later:
                capacity -= 1
            if balanced is not None and number < len(frames) - 1:
                capacity = _keep_byline(items, cursor, capacity, frame_lines, frame.width, style, setter)
            while row < capacity and cursor.item < len(items):
                item = items[cursor.item]
                rows = _rows(item, cursor, frame.width, style, setter)
                if row == 0 and rows[0][0] == "white":
                    rows = [r for r in rows if r[0] != "white"]
                    if isinstance(item, Subhead) and not rows:
                        break
                room = capacity - row
                if isinstance(item, Subhead) and len(rows) + 1 > room and row > 0:
                    break      # a subhead keeps with the first line after it (GR-7)
                if isinstance(item, str) and cursor.offset == 0 and len(rows) > room and row > 0:
                    break      # a byline of several lines keeps them together where a column holds them
                taken = min(room, len(rows))
                for kind, line, flush_right, paragraph_end in rows[:taken]:
                    if line is not None and kind in ("closing", "byline", "names") and \
                            (width := _too_wide(line, setter.size(kind), frame.width)):
                        what = {"byline": "byline", "closing": "closing line", "names": "line of names"}[kind]
                        misplaced.append(PlacementFault(
                            story.path, story.lines.get("byline") if kind == "byline" else item.line, page.number,
                            f"the {what} '{line.text}' is {pt_to_mm(width):.0f} mm wide, its column "
                            f"{pt_to_mm(frame.width):.0f} mm", "shorten it or give the block wider columns"))
                    if line is not None:
                        lines.append(_row_line(kind, line, flush_right, paragraph_end, frame,
                                               first_body_line + row, geometry, setter,
                                               getattr(item, "line", story.lines.get("byline"))))
                        loose += line.loose
                        if kind == "body":
                            measure = frame.width / setter.size(kind) * UNITS_PER_EM
                            where = dict(story=story.id, page=page.number, file=story.path, line=item.line,
                                         text=line.quoted, hyphenating=style.punctuation.hyphenation is not None)
                            if line.overfull or (not paragraph_end and line.width < measure - 1):
                                faults.append(SettingFault(**where, width_em=line.width / UNITS_PER_EM,
                                                           measure_em=measure / UNITS_PER_EM))
                            elif line.loose:
                                loose_lines.append(LooseLine(**where))
                            if line.cut:
                                broken.append(BrokenWord(**where))
                            chars = len(line.text.replace(" ", ""))
                            # A paragraph of two lines or more whose last holds at most half a line.
                            if paragraph_end and rows[0][1].start != line.start and chars <= measure / UNITS_PER_EM / 2:
                                cuts.append(Cut(item.line, chars))
                    row += 1
                _advance(item, cursor, rows, taken)
            used_total += row
            if number == len(frames) - 1 and continues_later and cursor.item < len(items):
                text = style.jump_continued_to.format(page=next_page)
                lines.append(_row_line("jump-line", setter.one_line("jump-line", text), True, True, frame,
                                       first_body_line + frame_lines - 1, geometry, setter))
                used_total += 1
        on_trim = tuple((round(geometry.type_left + rect.x + f.x, 3), round(geometry.type_top + rect.y + f.y, 3),
                         round(f.width, 3), round(f.height, 3)) for f in frames)
        block_fits.append(BlockFit(page=page.number, lines_used=used_total, lines=frame_lines * len(frames),
                                   text_columns=len(frames), headline_lines=header_lines, frames=on_trim,
                                   lines_lacking=lacking))
        placed_blocks.append(PlacedBlock(label=block.label, rect=rect, story=story.id, frames=frames,
                                         lines=tuple(lines), boxed=boxed))
    last_width = placed_blocks[-1].frames[-1].width
    overset = _rows_left(items, cursor, last_width, style, setter)
    # Underset: the empty lines of the block the text ends in and of every block after it.
    ends_in = max(i for i, fit in enumerate(block_fits) if fit.lines_used or i == 0)
    underset = sum(fit.lines - fit.lines_used for fit in block_fits[ends_in:])
    line_chars = int(last_width / body + 1e-6)
    cuts = sorted(cuts, key=lambda cut: (cut.chars, cut.line))[:MAX_CUTS]
    return placed_blocks, StoryFit(story=story.id, blocks=tuple(block_fits), overset_lines=overset,
                                   underset_lines=0 if overset else underset, loose_lines=loose,
                                   line_chars=line_chars, cuts=tuple(cuts))


def _keep_byline(items: list[StoryItem | str], cursor: _Cursor, capacity: int, frame_lines: int, measure: float,
                 style: HouseStyle, setter: _Setter) -> int:
    """齐栏 may leave a story's byline alone at the top of the next column: a column whose share
    ends with the story's text takes the byline too, where it has the lines for it."""
    ahead, rows = _Cursor(cursor.item, cursor.offset), 0
    while ahead.item < len(items) and not isinstance(items[ahead.item], str) and rows <= capacity:
        taken = _rows(items[ahead.item], ahead, measure, style, setter)
        rows += len(taken)
        _advance(items[ahead.item], ahead, taken, len(taken))
    if rows <= capacity and ahead.item == len(items) - 1 and isinstance(items[-1], str):
        with_byline = rows + len(_rows(items[-1], ahead, measure, style, setter))
        if capacity < with_byline <= frame_lines:
            return with_byline
    return capacity


def _inside(lines: list[PlacedLine], height: float) -> list[PlacedLine]:
    """The lines of a block that lie within its `height`: given more than it holds (a proof), a block
    shows what fits rather than text over its neighbours."""
    return [line for line in lines if line.baseline <= height]


def _boxed(block: StoryBlock, story: Story) -> bool:
    """A notice, and any block with box: true, has a rule around it."""
    return block.box or story.kind == "notice"


def _lines_above_an_ad(page: PagePlan, block: StoryBlock) -> int:
    """The white grid line a story block keeps above an advertisement it stands on (0 or 1)."""
    area = block.area
    return int(any(isinstance(other, AdBlock) and other.area.line == area.line + area.lines
                   and max(other.area.col, area.col) < min(other.area.col + other.area.cols, area.col + area.cols)
                   for other in page.blocks))


def _row_line(kind: str, line: Line, flush_right: bool, paragraph_end: bool, frame: Rect, grid_line: int,
              geometry: PageGeometry, setter: _Setter, source_line: int | None = None) -> PlacedLine:
    x = frame.x
    if flush_right:
        x += frame.width - units_to_pt(line.width, setter.size(kind))
    return PlacedLine(kind=kind, x=x, baseline=grid_baseline(geometry, grid_line), line=line,
                      measure=frame.width, paragraph_end=paragraph_end, source_line=source_line)


def _place_image(block: ImageBlock, page: int, plan: Path, geometry: PageGeometry, setter: _Setter,
                 misplaced: list[PlacementFault]) -> PlacedBlock:
    """The picture with its caption and credit below it, or beside it on the right ending level with
    its foot; scaled to fit its frame or to fill it (`crop`)."""
    area = block.area
    rect = geometry.grid_rect(area.col, area.cols, area.line, area.lines)
    beside = block.caption_side == "right"
    caption_cols = min(setter.style.caption_beside_cols, area.cols - 1) if beside else area.cols
    picture_width = geometry.grid_rect(1, area.cols - caption_cols, 1, 1).width if beside else rect.width
    caption_frame = Rect(x=picture_width + geometry.gutter if beside else 0.0, y=0,
                         width=geometry.grid_rect(1, caption_cols, 1, 1).width, height=rect.height)
    caption_rows: list[tuple[Line, bool]] = []
    if block.caption:
        caption_rows += [(line, False) for line in setter.lines("caption", block.caption, caption_frame.width)]
    if block.credit:
        credit = setter.one_line("caption", block.credit)
        caption_rows.append((credit, True))
        if width := _too_wide(credit, setter.size("caption"), caption_frame.width):
            misplaced.append(PlacementFault(plan, block.source_line, page,
                                            f"the credit of image '{block.source}' is {pt_to_mm(width):.0f} mm wide, "
                                            f"its caption's column {pt_to_mm(caption_frame.width):.0f} mm",
                                            "shorten the credit"))
    gap = 0 if beside or not caption_rows else setter.style.caption_gap_lines
    image_lines = area.lines if beside else area.lines - gap - len(caption_rows)
    if beside and len(caption_rows) > area.lines:
        misplaced.append(PlacementFault(plan, block.source_line, page,
                                        f"the caption of image '{block.source}' takes {len(caption_rows)} lines in "
                                        f"its column beside the picture, and the block has {area.lines}",
                                        "shorten the caption or give the block more lines"))
    elif image_lines < 1:
        misplaced.append(PlacementFault(plan, block.source_line, page,
                                        f"the caption of image '{block.source}' takes {gap + len(caption_rows)} "
                                        f"lines of the block's {area.lines}, leaving none for the picture",
                                        "shorten the caption or give the block more lines"))
    image_rect = Rect(x=0, y=0, width=picture_width, height=max(0, image_lines) * geometry.pitch)
    if block.pixels and image_rect.height:
        pixels_w, pixels_h = block.pixels
        scale = (max if block.crop == "fill" else min)(image_rect.width / pixels_w,
                                                        image_rect.height / pixels_h)      # pt per pixel
        dpi, wanted = 72 / scale, setter.style.print.min_image_dpi
        if dpi < wanted - 0.5:
            placed_w, placed_h = pixels_w * scale, pixels_h * scale
            misplaced.append(PlacementFault(
                plan, block.source_line, page,
                f"image '{block.source}' is {dpi:.0f} dpi as placed ({pixels_w} × {pixels_h} pixels over "
                f"{pt_to_mm(placed_w):.0f} × {pt_to_mm(placed_h):.0f} mm), under the house style's {wanted:.0f} dpi",
                f"use a picture of at least {math.ceil(placed_w / 72 * wanted)} × "
                f"{math.ceil(placed_h / 72 * wanted)} pixels, or give it a smaller block"))
    first_row = max(0, area.lines - len(caption_rows) if beside else image_lines + gap)
    lines = _inside([_row_line("caption", line, right, True, caption_frame, first_row + n, geometry, setter)
                     for n, (line, right) in enumerate(caption_rows)], rect.height)
    return PlacedBlock(label=block.label, rect=rect, story=None, frames=(), lines=tuple(lines), image=block,
                       image_rect=image_rect)


def format_date(date: dt.date, style: HouseStyle) -> str:
    text = style.date_format.format(year=date.year, month=date.month, day=date.day)
    return f"{text} {style.weekday_names[date.weekday()]}"


def _furniture(edition: Edition, page: PagePlan, style: HouseStyle, geometry: PageGeometry, setter: _Setter,
               misplaced: list[PlacementFault]) -> tuple[tuple[PlacedLine, ...], tuple[Rule, ...],
                                                         tuple[Path, Rect, str] | None]:
    """Masthead (报头) on page 1, running head (报眉) above the type area on the others; on every
    page crop marks and the slug line outside the trim. Parts that would run into each other (a
    paper name so long it reaches the date) go into `misplaced`."""
    left, top, width = geometry.type_left, geometry.type_top, geometry.type_width
    date = format_date(edition.date, style)

    def placed(kind: str, text: str, x: float, baseline: float, align: str) -> PlacedLine:
        line = setter.one_line(kind, text)
        line_width = units_to_pt(line.width, setter.size(kind))
        shift = {"start": 0.0, "center": -line_width / 2, "end": -line_width}[align]
        return PlacedLine(kind=kind, x=x + shift, baseline=baseline, line=line, measure=line_width)

    slug = style.print.slug_format.format(paper=edition.paper, date=edition.date.isoformat(), page=page.number,
                                          file=file_name(edition, style, page.number))
    # Centred between the bleed and the media edge (a third of the size below the middle sits CJK
    # glyphs about centred on it).
    slug_baseline = geometry.trim_height + (geometry.bleed + geometry.slug) / 2 + setter.size("slug") / 3
    slug_x = mm_to_pt(style.print.crop_offset_mm + style.print.crop_length_mm)   # clear of the crop marks
    lines = [placed("slug", slug, slug_x, slug_baseline, "start")]
    rules = list(_crop_marks(style, geometry))

    def overflows(needed: float, room: float, what: str, line: int, remedy: str) -> bool:
        if needed > room + 0.01:
            misplaced.append(PlacementFault(edition.plan_path, line, page.number,
                                            f"{what} needs {pt_to_mm(needed):.0f} mm, and has {pt_to_mm(room):.0f} mm",
                                            remedy))
        return needed > room + 0.01

    def crowded(parts: list[PlacedLine], room: float, what: str, line: int, remedy: str) -> bool:
        """Parts side by side on one line need their widths and an em of the smallest between them."""
        clearance = min(setter.size(p.kind) for p in parts) * (len(parts) - 1)
        return overflows(sum(p.measure for p in parts) + clearance, room, what, line, remedy)

    crowded(lines[:1], geometry.trim_width - 2 * slug_x, "the slug line below the page (paper, date, page, file)",
            edition.paper_line, "shorten the paper name")
    if page.number == 1:
        masthead, masthead_rules, logo = _masthead(edition, style, geometry, setter, placed, crowded, overflows)
        return tuple(lines + masthead), tuple(rules + masthead_rules), logo
    rule_y = top - mm_to_pt(style.running_head_gap_mm)
    baseline = rule_y - setter.size("running-head") * style.running_head_rule_gap_em
    parts = [style.running_head_page_format.format(page=page.number)]
    if page.section:
        parts.append(page.section)
    right = [date]
    if page.editor:
        right.append(style.running_head_editor_format.format(editor=page.editor))
    start, centre, end = (placed("running-head", "  ".join(parts), left, baseline, "start"),
                          placed("running-head", edition.paper, left + width / 2, baseline, "center"),
                          placed("running-head", "  ".join(right), left + width, baseline, "end"))
    # The paper name is centred: each side has half the width beside half of it.
    half = PlacedLine(kind=centre.kind, x=centre.x, baseline=centre.baseline, line=centre.line,
                      measure=centre.measure / 2)
    for side in (start, end):
        if crowded([side, half], width / 2, "the running head (page and section, paper name, date and editor)",
                   page.source_line, "shorten the section or the editor's name (or the paper name)"):
            break
    lines += [start, centre, end]
    rules.append(Rule(left, rule_y, left + width, rule_y, style.running_head_rule_pt, style.text_color))
    return tuple(lines), tuple(rules), None


def lunar_date(date: dt.date, format: str) -> str:
    """The 农历 date in the house style's words: {ganzhi} year (庚子), {month} (四, 闰四), {day} (廿三)."""
    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    return format.format(ganzhi=lunar.getYearInGanZhi(), month=lunar.getMonthInChinese(),
                         day=lunar.getDayInChinese())


def masthead_info(edition: Edition, style: HouseStyle) -> list[list[str]]:
    """What the masthead says beside the paper's name, in groups: the day (date, 农历), the issue
    and pages, the serial numbers."""
    day = [format_date(edition.date, style)]
    if style.masthead_lunar_format:
        day.append(lunar_date(edition.date, style.masthead_lunar_format))
    issue = [style.issue_format.format(issue=edition.issue)] if edition.issue is not None else []
    return [group for group in (day, issue + [style.pages_format.format(pages=len(edition.pages))],
                                list(edition.serial_numbers)) if group]


def _masthead(edition: Edition, style: HouseStyle, geometry: PageGeometry, setter: _Setter, placed,
              crowded, overflows) -> tuple[list[PlacedLine], list[Rule], tuple[Path, Rect, str] | None]:
    """报头: the paper's name (set in type, or its logo) and what the masthead says of the day. With
    ears (报眼) the name stands centred between them, the date and numbers in rows below it; without,
    the name stands left and they are stacked on the right."""
    left, top, width = geometry.type_left, geometry.type_top, geometry.type_width
    depth = style.masthead_lines * geometry.pitch
    rule_y = top + depth - geometry.pitch
    title_size = setter.size("masthead-title")
    groups = masthead_info(edition, style)
    info = [text for group in groups for text in group]
    text_pitch = setter.size("masthead-text") * style.masthead_info_line_height
    rules = [Rule(left, rule_y, left + width, rule_y, style.masthead_rule_pt, style.text_color)]
    where = ("the masthead (the paper name beside date, issue and pages)", edition.paper_line,
             "shorten the paper name")
    if not any(edition.ears):
        title_baseline = top + (depth - title_size) / 2 + EM_BOX_ASCENT * title_size - geometry.pitch
        first = title_baseline - (len(info) - 1) * text_pitch
        title = placed("masthead-title", edition.paper, left, title_baseline, "start")
        lines = [placed("masthead-text", text, left + width, first + n * text_pitch, "end")
                 for n, text in enumerate(info)]
        widest = max(lines, key=lambda l: l.measure)
        logo_box = Rect(left, title_baseline - EM_BOX_ASCENT * title_size, width - widest.measure - title_size,
                        title_size)      # the name's em box
        if edition.logo is None:
            crowded([title, widest], width, *where)
            return [title, *lines], rules, None
        return lines, rules, (edition.logo, logo_box, "left center")
    ear_width = geometry.grid_rect(1, style.masthead_ear_cols, 1, 1).width
    ear_bottom = rule_y - geometry.pitch
    lines: list[PlacedLine] = []
    for x, text in zip((left, left + width - ear_width), edition.ears):
        if not text:
            continue
        rules += _box_rules(Rect(x, top, ear_width, ear_bottom - top), style)
        size = setter.size("ear")
        rows = text.split("\n")
        pitch = size * style.masthead_info_line_height
        # The rows' em boxes centred in the ear.
        first = top + (ear_bottom - top - len(rows) * pitch) / 2 + (pitch - size) / 2 + EM_BOX_ASCENT * size
        ear_lines = [placed("ear", row, x + ear_width / 2, first + n * pitch, "center")
                     for n, row in enumerate(rows)]
        crowded([max(ear_lines, key=lambda l: l.measure)], ear_width - size,
                "an ear (报眼) beside the masthead", edition.ears_line, "shorten its lines (ears: in the plan)")
        overflows(len(rows) * pitch, ear_bottom - top, f"an ear (报眼) of {len(rows)} lines, one above the other,",
                  edition.ears_line, "give it fewer lines (ears: in the plan)")
        lines += ear_lines
    room = width - 2 * ear_width - 2 * geometry.gutter
    rows = ["  ".join(group) for group in groups]
    rows_top = ear_bottom - len(rows) * text_pitch
    title_baseline = top + (rows_top - top - title_size) / 2 + EM_BOX_ASCENT * title_size
    centre = left + width / 2
    text_size = setter.size("masthead-text")
    info_lines = [placed("masthead-text", row, centre,
                         rows_top + n * text_pitch + (text_pitch - text_size) / 2 + EM_BOX_ASCENT * text_size, "center")
                  for n, row in enumerate(rows)]
    crowded([max(info_lines, key=lambda l: l.measure)], room, *where)
    lines += info_lines
    logo_box = Rect(left + ear_width + geometry.gutter, title_baseline - EM_BOX_ASCENT * title_size, room, title_size)
    if edition.logo is not None:
        return lines, rules, (edition.logo, logo_box, "center")
    title = placed("masthead-title", edition.paper, centre, title_baseline, "center")
    crowded([title], room, *where)
    return lines + [title], rules, None


def _box_rules(rect: Rect, style: HouseStyle) -> list[Rule]:
    """A box's four rules on the rectangle's edges."""
    x1, y1, x2, y2 = rect.x, rect.y, rect.right, rect.bottom
    weight, colour = style.notice_rule_pt, style.text_color
    return [Rule(x1, y1, x2, y1, weight, colour), Rule(x1, y2, x2, y2, weight, colour),
            Rule(x1, y1, x1, y2, weight, colour), Rule(x2, y1, x2, y2, weight, colour)]


def _place_index(block: IndexBlock, page_number: int, edition: Edition, threads, style: HouseStyle,
                 geometry: PageGeometry, setter: _Setter, misplaced: list[PlacementFault]) -> PlacedBlock:
    """导读: the box's title, then each named story's headline (its first line if the editor broke it)
    with the page it starts on flush right on the entry's last line."""
    area = block.area
    rect = geometry.grid_rect(area.col, area.cols, area.line, area.lines)
    inset = style.notice_inset_em * geometry.body_size
    width = rect.width - 2 * inset
    frame = Rect(inset, 0, width, rect.height)
    title = setter.one_line("index-title", style.index_title)
    title_lines = geometry.lines_for_height(setter.size("index-title") * style.headline_line_height)
    row = style.notice_inset_lines
    size = setter.size("index-title")
    lines = [PlacedLine(kind="index-title", x=inset + (width - units_to_pt(title.width, size)) / 2,
                        baseline=row * geometry.pitch + (title_lines * geometry.pitch - size) / 2
                        + EM_BOX_ASCENT * size, line=title, measure=width)]
    row += title_lines
    for story_id in block.stories:
        page = threads[story_id][0][0].number
        label = setter.one_line("index-entry", style.index_page_format.format(page=page))
        label_width = units_to_pt(label.width, setter.size("index-entry"))
        headline = edition.stories[story_id].headline.split("\n")[0]
        entry = setter.lines("index-entry", headline, width - label_width - setter.size("index-entry"), justify=False)
        for line in entry:
            lines.append(_row_line("index-entry", line, False, True, frame, row, geometry, setter))
            row += 1
        lines.append(_row_line("index-entry", label, True, True, frame, row - 1, geometry, setter))
    if row + style.notice_inset_lines > area.lines:
        misplaced.append(PlacementFault(edition.plan_path, block.source_line, page_number,
                                        f"the index takes {row + style.notice_inset_lines} lines, its block "
                                        f"{area.lines}", "give the block more lines or name fewer stories"))
        lines = _inside(lines, rect.height - style.notice_inset_lines * geometry.pitch)
    return PlacedBlock(label=block.label, rect=rect, story=None, frames=(), lines=tuple(lines), boxed=True)


def _crop_marks(style: HouseStyle, geometry: PageGeometry):
    """Two marks at each corner, on the trim lines, starting `offset` outside the trim (clear of the
    bleed) and `length` long."""
    spec = style.print
    offset, length = mm_to_pt(spec.crop_offset_mm), mm_to_pt(spec.crop_length_mm)
    for x, outward_x in ((0.0, -1), (geometry.trim_width, 1)):
        for y, outward_y in ((0.0, -1), (geometry.trim_height, 1)):
            near_x, far_x = x + outward_x * offset, x + outward_x * (offset + length)
            near_y, far_y = y + outward_y * offset, y + outward_y * (offset + length)
            yield Rule(min(near_x, far_x), y, max(near_x, far_x), y, spec.crop_weight_pt, spec.marks_color)
            yield Rule(x, min(near_y, far_y), x, max(near_y, far_y), spec.crop_weight_pt, spec.marks_color)
