"""Edition loading: editions/<date>/edition.yaml + stories → a validated Edition.

Every error names the file and line, and says what to do.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import LayoutError
from .images import check_svg_references, raster_size, svg_size
from .style import HouseStyle, load_style, parse_size
from .text import Story, read_story
from .yamlsource import LocatedDict, plain_characters, read_yaml, text_value

IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg"}
AD_SUFFIXES = {".pdf"}
EDITION_KEYS = {"paper", "date", "issue", "format", "pages", "code", "logo", "serial-numbers", "ears"}
EAR_SIDES = ("left", "right")
PAGE_KEYS = {"page", "section", "editor", "blocks"}
STORY_BLOCK_KEYS = {"story", "col", "cols", "line", "lines", "text-columns", "headline-size", "box"}
IMAGE_BLOCK_KEYS = {"image", "col", "cols", "line", "lines", "caption", "credit", "crop", "focus", "caption-side"}
AD_BLOCK_KEYS = {"ad", "col", "cols", "line", "lines"}
INDEX_BLOCK_KEYS = {"index", "col", "cols", "line", "lines"}


@dataclass(frozen=True)
class GridArea:
    col: int
    cols: int
    line: int
    lines: int

    def overlaps(self, other: "GridArea") -> bool:
        return (self.col < other.col + other.cols and other.col < self.col + self.cols
                and self.line < other.line + other.lines and other.line < self.line + self.lines)


@dataclass(frozen=True)
class StoryBlock:
    story: str
    area: GridArea
    text_columns: int
    headline_size: float | None   # extension: overrides the house headline size for this story
    source_line: int
    box: bool = False             # extension: a rule around the block, the text inset (as a notice's)

    @property
    def label(self) -> str:
        return f"story '{self.story}' (line {self.source_line})"


@dataclass(frozen=True)
class ImageBlock:
    image: Path          # resolved, inside the edition folder
    source: str          # as written in the plan
    area: GridArea
    caption: str | None
    credit: str | None
    source_line: int
    pixels: tuple[int, int] | None = None   # a raster picture's width and height; None for SVG
    natural: tuple[float, float] | None = None   # its own width and height (pixels, or an SVG's viewBox):
                                                 # its aspect, where the plan cuts it (crop: fill)
    crop: str = "fit"                       # extension: fit (whole picture, as large as the frame allows)
                                            # or fill (the frame filled, what overhangs cut off)
    focus: tuple[float, float] = (0.5, 0.5)  # with fill: the point of the picture (fractions of its width
                                             # and height) kept nearest the frame's centre
    caption_side: str = "below"             # extension: below the picture, or right beside it

    @property
    def label(self) -> str:
        return f"image '{self.source}' (line {self.source_line})"


@dataclass(frozen=True)
class AdBlock:
    """Extension: an advertisement delivered as a one-page PDF, placed 1:1 as vector content."""
    ad: Path             # resolved, inside the edition folder
    source: str          # as written in the plan
    area: GridArea
    source_line: int
    data: bytes = field(default=b"", repr=False, compare=False)   # the file as read with the plan, once

    @property
    def label(self) -> str:
        return f"ad '{self.source}' (line {self.source_line})"


@dataclass(frozen=True)
class IndexBlock:
    """Extension: a 导读 box — the headlines of the stories it names, each with the page it starts on."""
    stories: tuple[str, ...]
    area: GridArea
    source_line: int

    @property
    def label(self) -> str:
        return f"index (line {self.source_line})"


Block = StoryBlock | ImageBlock | AdBlock | IndexBlock


@dataclass(frozen=True)
class PagePlan:
    number: int
    section: str | None
    editor: str | None
    blocks: tuple[Block, ...]
    source_line: int = 0


@dataclass(frozen=True)
class Edition:
    root: Path
    plan_path: Path
    paper: str
    date: dt.date
    issue: int | None
    code: str
    format: str
    pages: tuple[PagePlan, ...]
    stories: dict[str, Story]
    paper_line: int = 0
    unplaced: tuple[Path, ...] = ()   # story files in stories/ that no block places
    logo: Path | None = None          # an SVG drawn in the masthead in place of the paper's name set in type
    serial_numbers: tuple[str, ...] = ()    # CN number, 邮发代号: under the date in the masthead
    ears: tuple[str | None, str | None] = (None, None)   # 报眼 beside the masthead: left, right
    ears_line: int = 0


def _positive_int(mapping: LocatedDict, key: str, path: Path, default: int | None = None) -> int:
    if key not in mapping:
        if default is not None:
            return default
        raise LayoutError(f"block needs '{key}' (a whole number)", path, mapping.line)
    value = mapping[key]
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise LayoutError(f"'{key}' must be a whole number of at least 1, not {value!r}", path,
                          mapping.line_of(key))
    return value


def _text(mapping: LocatedDict, key: str, path: Path, required: bool = False) -> str | None:
    value = text_value(mapping, key, path)
    if value is None and required:
        raise LayoutError(f"'{key}' is required", path, mapping.line)
    return value


def _check_keys(mapping: LocatedDict, known: set[str], what: str, path: Path) -> None:
    for key in mapping:
        if key not in known:
            raise LayoutError(f"unknown key '{key}' in {what} (known: {', '.join(sorted(known))})",
                              path, mapping.line_of(key))


def edition_date(date: str, editions_dir: Path) -> dt.date:
    """The date an edition is named by (its folder): YYYY-MM-DD, and a day that exists."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            return dt.date.fromisoformat(date)
    except ValueError:
        pass
    raise LayoutError(f"'{date}' is not an edition date: give the day as YYYY-MM-DD, the name of its folder "
                      f"in {editions_dir}")


def plan_file(editions_dir: Path, date: str) -> Path:
    """The page plan of the edition of `date`: the date checked, the file there."""
    edition_date(date, editions_dir)
    plan_path = editions_dir / date / "edition.yaml"
    if not plan_path.is_file():
        raise LayoutError(f"no edition for {date}: expected the page plan {plan_path}")
    return plan_path


def load_edition(editions_dir: Path, date: str, styles_dir: Path) -> tuple[Edition, HouseStyle]:
    plan_path = plan_file(editions_dir, date)
    root = plan_path.parent
    if not plan_path.resolve().is_relative_to(root.resolve()):
        raise LayoutError(f"{plan_path} is a link to {plan_path.resolve()}, outside the edition folder; copy the "
                          "plan into the edition folder", plan_path)
    raw = read_yaml(plan_path)
    if not isinstance(raw, LocatedDict):
        raise LayoutError("the page plan must be a mapping with paper, date and pages", plan_path, 1)
    _check_keys(raw, EDITION_KEYS, "the edition", plan_path)
    paper = _text(raw, "paper", plan_path, required=True)
    if "date" not in raw:
        raise LayoutError("'date' is required (YYYY-MM-DD, the folder name)", plan_path, raw.line)
    plan_date = raw["date"]
    if isinstance(plan_date, str) and plan_date.strip() == date:      # written in quotes: the same day
        plan_date = dt.date.fromisoformat(date)
    if not isinstance(plan_date, dt.date) or plan_date.isoformat() != date:
        shown = plan_date.isoformat() if isinstance(plan_date, dt.date) else repr(plan_date)
        raise LayoutError(f"'date' is {shown} but the folder is {date}; they must be equal",
                          plan_path, raw.line_of("date"))
    issue = raw.get("issue")
    if issue is not None and (not isinstance(issue, int) or isinstance(issue, bool) or issue < 1):
        raise LayoutError(f"'issue' is {issue!r}; it must be a whole number, 1 or more", plan_path,
                          raw.line_of("issue"))
    format_name = _text(raw, "format", plan_path) or "broadsheet"
    try:
        style = load_style(styles_dir, format_name)
    except LayoutError as exc:
        if exc.file is None:
            raise LayoutError(exc.message, plan_path, raw.line_of("format")) from None
        raise
    code = _text(raw, "code", plan_path) or "paper"
    if not code.replace("-", "").isalnum() or not code.isascii() or len(code) > 32:
        raise LayoutError("'code' (used in file names) must be ASCII letters, digits or '-', at most 32", plan_path,
                          raw.line_of("code"))
    pages_raw = raw.get("pages")
    if not isinstance(pages_raw, list) or not pages_raw:
        raise LayoutError("'pages' must list at least one page", plan_path, raw.line_of("pages"))
    pages = [_load_page(page_raw, expected, root, plan_path, style)
             for expected, page_raw in enumerate(pages_raw, start=1)]
    story_ids = []
    for page in pages:
        for block in page.blocks:
            if isinstance(block, StoryBlock) and block.story not in story_ids:
                story_ids.append(block.story)
    stories = {sid: read_story(sid, _story_file(root, sid), style) for sid in story_ids}
    for page in pages:
        for block in page.blocks:
            for story in block.stories if isinstance(block, IndexBlock) else ():
                if story not in stories:
                    raise LayoutError(f"the index names story '{story}', which no block of the plan places",
                                      plan_path, block.source_line)
    logo = None
    if "logo" in raw:
        source, logo = _edition_file(raw, "logo", root, plan_path, {".svg"})
        try:
            check_svg_references(logo, root)
        except ValueError as exc:
            raise LayoutError(f"logo '{source}' {exc}", plan_path, raw.line_of("logo")) from None
        if svg_size(logo) is None:      # it would be drawn at whatever size its content happens to take
            raise LayoutError(f"logo '{source}' states no size: give its <svg> a viewBox (or a width and a height) "
                              "around the drawing, so that it can be scaled to the masthead",
                              plan_path, raw.line_of("logo"))
    serials = raw.get("serial-numbers", [])
    if not isinstance(serials, list) or not all(isinstance(s, (str, int)) and not isinstance(s, bool)
                                                and str(s).strip()
                                                and not any(unicodedata.category(c) == "Cc" for c in str(s))
                                                for s in serials):
        raise LayoutError("'serial-numbers' lists texts on one line each, e.g. [国内统一连续出版物号 CN32-0000, "
                          "邮发代号 28-00]", plan_path, raw.line_of("serial-numbers"))
    serials = [plain_characters(str(s)).strip() for s in serials]
    ears = raw.get("ears")
    if ears is not None and (not isinstance(ears, LocatedDict) or set(ears) - set(EAR_SIDES)):
        raise LayoutError("'ears' gives the text of the left and right ear: ears: {left: …, right: …}", plan_path,
                          raw.line_of("ears"))
    unplaced = tuple(sorted(path for path in (root / "stories").glob("*.md") if path.stem not in stories))
    edition = Edition(root=root, plan_path=plan_path, paper=paper, date=plan_date, issue=issue, code=code,
                      format=format_name, pages=tuple(pages), stories=stories, paper_line=raw.line_of("paper"),
                      unplaced=unplaced, logo=logo, serial_numbers=tuple(serials),
                      ears=tuple(text_value(ears, side, plan_path, breaks=True) if ears else None
                                 for side in EAR_SIDES), ears_line=raw.line_of("ears") if ears else 0)
    return edition, style


def _load_page(page_raw, expected: int, root: Path, path: Path, style: HouseStyle) -> PagePlan:
    if not isinstance(page_raw, LocatedDict):
        raise LayoutError(f"page {expected} must be a mapping with 'page' and 'blocks'", path)
    _check_keys(page_raw, PAGE_KEYS, f"page {expected}", path)
    number = page_raw.get("page")
    if not isinstance(number, int) or isinstance(number, bool) or number != expected:
        raise LayoutError(f"pages must be numbered 1..N in order without gaps: expected page {expected}, "
                          f"found {number!r}", path, page_raw.line_of("page"))
    blocks_raw = page_raw.get("blocks")
    if not isinstance(blocks_raw, list) or not blocks_raw:
        raise LayoutError(f"page {number} needs 'blocks'", path, page_raw.line_of("blocks"))
    first_line = style.masthead_lines + 1 if number == 1 else 1
    blocks: list[Block] = []
    for block_raw in blocks_raw:
        if not isinstance(block_raw, LocatedDict):
            raise LayoutError(f"a block on page {number} must be a mapping", path, page_raw.line_of("blocks"))
        block = _load_block(block_raw, root, path, style)
        area = block.area
        if area.col + area.cols - 1 > style.columns:
            raise LayoutError(f"page {number}: {block.label} reaches column {area.col + area.cols - 1}, "
                              f"but the type area has {style.columns} columns", path, block.source_line)
        if area.line < first_line:
            raise LayoutError(f"page {number}: {block.label} starts at line {area.line}, but the masthead "
                              f"takes lines 1–{first_line - 1} of page 1; start at line {first_line} or "
                              "lower", path, block.source_line)
        if area.line + area.lines - 1 > style.lines:
            raise LayoutError(f"page {number}: {block.label} reaches line {area.line + area.lines - 1}, "
                              f"but the type area has {style.lines} lines", path, block.source_line)
        for other in blocks:
            if other.area.overlaps(area):
                raise LayoutError(f"page {number}: {block.label} overlaps {other.label}; move or resize "
                                  "one of them", path, block.source_line)
        blocks.append(block)
    return PagePlan(number=number, section=_text(page_raw, "section", path),
                    editor=_text(page_raw, "editor", path), blocks=tuple(blocks), source_line=page_raw.line)


def _area(raw: LocatedDict, path: Path) -> GridArea:
    return GridArea(col=_positive_int(raw, "col", path), cols=_positive_int(raw, "cols", path),
                    line=_positive_int(raw, "line", path), lines=_positive_int(raw, "lines", path))


def _load_block(raw: LocatedDict, root: Path, path: Path, style: HouseStyle) -> Block:
    if sum(key in raw for key in ("story", "image", "ad", "index")) != 1:
        raise LayoutError("a block names exactly one of 'story', 'image', 'ad' or 'index'", path, raw.line)
    if "index" in raw:
        _check_keys(raw, INDEX_BLOCK_KEYS, "an index block", path)
        stories = raw["index"]
        if not isinstance(stories, list) or not stories or not all(isinstance(s, str) for s in stories):
            raise LayoutError("'index' lists the stories it points to, e.g. [frontlines, livestream]", path,
                              raw.line_of("index"))
        if twice := sorted({story for story in stories if stories.count(story) > 1}):
            raise LayoutError(f"'index' names {', '.join(twice)} more than once; name each story once", path,
                              raw.line_of("index"))
        return IndexBlock(stories=tuple(stories), area=_area(raw, path), source_line=raw.line)
    if "story" in raw:
        _check_keys(raw, STORY_BLOCK_KEYS, "a story block", path)
        story = _text(raw, "story", path, required=True)
        if not all(c.isalnum() or c in "-_" for c in story) or len(story) > 64:
            raise LayoutError(f"story id '{story[:64]}' may hold only letters, digits, '-' and '_', at most 64",
                              path, raw.line_of("story"))
        area = _area(raw, path)
        size = raw.get("headline-size")
        text_columns = _positive_int(raw, "text-columns", path, default=area.cols)
        if text_columns > 2 * area.cols:
            # 破栏 (text columns across the grid) makes columns wider or a little narrower, never
            # slivers: half a grid column is the narrowest.
            raise LayoutError(f"'text-columns' is {text_columns}, but a block of {area.cols} grid columns holds at "
                              f"most {2 * area.cols} text columns", path, raw.line_of("text-columns"))
        box = raw.get("box", False)
        if not isinstance(box, bool):
            raise LayoutError(f"'box' is true or false, not {box!r}", path, raw.line_of("box"))
        return StoryBlock(story=story, area=area, text_columns=text_columns,
                          headline_size=None if size is None else parse_size(size, style.hao, path,
                                                                             raw.line_of("headline-size")),
                          source_line=raw.line, box=box)
    if "ad" in raw:
        _check_keys(raw, AD_BLOCK_KEYS, "an ad block", path)
        source, resolved = _edition_file(raw, "ad", root, path, AD_SUFFIXES)
        from .adfile import ad_page      # pypdf: only for an edition with ads
        data = resolved.read_bytes()
        try:
            ad_page(data)
        except ValueError as exc:
            raise LayoutError(f"ad '{source}' {exc}", path, raw.line_of("ad")) from None
        return AdBlock(ad=resolved, source=source, area=_area(raw, path), source_line=raw.line, data=data)
    _check_keys(raw, IMAGE_BLOCK_KEYS, "an image block", path)
    source, resolved = _edition_file(raw, "image", root, path, IMAGE_SUFFIXES)
    try:
        pixels = raster_size(resolved)
        if pixels is None:
            check_svg_references(resolved, root)
    except ValueError as exc:
        raise LayoutError(f"image '{source}' {exc}", path, raw.line_of("image")) from None
    crop = raw.get("crop", "fit")
    if crop not in ("fit", "fill"):
        raise LayoutError(f"'crop' is fit (the whole picture) or fill (the frame filled, the picture cut to it), "
                          f"not {crop!r}", path, raw.line_of("crop"))
    side = raw.get("caption-side", "below")
    if side not in ("below", "right"):
        raise LayoutError(f"'caption-side' is below or right, not {side!r}", path, raw.line_of("caption-side"))
    area = _area(raw, path)
    if side == "right" and area.cols < 2:
        raise LayoutError("a caption beside its picture needs a block of two grid columns or more", path,
                          raw.line_of("caption-side"))
    return ImageBlock(image=resolved, source=source, area=area,
                      caption=_text(raw, "caption", path), credit=_text(raw, "credit", path),
                      source_line=raw.line, pixels=pixels, crop=crop, focus=_focus(raw, crop, path),
                      caption_side=side, natural=pixels or svg_size(resolved))


def _edition_file(raw: LocatedDict, key: str, root: Path, path: Path, suffixes: set[str]) -> tuple[str, Path]:
    """The file a block names under `key` (image, ad): as written, and resolved inside the edition."""
    source = _text(raw, key, path, required=True)
    try:
        resolved = (root / source).resolve()
        exists = resolved.is_file()
    except OSError as exc:         # a name too long, a loop of links
        raise LayoutError(f"{key} '{source[:80]}' cannot be opened: {exc.strerror}", path,
                          raw.line_of(key)) from None
    if not resolved.is_relative_to(root.resolve()):
        raise LayoutError(f"{key} '{source}' lies outside the edition folder; copy it into "
                          f"{root / ('ads' if key == 'ad' else 'images')} and name it from there", path,
                          raw.line_of(key))
    if resolved.suffix.lower() not in suffixes:
        raise LayoutError(f"{key} '{source}' is not one of {', '.join(sorted(suffixes))}", path, raw.line_of(key))
    if not exists:
        raise LayoutError(f"{key} '{source}' does not exist", path, raw.line_of(key))
    return source, resolved


def _focus(raw: LocatedDict, crop: str, path: Path) -> tuple[float, float]:
    """`focus: 0.5,0.3` (or [0.5, 0.3]): across and down the picture, 0 to 1 each."""
    value = raw.get("focus")
    if value is None:
        return (0.5, 0.5)
    if crop != "fill":
        raise LayoutError("'focus' chooses what a cut picture keeps; it needs 'crop: fill'", path,
                          raw.line_of("focus"))
    parts = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else [value]
    try:
        x, y = (float(part) for part in parts)
        if not (0 <= x <= 1 and 0 <= y <= 1):
            raise ValueError
    except (TypeError, ValueError):
        raise LayoutError(f"'focus' is two numbers from 0 to 1, across and down the picture (0.5,0.3: the middle "
                          f"across, a third of the way down), not {value!r}", path, raw.line_of("focus")) from None
    return (x, y)


def _story_file(root: Path, story: str) -> Path:
    """stories/<id>.md, which must stay inside the edition folder when links are followed."""
    path = root / "stories" / f"{story}.md"
    if path.exists() and not path.resolve().is_relative_to(root.resolve()):
        raise LayoutError(f"story '{story}': {path} is a link to {path.resolve()}, outside the edition folder; "
                          "copy the story into stories/", path)
    return path


def empty_areas(page: PagePlan, style: HouseStyle) -> list[GridArea]:
    """Grid areas of the page no block covers (below the masthead on page 1): one per column and
    run of lines."""
    first = style.masthead_lines + 1 if page.number == 1 else 1
    covered = {(col, line) for area in (block.area for block in page.blocks)
               for col in range(area.col, area.col + area.cols) for line in range(area.line, area.line + area.lines)}
    areas = []
    for col in range(1, style.columns + 1):
        line = first
        while line <= style.lines:
            if (col, line) in covered:
                line += 1
                continue
            start = line
            while line <= style.lines and (col, line) not in covered:
                line += 1
            areas.append(GridArea(col=col, cols=1, line=start, lines=line - start))
    return areas


def file_name(edition: Edition, style: HouseStyle, page: int | None = None) -> str:
    """The name of a page file (or, with no page, of the edition PDF), by the house style."""
    fields = {"code": edition.code, "yyyymmdd": edition.date.strftime("%Y%m%d"), "date": edition.date.isoformat()}
    if page is None:
        return style.edition_file.format(**fields)
    return style.page_file.format(page=page, **fields)
