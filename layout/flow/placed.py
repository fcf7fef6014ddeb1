"""What the flow places: lines on the grid, blocks and pages, and the fit of each story with
what keeps it from print (faults, loose lines, broken words, misplaced parts)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..compose import Line
from ..geometry import Rect, Rule
from ..plan import AdBlock, ImageBlock
from ..style import HouseStyle


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


def _hyphenation_advice(hyphenating: bool) -> str:
    """Advice to let English words break, only where the house style does not break them already."""
    return "" if hyphenating else ", allow hyphenation in the house style (latin.hyphenate)"


def wide_word_remedy(hyphenating: bool) -> str:
    """What an editor can do about a line a long word keeps from being flush."""
    return f"cut or rephrase the word{_hyphenation_advice(hyphenating)}, or give the block wider columns"


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
                f"this line little to break at; rephrase or move it{_hyphenation_advice(self.hyphenating)}")


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
