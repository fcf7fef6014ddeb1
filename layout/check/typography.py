"""Typographic preflight: measure the set body text on the rendered PDF, story by story.

Glyph origins and font names come from the PDF (pypdfium2); advance widths from the pinned font the
PDF names. Per story and page it counts body lines that are not flush (JU-1), 避头尾 breaks (LB-1,
LB-2), split units (LB-4), loose lines (JU-7) and baselines off the page's line grid (GR-5). Frames —
where each story's text columns are — come from the manifest.
"""
from __future__ import annotations

import bisect
import ctypes
from dataclasses import asdict, dataclass, field
from typing import Iterable, Mapping, Sequence

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..compose import glyph_form
from ..flow import grid_baseline
from ..fonts import FAMILY_PREFIX, FontMetrics
from ..geometry import PageGeometry, Rect
from ..style import HouseStyle
from ..text import URL, is_han

FLUSH_TOLERANCE_PT = 0.1
CHINESE_NUMERALS = "〇一二三四五六七八九十"
GRID_TOLERANCE_PT = 0.05


@dataclass(frozen=True)
class PdfGlyph:
    char: str
    x: float           # origin, pt from the trim box's left edge
    baseline: float    # pt from the trim box's top edge
    role: str | None   # font role, when the font is one of the engine's (layout-<role>)


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
        return {key: (len(value) if isinstance(value, list) else value) for key, value in data.items()}


def _role_of(font_name: str, roles: Iterable[str]) -> str | None:
    """`ABCDEF+layout-headline-sans-Bold` → `headline-sans` (WeasyPrint may append the face's style)."""
    family = font_name.split("+", 1)[-1]
    if not family.startswith(FAMILY_PREFIX):
        return None
    rest = family[len(FAMILY_PREFIX):]
    matches = [r for r in roles if rest == r or rest.startswith(r + "-")]
    return max(matches, key=len) if matches else None


def pdf_glyphs(pdf: pdfium.PdfDocument, index: int, trim_height: float, roles: Iterable[str]) -> list[PdfGlyph]:
    """Every visible character on a page, in drawing order, with its origin and font role."""
    text = pdf[index].get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    glyphs = []
    count = text.count_chars()
    for i in range(count):
        # pdfium counts UTF-16 code units: a character beyond the BMP (𠮷, 𰻝) is a surrogate pair,
        # read whole at its first half.
        unit = pdfium_c.FPDFText_GetUnicode(text.raw, i)
        if 0xDC00 <= unit <= 0xDFFF:
            continue
        if 0xD800 <= unit <= 0xDBFF and i + 1 < count:
            ch = chr(0x10000 + ((unit - 0xD800) << 10) + (pdfium_c.FPDFText_GetUnicode(text.raw, i + 1) - 0xDC00))
        else:
            ch = chr(unit)
        if ch == "\x02":          # pdfium's name for a hyphen that ends a line
            ch = "-"
        if not ch.strip():
            continue
        pdfium_c.FPDFText_GetCharOrigin(text.raw, i, x, y)
        pdfium_c.FPDFText_GetFontInfo(text.raw, i, name, len(name), ctypes.byref(flags))
        role = _role_of(name.value.decode("latin-1"), roles)
        glyphs.append(PdfGlyph(char=ch, x=x.value, baseline=trim_height - y.value, role=role))
    return glyphs


@dataclass(frozen=True)
class _BodyRows:
    """A page's body-font glyphs grouped by baseline (rounded to 0.1 pt), in baseline order, each
    with the centre of its advance; within a row, in drawing order, which is reading order (two
    marks squeezed into one em may share an origin)."""

    baselines: list[float]
    rows: list[list[tuple[float, PdfGlyph]]]

    @classmethod
    def of(cls, glyphs: Sequence[PdfGlyph], fonts: Mapping[str, FontMetrics], size: float) -> "_BodyRows":
        """`fonts`: the body text's fonts (body, and run-in bold) by role."""
        rows: dict[float, list[tuple[float, PdfGlyph]]] = {}
        for g in glyphs:
            if g.role in fonts:
                centre = g.x + fonts[g.role].advance(g.char) * size / 2000
                rows.setdefault(round(g.baseline, 1), []).append((centre, g))
        ordered = sorted(rows.items())
        return cls([baseline for baseline, _ in ordered], [row for _, row in ordered])

    def lines_in(self, frame: Rect) -> list[list[PdfGlyph]]:
        """The body lines in a frame: glyphs whose advance is centred in it (within 1 pt: a mark at
        a line edge has half its box outside)."""
        first = bisect.bisect_left(self.baselines, frame.y - 0.05)
        last = bisect.bisect_right(self.baselines, frame.bottom + 0.05)
        lines = []
        for row in self.rows[first:last]:
            line = [g for centre, g in row if frame.x - 1 <= centre <= frame.right + 1
                    and frame.y <= g.baseline <= frame.bottom]
            if line:
                lines.append(line)
        return lines


def _splits_a_unit(before: str, after: str) -> bool:
    """LB-4 units seen from the glyphs: a number (with its , . : separators and %‰℃ suffix), —— and
    ……. Latin words are not judged here: the space between two words is not a glyph."""
    if after[0].isdigit() or after[0] in "%‰℃":
        return before[-1].isdigit() or (before[-1] in ",.:·" and len(before) > 1 and before[-2].isdigit())
    if after[0] in CHINESE_NUMERALS and before.endswith("·") and len(before) > 1:
        return before[-2] in CHINESE_NUMERALS
    return (before.endswith("—") and after.startswith("—")) or (before.endswith("…") and after.startswith("…"))


def glyphs_of_pages(pdf_bytes: bytes, first_page: int, geometry: PageGeometry,
                    roles: Iterable[str]) -> dict[int, list[PdfGlyph]]:
    """The glyphs of every page of a PDF (the edition, or one page file), by page number."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return {first_page + index: pdf_glyphs(pdf, index, geometry.trim_height, roles) for index in range(len(pdf))}
    finally:
        pdf.close()


def check_typography(page_glyphs: Mapping[int, Sequence[PdfGlyph]], manifest: Mapping, style: HouseStyle,
                     geometry: PageGeometry, metrics: Mapping[str, FontMetrics]) -> list[StoryTypography]:
    """Measure every story of the manifest on the glyphs of the pages given (page number → glyphs,
    as the PDF has them); a story's lines on other pages are not judged. Breaks between pages count
    like any other."""
    body = style.text["body"]
    font = metrics[body.font]
    body_fonts = {font.role: font, style.text["bold"].font: metrics[style.text["bold"].font]}
    size = body.size_pt
    rules = style.punctuation
    half_width_marks = rules.closing | rules.pause | rules.stop
    indent = style.first_line_indent_em * size
    first_baseline = geometry.type_top + grid_baseline(geometry, 0)

    forms: dict[tuple[str, str | None], tuple[float, float]] = {}      # (char, role) → (offset, width) in pt

    def set_box(glyph: PdfGlyph) -> tuple[float, float]:
        """Where a glyph's set width (PC-1) starts and ends, from its origin on the PDF."""
        key = (glyph.char, glyph.role)
        if key not in forms:
            form = glyph_form(glyph.char, body_fonts.get(glyph.role, font), rules)
            forms[key] = (form.offset * size / 1000, form.width * size / 1000)
        offset, width = forms[key]
        start = glyph.x - offset
        return start, start + width

    results = []
    body_rows = {page: _BodyRows.of(glyphs, body_fonts, size) for page, glyphs in page_glyphs.items()}
    for story in manifest["stories"]:
        lines_of_story: list[tuple[int, Rect, list[PdfGlyph]]] = []
        for block in story["blocks"]:
            page = block["page"]
            if page not in body_rows:
                continue
            for x, y, width, height in block["frames"]:
                frame = Rect(x, y, width, height)
                lines_of_story += [(page, frame, line) for line in body_rows[page].lines_in(frame)]
        # Breaks inside a web address follow its own rules (after / . - ? & = #), not 避头尾.
        texts = ["".join(g.char for g in line) for _, _, line in lines_of_story]
        story_text = "".join(texts)
        url_spans = [(m.start(), m.end()) for m in URL.finditer(story_text)]
        break_at = 0
        by_page: dict[int, StoryTypography] = {}
        for number, (page, frame, line) in enumerate(lines_of_story):
            break_at += len(texts[number])
            in_url = any(start < break_at < end for start, end in url_spans)
            report = by_page.setdefault(page, StoryTypography(story=story["story"], page=page))
            report.lines += 1
            text = texts[number]
            label = f"'{text}'"
            following = lines_of_story[number + 1] if number + 1 < len(lines_of_story) else None
            step = (line[0].baseline - first_baseline) / geometry.pitch
            if abs(step - round(step)) * geometry.pitch > GRID_TOLERANCE_PT:
                report.off_grid.append(label)
            last = max(line, key=lambda g: set_box(g)[1])
            end = set_box(last)[1]
            mark_width = glyph_form(last.char, font, rules).width * size / 1000
            ends = [end, end - mark_width / 2] if last.char in half_width_marks else [end]
            if rules.strict_grid and last.char in rules.pause | rules.stop:
                ends.append(end - mark_width)      # LB-7: hung outside the measure
            flush = min(abs(e - frame.right) for e in ends) <= FLUSH_TOLERANCE_PT
            # A paragraph ends where the next line is indented, set apart (subhead, closing lines) or
            # missing; such a line is set solid (JU-4) and may be short.
            paragraph_end = following is None
            if following is not None:
                _, next_frame, next_line = following
                gap = next_line[0].baseline - line[-1].baseline
                starts_late = next_line[0].x > next_frame.x + indent - FLUSH_TOLERANCE_PT - size / 2
                paragraph_end = starts_late or (next_frame == frame and gap > geometry.pitch + GRID_TOLERANCE_PT)
            if not paragraph_end and not flush:
                report.not_flush.append(f"{label} ends {frame.right - end:+.2f} pt from the column edge")
            if following is not None and not in_url:
                next_text = texts[number + 1]
                if next_text[0] in rules.not_at_line_start and not next_text.startswith(("——", "……")):
                    report.kinsoku_breaks.append(f"{label} | '{next_text}'")
                elif text[-1] in rules.not_at_line_end:
                    report.kinsoku_breaks.append(f"{label} | '{next_text}'")
                if _splits_a_unit(text, next_text) and not rules.strict_grid:    # MX-3 cuts them
                    report.split_units.append(f"{label} | '{next_text}'")
            # JU-7 looks at the space added between Han characters (Han–Latin space has its own range).
            gaps = [set_box(b)[0] - set_box(a)[1] for a, b in zip(line, line[1:])
                    if is_han(a.char) and is_han(b.char)]
            if gaps and not paragraph_end:
                widest = max(gaps)
                report.widest_gap = max(report.widest_gap, round(widest / size, 3))
                if widest > rules.loose_gap * size + FLUSH_TOLERANCE_PT:
                    report.loose.append(label)
                if widest > rules.spread_gap * size + FLUSH_TOLERANCE_PT:
                    report.spread.append(label)
        results += by_page.values()
    return results
