"""An independent reader of body-text typography in a rendered PDF.

It measures what a reader of the printed page sees — flush columns, gaps between characters, line
breaks — from the PDF alone, through MuPDF's structured text (`mutool draw -F stext`). It uses none
of the engine's code or layout data, so the tests can hold the engine to figures it did not compute.

    .venv/bin/python tests/pdf_measure.py output/2020-05-15/gzb-20200515.pdf editions/2020-05-15/stories/*.md

How the page is read:

1. Body glyphs: the glyphs of the body size (9 pt) in the face that sets most glyphs of that size on
   the page. Other faces of that size count only inside a body line (a bold run-in, a fallback glyph):
   headlines, subheads, bylines, jump lines and captions on lines of their own are no body lines.
2. Lines: body-size glyphs on one baseline, cut into segments wherever the blank between two glyphs'
   ink is wider than 0.9 em (column gutters are at least 1 em); a segment holding a body glyph is a line.
   A line's set start and end are its glyphs' advance boxes, except that a full-width closing mark at
   its end and an opening mark at its start count only their ink half (they are compressed there).
3. Columns: a line is continued downwards by the nearest line below that overlaps it, on the line
   pitch; up to three white lines may come between (a subhead, a gap), but no headline. The chains so
   formed are the columns. A column's right edge is where most of its lines end (flush lines share it
   exactly), its left edge where most of them start, or 2 em left of that if some line starts there.
4. Paragraph ends: a line is a paragraph's last when the next line of its column starts 1 em or more
   inside the column (indented, centred or right-aligned) or lies below a white line. A column's bottom
   line goes on in the first line of the nearest column to its right with the same top (or a top one
   line higher: under a jump line) — it is a last line if that line starts inside — and is
   undetermined when there is no such column. Only inner lines (not last, determined) must be flush.
5. Breaks: every break between two lines of a paragraph, across columns too, is checked for 避头尾
   and for a number (or, given sources, a word) cut in two.

Known limits: a blank of 0.9 em or more inside a line (a full-width space, a line spread very loose
after an uncompressed mark) cuts it in two; a column whose lines are all first lines, or all short,
has no edge to find; a paragraph that starts under a subhead at the top of a column is not followed
from the column before; breaks across pages are not checked; hyphens a composer adds are not seen
as splits; the line grid (GR-5) is not checked.
"""
from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

BODY_SIZE = 9.0          # pt: 小五
PITCH = 11.25            # pt between baselines of body lines
SIZE_TOL = 0.05          # pt: font sizes read from the PDF carry rounding noise (8.99997)
BASELINE_TOL = 0.5       # pt: glyphs of one line share a baseline
SPLIT_EM = 0.9           # a blank wider than this (em) between two glyphs' ink separates columns
FLUSH_TOL = 0.15         # pt: a line is flush when its edge is this close to the column's
EDGE_TOL = 0.05          # pt: flush lines of a column share their edges to rounding noise
INDENT_EM = 2.0          # first-line indent
MAX_WHITE_LINES = 3      # white lines (a subhead, a paragraph gap) a column may hold between two lines
HEADLINE_SIZE = 1.25     # glyphs this many times the body size or larger are headlines
NEXT_COLUMN_EM = 3.0     # widest gutter to the column a text continues in
WORD_SPACE_EM = 0.15     # a blank wider than this between two Western glyphs is a word space

# Full-width marks whose ink fills one half of the em box: closing, pause and stop marks ink on the
# left, opening marks on the right. At a line end (closing) or start (opening) only the ink half counts.
CLOSING = set("，。、；：？！”’）》」』】〕〗〉］｝．")
OPENING = set("“‘（《「『【〔〖〈［｛")

# 避头尾: what may not start or end a line.
NO_START = set("。．，、：；！？‼⁇⁈⁉”’）〕】〗》〉」』］｝–—～·/／") | set(",.;:!?)]")
NO_START_PAIRS = ("——", "……", "⸺")      # two-em dashes and ellipses may start a line
NO_END = set("“‘（〔【〖《〈「『［｛") | set("([")
ASCII_QUOTES = set("\"'")

# Pieces of a number that may not be parted from it (LB-4): suffixes after digits, currency before.
NUMBER_SUFFIXES = set("%‰℃°")
NUMBER_PREFIXES = set("¥$€£")
_TOKEN = r"[0-9A-Za-z.,%‰℃°¥$€£·]+"     # the characters of a number or word around a break
TOKEN_TAIL, TOKEN_HEAD = re.compile(_TOKEN + "$"), re.compile(_TOKEN)

# A web address or e-mail address around a break (its own break rules: after / and //, before . ? #
# & and the like, never after the scheme's colon): a scheme, www., an @, or a dotted name of a
# common top-level domain, within the run of address characters either side of the break.
_ADDRESS_CHARS = r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]"
ADDRESS_TAIL, ADDRESS_HEAD = re.compile(_ADDRESS_CHARS + "+$"), re.compile(_ADDRESS_CHARS + "+")
ADDRESS = re.compile(r"https?://|www\.|\w@\w|\w\.(?:com|cn|org|net|gov|edu|io)\b")
ADDRESS_BREAK_BEFORE = set(".?#&=-_~%@,;+")


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3134F or cp == 0x3007)


def is_western(ch: str) -> bool:
    """Latin script and what goes with it: letters, digits, ASCII punctuation, sub- and superscripts,
    unit symbols — not Han, not CJK punctuation, not the dashes, quotes and ellipses Chinese shares."""
    cp = ord(ch)
    if cp < 0x7F:
        return not ch.isspace()
    if 0xA0 <= cp <= 0xFF:
        return ch != "·" and not ch.isspace()
    if 0x2070 <= cp <= 0x209F or 0x2100 <= cp <= 0x214F:
        return True
    return cp < 0x2E80 and unicodedata.category(ch)[0] in "LN"


@dataclass
class Glyph:
    text: str        # usually one character; more when one glyph stands for several (a ligature)
    font: str
    size: float
    x: float         # origin
    y: float         # baseline
    left: float      # advance box
    right: float

    @property
    def full_width(self) -> bool:
        return self.right - self.left >= 0.75 * self.size

    @property
    def ink_left(self) -> float:
        """Where the glyph starts when it begins a line: an opening mark only from its ink half."""
        if self.text in OPENING and self.full_width:
            return self.right - 0.5 * self.size
        return self.left

    @property
    def ink_right(self) -> float:
        """Where the glyph ends when it ends a line: a closing mark at the end of its ink half."""
        if self.text in CLOSING and self.full_width:
            return self.left + 0.5 * self.size
        return self.right


@dataclass(eq=False)
class Line:
    page: int
    y: float
    glyphs: list[Glyph]
    em: float
    column: Column | None = field(default=None, repr=False)     # (lines and columns refer to each other)
    role: str = "undetermined"          # "inner", "last" (a paragraph's last line) or "undetermined"
    next: Line | None = field(default=None, repr=False)     # the next line of its paragraph, where known

    @property
    def start(self) -> float:
        return self.glyphs[0].ink_left

    @property
    def end(self) -> float:
        return self.glyphs[-1].ink_right

    @property
    def chars(self) -> str:
        """The characters as set, with no spaces."""
        return "".join(g.text for g in self.glyphs)

    @property
    def text(self) -> str:
        """The line as read, a space where a word space is."""
        out = [self.glyphs[0].text]
        for a, b in zip(self.glyphs, self.glyphs[1:]):
            if _is_word_space(a, b, self.em):
                out.append(" ")
            out.append(b.text)
        return "".join(out)

    @property
    def starts_inside(self) -> bool:
        """Starts 1 em or more inside its column: a paragraph's indented first line, or a centred or
        right-aligned line (a signature) — never a line that continues a paragraph."""
        return self.start - self.column.left >= self.em - FLUSH_TOL

    @property
    def flush(self) -> bool:
        """Ends at its column's right edge and starts at its left edge or 2 em in."""
        col = self.column
        starts = (col.left, col.left + INDENT_EM * self.em)
        return (abs(self.end - col.right) <= FLUSH_TOL
                and any(abs(self.start - s) <= FLUSH_TOL for s in starts))

    @property
    def han_gap(self) -> float:
        """The widest blank between two adjacent Han characters, in em (0 when there is none)."""
        gaps = [b.left - a.right for a, b in zip(self.glyphs, self.glyphs[1:])
                if is_han(a.text[-1]) and is_han(b.text[0])]
        return max(gaps, default=0.0) / self.em

    @property
    def word_space(self) -> float:
        """The widest word space, in em (0 when there is none)."""
        gaps = [b.left - a.right for a, b in zip(self.glyphs, self.glyphs[1:]) if _is_word_space(a, b, self.em)]
        return max(gaps, default=0.0) / self.em

    @property
    def where(self) -> str:
        """Page, column, line of the column, and the line's position, for a person to find it."""
        number = self.column.lines.index(self) + 1
        return (f"p{self.page} col {self.column.number} line {number} "
                f"(y {self.y:.1f}, x {self.start:.1f}–{self.end:.1f})")


@dataclass(eq=False)
class Column:
    lines: list[Line]
    left: float
    right: float
    number: int = 0                     # left to right, then top to bottom, from 1

    @property
    def top(self) -> float:
        return self.lines[0].y


@dataclass
class Fault:
    kind: str                           # "kinsoku", "split" or "address cut"
    what: str
    before: Line                        # the line ending at the break
    after: Line                         # the line starting after it

    def __str__(self) -> str:
        return f"{self.what}: {self.before.where}: …{self.before.text[-8:]}|{self.after.text[:8]}…"


@dataclass
class PageMeasure:
    number: int
    body_font: str | None
    lines: list[Line] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    kinsoku: list[Fault] = field(default_factory=list)
    splits: list[Fault] = field(default_factory=list)
    address_cuts: list[Fault] = field(default_factory=list)   # inside a segment: a last resort

    @property
    def not_flush(self) -> list[Line]:
        """Lines that must be flush (inside a paragraph, not its last) and are not."""
        return [line for line in self.lines if line.role == "inner" and not line.flush]

    @property
    def undetermined(self) -> list[Line]:
        return [line for line in self.lines if line.role == "undetermined"]

    @property
    def justified(self) -> list[Line]:
        """Lines not known to be a paragraph's last: they are set to the full measure."""
        return [line for line in self.lines if line.role != "last"]

    @property
    def widest_han_gap(self) -> float:
        """The widest blank between two Han characters of a justified line, in em."""
        return max((line.han_gap for line in self.justified), default=0.0)

    def lines_with_han_gap_over(self, em: float) -> list[Line]:
        """Justified lines with a blank wider than em between two Han characters."""
        return [line for line in self.justified if line.han_gap > em]

    @property
    def widest_word_space(self) -> float:
        """The widest word space of a justified line, in em."""
        return max((line.word_space for line in self.justified), default=0.0)


def _is_word_space(a: Glyph, b: Glyph, em: float) -> bool:
    """A blank wider than 0.15 em between two Western glyphs — letters and digits, and also Latin
    punctuation, so that the space in "Data, Inc." counts."""
    return is_western(a.text[-1]) and is_western(b.text[0]) and b.left - a.right > WORD_SPACE_EM * em


# --- reading the PDF -------------------------------------------------------------------------------

# MuPDF writes characters below U+0020 as references XML 1.0 does not allow.
_BAD_XML_REF = re.compile(rb"&#x(?:[0-8bcefBCEF]|1[0-9a-fA-F]);")


def read_glyphs(pdf_path: str | Path) -> list[list[Glyph]]:
    """Every horizontal glyph of every page, as MuPDF's structured text gives it (spaces left out:
    word spaces are read from the blanks between glyphs)."""
    run = subprocess.run(["mutool", "draw", "-q", "-F", "stext", "-o", "-", str(pdf_path)],
                         capture_output=True)
    if run.returncode:
        raise RuntimeError(f"mutool cannot read {pdf_path}: {run.stderr.decode(errors='replace').strip()}")
    root = ET.fromstring(_BAD_XML_REF.sub(b"&#xFFFD;", run.stdout))
    pages = []
    for page in root.iter("page"):
        glyphs: list[Glyph] = []
        for line in page.iter("line"):
            dx, dy = (float(v) for v in line.get("dir", "1 0").split())
            if abs(dx - 1) > 1e-3 or abs(dy) > 1e-3:
                continue                                # vertical or rotated text is no body line
            previous = None
            for font in line.iter("font"):
                name = re.sub(r"^[A-Z]{6}\+", "", font.get("name", ""))
                size = float(font.get("size"))
                for char in font.iter("char"):
                    text = char.get("c")
                    quad = [float(v) for v in char.get("quad").split()]
                    left, right = min(quad[0::2]), max(quad[0::2])
                    x = float(char.get("x"))
                    # A glyph standing for several characters comes as one char with the advance and
                    # more with none at the same origin: they belong to the first.
                    if previous is not None and right - left < 0.01 and abs(x - previous.x) < 0.01:
                        previous.text += text
                        continue
                    if text.isspace():
                        previous = None
                        continue
                    previous = Glyph(text, name, size, x, float(char.get("y")), left, right)
                    glyphs.append(previous)
        pages.append(glyphs)
    return pages


# --- lines and columns ------------------------------------------------------------------------------

def _body_lines(number: int, glyphs: list[Glyph], body_size: float) -> tuple[str | None, list[Line]]:
    """The body face and the body lines of one page."""
    sized = [g for g in glyphs if abs(g.size - body_size) <= SIZE_TOL]
    if not sized:
        return None, []
    body_font = Counter(g.font for g in sized).most_common(1)[0][0]
    rows: list[list[Glyph]] = []
    for g in sorted(sized, key=lambda g: g.y):
        if rows and g.y - rows[-1][0].y <= BASELINE_TOL:
            rows[-1].append(g)
        else:
            rows.append([g])
    lines = []
    for row in rows:
        row.sort(key=lambda g: g.left)
        segment = [row[0]]
        for a, b in zip(row, row[1:]):
            # Ink to ink: a column's last mark and the next column's first may reach into the gutter.
            if b.ink_left - a.ink_right > SPLIT_EM * body_size:
                lines.append(segment)
                segment = []
            segment.append(b)
        lines.append(segment)
    body = [Line(number, seg[0].y, seg, body_size) for seg in lines if any(g.font == body_font for g in seg)]
    return body_font, body


def _cluster(values: list[float], tol: float) -> list[list[float]]:
    """Values grouped where neighbours lie within tol, in ascending order."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


def _edge(values: list[float], prefer_high: bool) -> float:
    """The value most lines share (ties: the outermost); its median when they differ by noise."""
    groups = _cluster(values, EDGE_TOL)
    best = max(groups, key=lambda g: (len(g), g[0] if prefer_high else -g[0]))
    return best[len(best) // 2]


def _stacks(a: Line, b: Line, pitch: float, headlines: list[Glyph]) -> bool:
    """Whether b, below a, can be the next line of a's column: on the pitch, overlapping it, and —
    across white lines — starting where a column's lines start (flush or indented alike), with no
    headline between them (that would start another story)."""
    dy = b.y - a.y
    steps = round(dy / pitch)
    if not 1 <= steps <= MAX_WHITE_LINES + 1 or abs(dy - steps * pitch) > BASELINE_TOL:
        return False
    # A paragraph's short last line may end before the next paragraph's indented first line starts.
    indented_below = abs(b.start - a.start - INDENT_EM * a.em) <= FLUSH_TOL
    if min(a.end, b.end) <= max(a.start, b.start) and not indented_below:
        return False
    if steps == 1:
        return True
    shift = abs(a.start - b.start)
    if shift > FLUSH_TOL and abs(shift - INDENT_EM * a.em) > FLUSH_TOL:
        return False
    return not any(a.y < h.y < b.y and h.left < a.end and h.right > a.start for h in headlines)


def _columns(lines: list[Line], pitch: float, headlines: list[Glyph]) -> list[Column]:
    """Chain each line to the nearest line below that stacks under it (and has it as its nearest
    line above); each chain is a column."""
    lines = sorted(lines, key=lambda l: l.y)
    reach = (MAX_WHITE_LINES + 1) * pitch + BASELINE_TOL
    below: dict[int, Line] = {}
    above: dict[int, Line] = {}
    for i, a in enumerate(lines):
        for b in lines[i + 1:]:
            if b.y - a.y > reach:
                break
            if _stacks(a, b, pitch, headlines) and (id(a) not in below or b.y < below[id(a)].y):
                below[id(a)] = b
    for a in lines:
        b = below.get(id(a))
        if b is not None and (id(b) not in above or above[id(b)].y < a.y):
            above[id(b)] = a
    columns = []
    for line in lines:
        if id(line) in above and below.get(id(above[id(line)])) is line:
            continue                                    # not a column's top line
        chain = [line]
        while (b := below.get(id(chain[-1]))) is not None and above.get(id(b)) is chain[-1]:
            chain.append(b)
        right = _edge([l.end for l in chain], prefer_high=True)
        left = _edge([l.start for l in chain], prefer_high=False)
        indent = INDENT_EM * line.em
        if any(abs(l.start - (left - indent)) <= FLUSH_TOL for l in chain):
            left -= indent                              # the commonest start was the indent
        column = Column(chain, left, right)
        for l in chain:
            l.column = column
        columns.append(column)
    columns.sort(key=lambda c: (round(c.left), c.top))
    for number, column in enumerate(columns, 1):
        column.number = number
    return columns


def _rejoin(page: PageMeasure) -> None:
    """A wide blank inside a line (after a mark, in a spread line) can read like a gutter and cut
    the line in two. Where a column's line falls short of the column's edge and a piece of the same
    row lies between its end and that edge, ending at the edge, the piece is the rest of the line."""
    for column in page.columns:
        for line in column.lines:
            if abs(line.end - column.right) <= FLUSH_TOL:
                continue
            rest = next((other for other in page.lines if other is not line and abs(other.y - line.y) <= BASELINE_TOL
                         and line.end < other.start and abs(other.end - column.right) <= FLUSH_TOL), None)
            if rest is None:
                continue
            line.glyphs = line.glyphs + rest.glyphs
            page.lines.remove(rest)
            rest.column.lines.remove(rest)
    page.columns = [column for column in page.columns if column.lines]
    for number, column in enumerate(page.columns, 1):
        column.number = number


def _next_column(column: Column, columns: list[Column], pitch: float) -> Column | None:
    """The column this one's text continues in: the nearest to its right with the same top — or one
    line higher, as when this column opens under a jump line (（上接第1版）) in another face."""
    candidates = [c for c in columns if -pitch - BASELINE_TOL <= c.top - column.top <= BASELINE_TOL
                  and 0 < c.left - column.right <= NEXT_COLUMN_EM * column.lines[0].em]
    return min(candidates, key=lambda c: c.left, default=None)


def _paragraphs(columns: list[Column], pitch: float) -> None:
    """Set each line's role and link it to the next line of its paragraph."""
    for column in columns:
        for a, b in zip(column.lines, column.lines[1:]):
            if b.y - a.y > pitch + BASELINE_TOL or b.starts_inside:
                a.role = "last"
            else:
                a.role, a.next = "inner", b
        bottom = column.lines[-1]
        following = _next_column(column, columns, pitch)
        if following is None:
            bottom.role = "undetermined"
        elif following.lines[0].starts_inside:
            bottom.role = "last"
        else:
            bottom.role, bottom.next = "inner", following.lines[0]


# --- line breaks -----------------------------------------------------------------------------------

def _normalise_source(text: str) -> str:
    """Full-width ASCII as ASCII, as the engine sets it (MX-4)."""
    return "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in text)


def _split(a: Line, b: Line, sources: list[str]) -> str | None:
    """What unit the break a|b cuts, or None. A break inside a number is fine only where a source
    has whitespace there; one inside a Latin word (or between a number and its unit) is a fault only
    where a source has the word whole — without sources nothing tells it from a break between words."""
    s, t = a.chars, b.chars
    c1, c2 = s[-1], t[0]
    before = s[-2] if len(s) > 1 else ""
    after = t[1] if len(t) > 1 else ""
    number = ((c1.isdigit() and (c2.isdigit() or c2 in NUMBER_SUFFIXES))
              or (c1 in ",.·" and before.isdigit() and c2.isdigit())
              or (c1.isdigit() and c2 in ",.·" and after.isdigit())
              or (c1 in NUMBER_PREFIXES and c2.isdigit()))
    word = c1.isascii() and c1.isalnum() and c2.isascii() and c2.isalnum()    # also 2.5|GHz
    if not (number or word):
        return None
    # The number or word either side, as read: digit groups a word space apart are groups of their own.
    tail, head = TOKEN_TAIL.search(a.text).group(), TOKEN_HEAD.match(b.text).group()
    spaced = re.compile(re.escape(tail) + r"[\s\u3000]+" + re.escape(head))
    if any(spaced.search(src) for src in sources):
        return None
    if number:
        return f"number split {tail}|{head}"
    if any(tail + head in src for src in sources):
        return f"word split {tail}|{head}"
    return None


def _opens_quote(line: Line) -> bool:
    """An ASCII quote ending a line opens a quotation when nothing is attached before it."""
    if len(line.glyphs) == 1:
        return True
    a, q = line.glyphs[-2], line.glyphs[-1]
    return not is_western(a.text[-1]) or q.left - a.right > WORD_SPACE_EM * line.em


def _closes_quote(line: Line) -> bool:
    """An ASCII quote starting a line closes a quotation unless a word follows it directly."""
    if len(line.glyphs) == 1:
        return True
    q, b = line.glyphs[0], line.glyphs[1]
    attached = b.left - q.right <= WORD_SPACE_EM * line.em
    return not (attached and (b.text[0].isalnum() or is_han(b.text[0])))


def _kinsoku(a: Line, b: Line, hashes_before: int) -> str | None:
    """What 避头尾 rule the break a|b breaks, or None. hashes_before counts the paragraph's #s before
    a's last character (an even count makes a # open a hashtag)."""
    c1, c2 = a.chars[-1], b.chars[0]
    if c2 in NO_START and not b.chars.startswith(NO_START_PAIRS):
        return f"line starts with {c2!r}"
    if c2 in ASCII_QUOTES and _closes_quote(b):
        return f"line starts with closing {c2!r}"
    if c1 in NO_END:
        return f"line ends with {c1!r}"
    if c1 in ASCII_QUOTES and _opens_quote(a):
        return f"line ends with opening {c1!r}"
    if c1 == "#" and hashes_before % 2 == 0 and not a.chars.endswith("##"):
        before = a.chars[-2:-1]
        if not (before.isascii() and before.isalnum()):            # C# and #1 are no hashtags
            return "line ends with the # opening a hashtag"
    return None


def _address_break(before: str, a: Line, b: Line) -> str | None:
    """Whether the break a|b falls inside a web address (`before`: the paragraph's characters up to
    the break, an address may have begun lines above), and what is wrong with it: None when it is
    not in an address; "" when it is where an address breaks well (after a slash that is not half
    of //, before . ? # & and the like); else what it cuts."""
    tail, head = ADDRESS_TAIL.search(before), ADDRESS_HEAD.match(b.chars)
    if not (tail and head and ADDRESS.search(tail.group() + head.group())):
        return None
    c1, c2 = a.chars[-1], b.chars[0]
    if c1 == ":" and c2 == "/":
        return "address broken after its scheme's colon"
    if (c1 == "/" and c2 != "/") or (c2 in ADDRESS_BREAK_BEFORE and c1 not in ":/"):
        return ""
    if c1 == "/":
        return "address broken inside //"
    return f"address cut {tail.group()[-6:]}|{head.group()[:6]}"


def _check_breaks(page: PageMeasure, sources: list[str]) -> None:
    """Check every break between two lines of a paragraph, following paragraphs across columns.
    A break inside a web address follows the address's rules, not 避头尾: a cut inside a segment
    (a last resort) is counted apart."""
    continued = {id(line.next) for line in page.lines if line.next is not None}
    for first in page.lines:
        if id(first) in continued:
            continue
        hashes = 0
        line = first
        paragraph = ""
        while line.next is not None:
            hashes += line.chars[:-1].count("#")
            paragraph += line.chars
            address = _address_break(paragraph, line, line.next)
            split = _split(line, line.next, sources)
            if address is not None:
                if address.startswith("address cut"):
                    page.address_cuts.append(Fault("address cut", address, line, line.next))
                elif address:
                    page.kinsoku.append(Fault("kinsoku", address, line, line.next))
            elif split:
                page.splits.append(Fault("split", split, line, line.next))
            else:
                rule = _kinsoku(line, line.next, hashes)
                if rule:
                    page.kinsoku.append(Fault("kinsoku", rule, line, line.next))
            hashes += line.chars[-1:].count("#")
            line = line.next


# --- the measure ---------------------------------------------------------------------------------

def measure_pdf(pdf_path: str | Path, sources: Sequence[str | Path] = (), body_size: float = BODY_SIZE,
                pitch: float = PITCH) -> list[PageMeasure]:
    """The body typography of every page of a PDF. sources: story files whose text says where a
    number or word legitimately had a space (a break there is no split)."""
    texts = [_normalise_source(Path(s).read_text(encoding="utf-8")) for s in sources]
    pages = []
    for number, glyphs in enumerate(read_glyphs(pdf_path), 1):
        font, lines = _body_lines(number, glyphs, body_size)
        page = PageMeasure(number, font, lines)
        headlines = [g for g in glyphs if g.size >= HEADLINE_SIZE * body_size]
        page.columns = _columns(lines, pitch, headlines)
        _rejoin(page)
        _paragraphs(page.columns, pitch)
        page.lines.sort(key=lambda l: (l.column.number, l.y))
        _check_breaks(page, texts)
        pages.append(page)
    return pages


def _em(value: float) -> str:
    return f"{value:.2f} em"


def report(pages: list[PageMeasure], every_line: bool = False) -> str:
    """A table per page and totals, then each fault with the text of its lines."""
    head = ("page", "lines", "last", "undet.", "not flush", "kinsoku", "split", "addr. cut", "gap>¼", "gap>½",
            "widest gap", "widest space")
    rows = [head]
    for p in pages:
        rows.append((str(p.number), str(len(p.lines)), str(sum(l.role == "last" for l in p.lines)),
                     str(len(p.undetermined)), str(len(p.not_flush)), str(len(p.kinsoku)), str(len(p.splits)),
                     str(len(p.address_cuts)), str(len(p.lines_with_han_gap_over(0.25))),
                     str(len(p.lines_with_han_gap_over(0.5))), _em(p.widest_han_gap), _em(p.widest_word_space)))
    rows.append(("all", *(str(sum(int(r[i]) for r in rows[1:])) for i in range(1, 10)),
                 _em(max((p.widest_han_gap for p in pages), default=0)),
                 _em(max((p.widest_word_space for p in pages), default=0))))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    out = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    for p in pages:
        for line in p.not_flush:
            col = line.column
            out.append(f"not flush: {line.where}, column {col.left:.1f}–{col.right:.1f}: {line.text}")
        for fault in p.kinsoku + p.splits + p.address_cuts:
            out.append(f"{fault.kind}: {fault}")
        for line in p.lines_with_han_gap_over(0.25):
            out.append(f"Han gap {_em(line.han_gap)}: {line.where}: {line.text}")
        if every_line:
            for col in p.columns:
                out.append(f"page {p.number} column {col.number}: x {col.left:.2f}–{col.right:.2f}, "
                           f"{len(col.lines)} lines from y {col.top:.2f}")
                for line in col.lines:
                    mark = "" if line.role != "inner" or line.flush else " NOT FLUSH"
                    out.append(f"  {line.y:8.2f} {line.start:8.2f} {line.end:8.2f} {line.role:12} "
                               f"{line.text}{mark}")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    args = [a for a in argv if a != "--lines"]
    if not args:
        print("usage: pdf_measure.py file.pdf [story files...] [--lines]", file=sys.stderr)
        return 2
    pages = measure_pdf(args[0], args[1:])
    print(report(pages, every_line="--lines" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
