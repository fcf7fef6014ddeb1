"""Body lines read back from a PDF (pypdfium2): glyph origins and font names as the file has them,
grouped into the lines of each story's text columns (frames, from the manifest or the flow). They
are judged by the typographic preflight (`layout check`), and compared with the lines composed
(render: the painted page must hold what was composed, glyph by glyph)."""
from __future__ import annotations

import bisect
import ctypes
import math
from dataclasses import dataclass
from typing import Iterable, Iterator, Mapping, Sequence

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..compose import glyph_form
from ..fonts import FAMILY_PREFIX, FontMetrics
from ..geometry import PageGeometry, Rect
from ..style import HouseStyle
from .typography import PdfGlyph, SetLine, StoryTypography, judge_lines

WORD_SPACE_EM = 0.15     # a gap between two Latin glyphs wider than this is a word space
AGREEMENT_PT = 0.1       # how far a painted glyph may stand from where it was composed


def _role_of(font_name: str, roles: Iterable[str]) -> str | None:
    """`ABCDEF+layout-headline-sans-Bold` → `headline-sans` (WeasyPrint may append the face's style)."""
    family = font_name.split("+", 1)[-1]
    if not family.startswith(FAMILY_PREFIX):
        return None
    rest = family[len(FAMILY_PREFIX):]
    matches = [r for r in roles if rest == r or rest.startswith(r + "-")]
    return max(matches, key=len) if matches else None


def visible_characters(text: pdfium.PdfTextPage) -> Iterator[tuple[int, str]]:
    """(pdfium's index, character) of every visible character of a text page, in drawing order."""
    count = text.count_chars()
    # pdfium counts UTF-16 code units, and gives them all in one call: a character beyond the BMP
    # (𠮷, 𰻝) is a surrogate pair, read whole at its first half.
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    pdfium_c.FPDFText_GetText(text.raw, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = memoryview(buffer.raw).cast("H")
    for i in range(count):
        unit = units[i]
        if unit == 0xFFFE:        # where FPDFText_GetText hides what the character is (a line-end hyphen)
            unit = pdfium_c.FPDFText_GetUnicode(text.raw, i)
        if 0xDC00 <= unit <= 0xDFFF:
            continue
        if 0xD800 <= unit <= 0xDBFF and i + 1 < count:
            ch = chr(0x10000 + ((unit - 0xD800) << 10) + (units[i + 1] - 0xDC00))
        else:
            ch = chr(unit)
        if ch == "\x02":          # pdfium's name for a hyphen that ends a line
            ch = "-"
        if not ch.isspace():
            yield i, ch


def pdf_glyphs(pdf: pdfium.PdfDocument, index: int, trim_height: float, roles: Iterable[str]) -> list[PdfGlyph]:
    """Every visible character on a page, in drawing order, with its origin and font role."""
    text = pdf[index].get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    glyphs, flags_ref = [], ctypes.byref(flags)
    role_of: dict[bytes, str | None] = {}      # by font name: a page has a few fonts and thousands of glyphs
    for i, ch in visible_characters(text):
        pdfium_c.FPDFText_GetCharOrigin(text.raw, i, x, y)
        pdfium_c.FPDFText_GetFontInfo(text.raw, i, name, len(name), flags_ref)
        font = name.value
        if font not in role_of:
            role_of[font] = _role_of(font.decode("latin-1"), roles)
        glyphs.append(PdfGlyph(ch, x.value, trim_height - y.value, role_of[font]))
    return glyphs


def glyphs_of_pages(pdf_bytes: bytes, first_page: int, geometry: PageGeometry,
                    roles: Iterable[str]) -> dict[int, list[PdfGlyph]]:
    """The glyphs of every page of a PDF (the edition, or one page file), by page number."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return {first_page + index: pdf_glyphs(pdf, index, geometry.trim_height, roles) for index in range(len(pdf))}
    finally:
        pdf.close()


@dataclass(frozen=True)
class _BodyRows:
    """A page's body-font glyphs grouped by baseline (rounded to 0.1 pt), in baseline order, each
    with the centre of its advance; within a row, in drawing order, which is reading order (two
    marks squeezed into one em may share an origin)."""

    baselines: list[float]
    rows: list[list[tuple[float, PdfGlyph]]]
    # Per row, its glyphs' indices in the order of their centres, and those centres: a frame's
    # glyphs are found by bisection (a row runs across every column of the page).
    by_centre: list[tuple[list[int], list[float]]]

    @classmethod
    def of(cls, glyphs: Sequence[PdfGlyph], fonts: Mapping[str, FontMetrics], size: float) -> "_BodyRows":
        """`fonts`: the body text's fonts (body, and run-in bold) by role."""
        rows: dict[float, list[tuple[float, PdfGlyph]]] = {}
        for g in glyphs:
            if g.role in fonts:
                centre = g.x + fonts[g.role].advance(g.char) * size / 2000
                rows.setdefault(round(g.baseline, 1), []).append((centre, g))
        ordered = sorted(rows.items())
        by_centre = []
        for _, row in ordered:
            order = sorted(range(len(row)), key=lambda i: row[i][0])
            by_centre.append((order, [row[i][0] for i in order]))
        return cls([baseline for baseline, _ in ordered], [row for _, row in ordered], by_centre)

    def lines_in(self, frame: Rect) -> list[list[PdfGlyph]]:
        """The body lines in a frame: glyphs whose advance is centred in it (within 1 pt: a mark at
        a line edge has half its box outside), in drawing order."""
        first = bisect.bisect_left(self.baselines, frame.y - 0.05)
        last = bisect.bisect_right(self.baselines, frame.bottom + 0.05)
        lines = []
        for row, (order, centres) in zip(self.rows[first:last], self.by_centre[first:last]):
            start, end = bisect.bisect_left(centres, frame.x - 1), bisect.bisect_right(centres, frame.right + 1)
            inside = sorted(order[start:end])
            line = [row[i][1] for i in inside if frame.y <= row[i][1].baseline <= frame.bottom]
            if line:
                lines.append(line)
        return lines


def _place(line: SetLine) -> tuple[int, float, float]:
    """Where a line stands: its page, its frame's left edge, its baseline."""
    return line.page, line.frame.x, line.glyphs[0].baseline


def _same_place(a: Sequence[float], b: Sequence[float]) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) < 0.5 and abs(a[2] - b[2]) < 0.3


class _Places:
    """Places (page, frame x, baseline) by page and whole point of baseline, so that the first one
    at the same place as another (_same_place) is found without a scan of every line."""

    def __init__(self, places: Iterable[Sequence[float]]):
        self.buckets: dict[tuple, list[tuple[int, Sequence[float]]]] = {}
        for index, place in enumerate(places):
            self.buckets.setdefault((place[0], math.floor(place[2])), []).append((index, place))

    def first(self, place: Sequence[float]) -> int | None:
        """The index of the first of the places at the same place as `place`, or None."""
        page, row = place[0], math.floor(place[2])
        return min((index for key in (row - 1, row, row + 1) for index, other in self.buckets.get((page, key), ())
                    if _same_place(other, place)), default=None)


def space_breaks(composed: Mapping[str, Sequence[SetLine]]) -> dict[str, list[list[float]]]:
    """Per story, where a composed line's break falls at a space of the copy (page, frame x,
    baseline): what the manifest keeps for `layout check`, which reads only the PDF."""
    return {story: [[page, round(x, 3), round(baseline, 3)] for page, x, baseline in
                    (_place(line) for line in lines if line.space_after and line.glyphs)]
            for story, lines in composed.items()}


def painted_lines(page_glyphs: Mapping[int, Sequence[PdfGlyph]], stories: Sequence[Mapping], style: HouseStyle,
                  metrics: Mapping[str, FontMetrics]) -> dict[str, list[SetLine]]:
    """The body lines of each story in the frames its manifest entry names (`stories`: the
    manifest's `stories`), on the pages given; a line's text has a space where two Latin glyphs
    stand a word space apart, and its `space_after` is what the manifest says (`space_breaks`)."""
    body = style.text["body"]
    size = body.size_pt
    fonts = {role: metrics[role] for role in (body.font, style.text["bold"].font)}
    rows = {page: _BodyRows.of(glyphs, fonts, size) for page, glyphs in page_glyphs.items()}
    result: dict[str, list[SetLine]] = {}
    for story in stories:
        spaced = None if story.get("space_breaks") is None else _Places(story["space_breaks"])
        lines = result.setdefault(story["story"], [])
        for block in story["blocks"]:
            page = block["page"]
            if page not in rows:
                continue
            for x, y, width, height in block["frames"]:
                frame = Rect(x, y, width, height)
                for glyphs in rows[page].lines_in(frame):
                    place = (page, frame.x, glyphs[0].baseline)
                    lines.append(SetLine(page=page, frame=frame, glyphs=tuple(glyphs),
                                         text=_text(glyphs, fonts, size, style),
                                         space_after=None if spaced is None else spaced.first(place) is not None))
    return result


def _text(glyphs: Sequence[PdfGlyph], fonts: Mapping[str, FontMetrics], size: float, style: HouseStyle) -> str:
    """A line's characters, with a space where two Latin glyphs stand a word space apart."""
    text = glyphs[0].char
    for a, b in zip(glyphs, glyphs[1:]):
        form = glyph_form(a.char, fonts[a.role], style.punctuation)
        gap = b.x - (a.x - form.offset + form.width * size / 1000)
        if a.char.isascii() and b.char.isascii() and gap > WORD_SPACE_EM * size:
            text += " "
        text += b.char
    return text


def check_typography(page_glyphs: Mapping[int, Sequence[PdfGlyph]], manifest: Mapping, style: HouseStyle,
                     geometry: PageGeometry, metrics: Mapping[str, FontMetrics]) -> list[StoryTypography]:
    """The typographic preflight of a PDF's pages (page number → glyphs, as the PDF has them), for
    the stories of its manifest; a story's lines on other pages are not judged."""
    return judge_lines(painted_lines(page_glyphs, manifest["stories"], style, metrics), style, geometry, metrics)


@dataclass(frozen=True)
class PaintedDifference:
    """A composed line the painted page does not hold as composed."""
    story: str
    page: int
    source_line: int | None      # the line of the story file its paragraph starts on
    what: str

    def message(self, story_file: str) -> str:
        where = f"{story_file}:{self.source_line}" if self.source_line else story_file
        return f"{where}: story '{self.story}', page {self.page}: {self.what}"


def painted_differences(painted: Mapping[str, Sequence[SetLine]],
                        composed: Mapping[str, Sequence[SetLine]]) -> list[PaintedDifference]:
    """Where the painted pages do not hold what was composed: a line missing, other characters, a
    glyph more than AGREEMENT_PT from where it was set. One per story and page."""
    differences = []
    for story, lines in composed.items():
        found = [line for line in painted.get(story, ()) if line.glyphs]
        places = _Places(_place(line) for line in found)
        told: set[int] = set()
        for line in lines:
            if not line.glyphs or line.page in told:
                continue
            index = places.first(_place(line))
            other = None if index is None else found[index]
            if other is None:
                what = "is not on the page"
            elif [g.char for g in other.glyphs] != [g.char for g in line.glyphs]:
                what = f"is painted as '{other.text}'"
            else:
                # Characters drawn as one glyph (—— as a 2-em dash) are read at the first one's origin.
                offset = max((abs(a.x - b.x) for a, b, before in zip(line.glyphs, other.glyphs, (None, *other.glyphs))
                              if before is None or b.x != before.x), default=0.0)
                if offset <= AGREEMENT_PT:
                    continue
                what = f"has a glyph {offset:.2f} pt from where it was set"
            told.add(line.page)
            differences.append(PaintedDifference(story, line.page, line.source_line, f"the line '{line.text}' {what}"))
    return differences
