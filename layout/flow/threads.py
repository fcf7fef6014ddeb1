"""Threads: each story filled into its blocks in order — headline group or jump headline, then the
body frames — running on from block to block and page to page, with its fit."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..compose import Line
from ..compose.names import names_lines
from ..geometry import (EM_BOX_ASCENT, PageGeometry, Rect, UNITS_PER_EM, pt_to_mm, pt_to_units, split_columns,
                        units_to_pt)
from ..plan import AdBlock, Edition, PagePlan, StoryBlock
from ..style import HouseStyle
from ..text import ClosingLines, Names, Paragraph, Story, StoryItem, Subhead, Verse
from .placed import (BlockFit, BrokenWord, Cut, LooseLine, MAX_CUTS, PlacedBlock, PlacedLine, PlacementFault,
                     SettingFault, StoryFit)
from .setter import Setter, inside, row_line, too_wide


def threads_of(edition: Edition) -> dict[str, list[tuple[PagePlan, StoryBlock]]]:
    """Each story's blocks in the order its text fills them: page order, then as listed."""
    threads: dict[str, list[tuple[PagePlan, StoryBlock]]] = {}
    for page in edition.pages:
        for block in page.blocks:
            if isinstance(block, StoryBlock):
                threads.setdefault(block.story, []).append((page, block))
    return threads


def _headline_group(parts: list[tuple[str, str, float]], width: float, top: float, style: HouseStyle,
                    geometry: PageGeometry, setter: Setter) -> tuple[list[PlacedLine], int]:
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
          setter: Setter) -> list[tuple[str, Line | None, bool, bool]]:
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
    return replace(line, glyphs=tuple(g._replace(x=g.x + indent) for g in line.glyphs), width=line.width + indent)


def _rows_left(items: list[StoryItem | str], cursor: _Cursor, measure: float, style: HouseStyle,
               setter: Setter) -> int:
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


def flow_thread(story: Story, plan: Path, parts: list[tuple[PagePlan, StoryBlock]], style: HouseStyle,
                 geometry: PageGeometry, setter: Setter,
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
        boxed = is_boxed(block, story)      # a rule around the block: the text keeps clear of it
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
            lines = inside(lines, rect.height)
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
                lines.append(row_line("jump-line", setter.one_line("jump-line", text), False, False,
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
                            (width := too_wide(line, setter.size(kind), frame.width)):
                        what = {"byline": "byline", "closing": "closing line", "names": "line of names"}[kind]
                        misplaced.append(PlacementFault(
                            story.path, story.lines.get("byline") if kind == "byline" else item.line, page.number,
                            f"the {what} '{line.text}' is {pt_to_mm(width):.0f} mm wide, its column "
                            f"{pt_to_mm(frame.width):.0f} mm", "shorten it or give the block wider columns"))
                    if line is not None:
                        lines.append(row_line(kind, line, flush_right, paragraph_end, frame,
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
                lines.append(row_line("jump-line", setter.one_line("jump-line", text), True, True, frame,
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
                 style: HouseStyle, setter: Setter) -> int:
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


def is_boxed(block: StoryBlock, story: Story) -> bool:
    """A notice, and any block with box: true, has a rule around it."""
    return block.box or story.kind == "notice"


def _lines_above_an_ad(page: PagePlan, block: StoryBlock) -> int:
    """The white grid line a story block keeps above an advertisement it stands on (0 or 1)."""
    area = block.area
    return int(any(isinstance(other, AdBlock) and other.area.line == area.line + area.lines
                   and max(other.area.col, area.col) < min(other.area.col + other.area.cols, area.col + area.cols)
                   for other in page.blocks))
