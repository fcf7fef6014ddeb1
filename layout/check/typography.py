"""Typographic preflight: the body lines of each story judged as they stand on the page.

Per story and page it counts body lines that are not flush (JU-1), 避头尾 breaks (LB-1, LB-2, in
Latin prose too), split units (LB-4), loose lines (JU-7) and baselines off the page's line grid
(GR-5), and measures the gaps between Han characters. The lines come from the composition
(`prepare.composed_lines`: `layout fit`, `render --page` and `render` judge the same lines, so all
three find the same faults) or are read back from a PDF (`pdftext.py`: `layout check`, and the
render's check that the painted pages hold what was composed). Glyph origins are on the trim box;
each glyph's set width (PC-1) comes from the pinned font its role names.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Mapping, NamedTuple, Sequence

from ..compose import glyph_form
from ..fonts import FontMetrics
from ..geometry import PageGeometry, Rect, grid_baseline
from ..style import HouseStyle
from ..text import URL, is_han

FLUSH_TOLERANCE_PT = 0.1
CHINESE_NUMERALS = "〇一二三四五六七八九十"
GRID_TOLERANCE_PT = 0.05
ASCII_QUOTES = "\"'"


class PdfGlyph(NamedTuple):
    """A named tuple for speed, as compose.Glyph."""
    char: str
    x: float           # origin, pt from the trim box's left edge
    baseline: float    # pt from the trim box's top edge
    role: str | None   # font role, when the font is one of the engine's (layout-<role>)


@dataclass(frozen=True)
class SetLine:
    """A body line as it stands on a page: its glyphs, the text column (frame, on the trim box) it
    stands in, and its text as the copy has it (spaces included), for messages. What the
    composition knows and a PDF does not say is None when the line was read from a PDF: whether the
    break after it falls at a space of the copy (two numbers a space apart may break there), whether
    it ends its paragraph, and the line of the story file its paragraph starts on."""
    page: int
    frame: Rect
    glyphs: tuple[PdfGlyph, ...]
    text: str
    space_after: bool | None = None
    paragraph_end: bool | None = None
    source_line: int | None = None


@dataclass
class StoryTypography:
    story: str
    page: int
    lines: int = 0
    not_flush: list[str] = field(default_factory=list)
    kinsoku_breaks: list[str] = field(default_factory=list)
    split_units: list[str] = field(default_factory=list)
    loose: list[str] = field(default_factory=list)
    off_grid: list[str] = field(default_factory=list)
    spread: list[str] = field(default_factory=list)   # lines with a Han gap over the house style's
                                                      # `spread_gap_em` (a figure, not a fault)
    widest_gap: float = 0.0                           # em, between two Han characters of a justified line
    source_lines: dict[str, int] = field(default_factory=dict)   # a line's label → where its paragraph starts

    @property
    def violations(self) -> int:
        return len(self.faults())

    def fault_items(self) -> list[tuple[str, str]]:
        """(what, where) of every fault the house style does not allow (loose lines are only flagged)."""
        return [(what, item) for what, items in (("not flush", self.not_flush), ("避头尾 break", self.kinsoku_breaks),
                                                 ("split unit", self.split_units),
                                                 ("baseline off the grid", self.off_grid))
                for item in items]

    def faults(self) -> list[str]:
        """One line per fault."""
        return [f"story '{self.story}' page {self.page}: {what}: {item}" for what, item in self.fault_items()]

    def as_json(self) -> dict:
        data = asdict(self)
        del data["source_lines"]
        return {key: (len(value) if isinstance(value, list) else value) for key, value in data.items()}


def _splits_a_unit(before: str, after: str, digits_apart: bool) -> bool:
    """LB-4 units seen from the glyphs: a number (with its , . : separators and %‰℃ suffix), —— and
    ……. Latin words are not judged here: the space between two words is not a glyph. Two digits at a
    break are a split number unless `digits_apart` (the copy has a space there)."""
    if after[0].isdigit() or after[0] in "%‰℃":
        if before[-1].isdigit():
            return not (digits_apart and after[0].isdigit())
        return before[-1] in ",.:·∶" and len(before) > 1 and before[-2].isdigit()
    if after[0] in CHINESE_NUMERALS and before.endswith("·") and len(before) > 1:
        return before[-2] in CHINESE_NUMERALS
    return (before.endswith("—") and after.startswith("—")) or (before.endswith("…") and after.startswith("…"))


def _quote_at_the_wrong_edge(before: str, after: str) -> bool:
    """An ASCII quote of English quoted in the copy: a closing one starting a line, an opening one
    ending a line (LB-1, LB-2 in Latin prose). The copy's text tells which it is by its neighbours."""
    closing_first = after[0] in ASCII_QUOTES and (len(after) == 1 or not after[1].isalnum())
    opening_last = before[-1] in ASCII_QUOTES and (len(before) == 1 or before[-2] == " ")
    return closing_first or opening_last


def judge_lines(story_lines: Mapping[str, Sequence[SetLine]], style: HouseStyle, geometry: PageGeometry,
                metrics: Mapping[str, FontMetrics]) -> list[StoryTypography]:
    """Judge every story's lines (in reading order, over all the pages given). Breaks between pages
    count like any other."""
    body = style.text["body"]
    font = metrics[body.font]
    body_fonts = {font.role: font, style.text["bold"].font: metrics[style.text["bold"].font]}
    size = body.size_pt
    rules = style.punctuation
    half_width_marks = rules.closing | rules.pause | rules.stop
    hung_marks = rules.pause | rules.stop
    indent = style.first_line_indent_em * size
    first_baseline = geometry.type_top + grid_baseline(geometry, 0)

    class Forms(dict):
        """(char, role) → where a glyph's set width (PC-1) starts from its origin and how wide it is,
        in pt, and whether it is Han."""
        def __missing__(self, key: tuple[str, str | None]) -> tuple[float, float, bool]:
            form = glyph_form(key[0], body_fonts.get(key[1], font), rules)
            self[key] = value = (form.offset * size / 1000, form.width * size / 1000, is_han(key[0]))
            return value

    forms = Forms()

    results = []
    for story, lines in story_lines.items():
        lines = [line for line in lines if line.glyphs]
        # Breaks inside a web address follow its own rules (after /, before . ? # &), not 避头尾.
        story_text = "".join(line.text for line in lines)
        url_spans = [(m.start(), m.end()) for m in URL.finditer(story_text)]
        break_at = 0
        by_page: dict[int, StoryTypography] = {}
        texts = ["".join([g.char for g in line.glyphs]) for line in lines]
        for number, line in enumerate(lines):
            break_at += len(line.text)
            in_url = any(start < break_at < end for start, end in url_spans)
            report = by_page.setdefault(line.page, StoryTypography(story=story, page=line.page))
            report.lines += 1
            text = texts[number]
            label = f"'{line.text}'"
            following = lines[number + 1] if number + 1 < len(lines) else None
            step = (line.glyphs[0].baseline - first_baseline) / geometry.pitch
            if abs(step - round(step)) * geometry.pitch > GRID_TOLERANCE_PT:
                report.off_grid.append(label)
            glyph_forms = [forms[g.char, g.role] for g in line.glyphs]
            starts = [g.x - form[0] for g, form in zip(line.glyphs, glyph_forms)]
            box_ends = [start + form[1] for start, form in zip(starts, glyph_forms)]
            end = max(box_ends)
            last = line.glyphs[box_ends.index(end)]
            mark_width = glyph_form(last.char, font, rules).width * size / 1000
            ends = [end, end - mark_width / 2] if last.char in half_width_marks else [end]
            if rules.strict_grid and last.char in hung_marks:
                ends.append(end - mark_width)      # LB-7: hung outside the measure
            flush = min(abs(e - line.frame.right) for e in ends) <= FLUSH_TOLERANCE_PT
            paragraph_end = line.paragraph_end
            if paragraph_end is None:
                # Read from a PDF: a paragraph ends where the next line is indented, set apart
                # (subhead, closing lines) or missing; such a line is set solid (JU-4) and may be short.
                paragraph_end = following is None
                if following is not None:
                    gap = following.glyphs[0].baseline - line.glyphs[-1].baseline
                    starts_late = following.glyphs[0].x > following.frame.x + indent - FLUSH_TOLERANCE_PT - size / 2
                    paragraph_end = starts_late or (following.frame == line.frame
                                                    and gap > geometry.pitch + GRID_TOLERANCE_PT)
            if not paragraph_end and not flush:
                report.not_flush.append(f"{label} ends {line.frame.right - end:+.2f} pt from the column edge")
            if following is not None and not in_url and not paragraph_end:
                next_text = texts[number + 1]
                pair = f"{label} | '{following.text}'"
                if next_text[0] in rules.not_at_line_start and not next_text.startswith(("——", "……")):
                    report.kinsoku_breaks.append(pair)
                elif text[-1] in rules.not_at_line_end:
                    report.kinsoku_breaks.append(pair)
                elif rules.strictness != "none" and _quote_at_the_wrong_edge(line.text.rstrip(), following.text):
                    report.kinsoku_breaks.append(pair)
                if _splits_a_unit(text, next_text, bool(line.space_after)) and not rules.strict_grid:    # MX-3 cuts them
                    report.split_units.append(pair)
            # JU-7 looks at the space added between Han characters (Han–Latin space has its own range).
            gaps = [start - end_before for start, end_before, form, form_before
                    in zip(starts[1:], box_ends, glyph_forms[1:], glyph_forms) if form[2] and form_before[2]]
            if gaps and not paragraph_end:
                widest = max(gaps)
                report.widest_gap = max(report.widest_gap, round(widest / size, 3))
                if widest > rules.loose_gap * size + FLUSH_TOLERANCE_PT:
                    report.loose.append(label)
                if widest > rules.spread_gap * size + FLUSH_TOLERANCE_PT:
                    report.spread.append(label)
            if line.source_line is not None:
                report.source_lines[label] = line.source_line
        results += by_page.values()
    return results
