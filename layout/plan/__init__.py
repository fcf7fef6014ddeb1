"""Edition loading: editions/<date>/edition.yaml + stories → a validated Edition: its pages, each
with its blocks (blocks.py), and the stories they place.

Every error names the file and line, and says what to do.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import LayoutError
from ..images import check_svg_references, svg_size
from ..style import HouseStyle, load_style
from ..text import Story, read_story
from ..yamlsource import LocatedDict, plain_characters, read_yaml, text_value
from .blocks import (AdBlock, Block, GridArea, ImageBlock, IndexBlock, StoryBlock, check_keys, edition_file, load_block,
                     optional_text)

__all__ = ["AdBlock", "Block", "Edition", "GridArea", "ImageBlock", "IndexBlock", "PagePlan", "StoryBlock",
           "empty_areas", "file_name", "load_edition", "plan_file"]

EDITION_KEYS = {"paper", "date", "issue", "format", "pages", "code", "logo", "serial-numbers", "ears"}
EAR_SIDES = ("left", "right")
PAGE_KEYS = {"page", "section", "editor", "blocks"}


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
    check_keys(raw, EDITION_KEYS, "the edition", plan_path)
    paper = optional_text(raw, "paper", plan_path, required=True)
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
    format_name = optional_text(raw, "format", plan_path) or "broadsheet"
    try:
        style = load_style(styles_dir, format_name)
    except LayoutError as exc:
        if exc.file is None:
            raise LayoutError(exc.message, plan_path, raw.line_of("format")) from None
        raise
    code = optional_text(raw, "code", plan_path) or "paper"
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
        source, logo = edition_file(raw, "logo", root, plan_path, {".svg"})
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
    check_keys(page_raw, PAGE_KEYS, f"page {expected}", path)
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
        block = load_block(block_raw, root, path, style)
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
    return PagePlan(number=number, section=optional_text(page_raw, "section", path),
                    editor=optional_text(page_raw, "editor", path), blocks=tuple(blocks), source_line=page_raw.line)


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
