"""Page furniture: the masthead (报头) with its ears (报眼), running heads (报眉), the index box
(导读), crop marks and the slug line."""
from __future__ import annotations

from pathlib import Path

from ..geometry import EM_BOX_ASCENT, PageGeometry, Rect, Rule, mm_to_pt, pt_to_mm, units_to_pt
from ..plan import Edition, IndexBlock, PagePlan, file_name
from ..style import HouseStyle
from .calendar import format_date, lunar_date
from .placed import PlacedBlock, PlacedLine, PlacementFault
from .setter import Setter, inside, row_line


def page_furniture(edition: Edition, page: PagePlan, style: HouseStyle, geometry: PageGeometry, setter: Setter,
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


def masthead_info(edition: Edition, style: HouseStyle) -> list[list[str]]:
    """What the masthead says beside the paper's name, in groups: the day (date, 农历), the issue
    and pages, the serial numbers."""
    day = [format_date(edition.date, style)]
    if style.masthead_lunar_format:
        day.append(lunar_date(edition.date, style.masthead_lunar_format))
    issue = [style.issue_format.format(issue=edition.issue)] if edition.issue is not None else []
    return [group for group in (day, issue + [style.pages_format.format(pages=len(edition.pages))],
                                list(edition.serial_numbers)) if group]


def _masthead(edition: Edition, style: HouseStyle, geometry: PageGeometry, setter: Setter, placed,
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


def place_index(block: IndexBlock, page_number: int, edition: Edition, threads, style: HouseStyle,
                 geometry: PageGeometry, setter: Setter, misplaced: list[PlacementFault]) -> PlacedBlock:
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
            lines.append(row_line("index-entry", line, False, True, frame, row, geometry, setter))
            row += 1
        lines.append(row_line("index-entry", label, True, True, frame, row - 1, geometry, setter))
    if row + style.notice_inset_lines > area.lines:
        misplaced.append(PlacementFault(edition.plan_path, block.source_line, page_number,
                                        f"the index takes {row + style.notice_inset_lines} lines, its block "
                                        f"{area.lines}", "give the block more lines or name fewer stories"))
        lines = inside(lines, rect.height - style.notice_inset_lines * geometry.pitch)
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
