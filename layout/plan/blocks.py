"""The blocks of a page plan: a story, a picture, an advertisement or an index box on a grid
area, each read from its mapping in edition.yaml with the file and line of every error."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import LayoutError
from ..images import check_svg_references, raster_size, svg_size
from ..style import HouseStyle, parse_size
from ..yamlsource import LocatedDict, text_value

IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg"}
AD_SUFFIXES = {".pdf"}
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


def optional_text(mapping: LocatedDict, key: str, path: Path, required: bool = False) -> str | None:
    value = text_value(mapping, key, path)
    if value is None and required:
        raise LayoutError(f"'{key}' is required", path, mapping.line)
    return value


def check_keys(mapping: LocatedDict, known: set[str], what: str, path: Path) -> None:
    for key in mapping:
        if key not in known:
            raise LayoutError(f"unknown key '{key}' in {what} (known: {', '.join(sorted(known))})",
                              path, mapping.line_of(key))


def _area(raw: LocatedDict, path: Path) -> GridArea:
    return GridArea(col=_positive_int(raw, "col", path), cols=_positive_int(raw, "cols", path),
                    line=_positive_int(raw, "line", path), lines=_positive_int(raw, "lines", path))


def load_block(raw: LocatedDict, root: Path, path: Path, style: HouseStyle) -> Block:
    if sum(key in raw for key in ("story", "image", "ad", "index")) != 1:
        raise LayoutError("a block names exactly one of 'story', 'image', 'ad' or 'index'", path, raw.line)
    if "index" in raw:
        check_keys(raw, INDEX_BLOCK_KEYS, "an index block", path)
        stories = raw["index"]
        if not isinstance(stories, list) or not stories or not all(isinstance(s, str) for s in stories):
            raise LayoutError("'index' lists the stories it points to, e.g. [frontlines, livestream]", path,
                              raw.line_of("index"))
        if twice := sorted({story for story in stories if stories.count(story) > 1}):
            raise LayoutError(f"'index' names {', '.join(twice)} more than once; name each story once", path,
                              raw.line_of("index"))
        return IndexBlock(stories=tuple(stories), area=_area(raw, path), source_line=raw.line)
    if "story" in raw:
        check_keys(raw, STORY_BLOCK_KEYS, "a story block", path)
        story = optional_text(raw, "story", path, required=True)
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
        check_keys(raw, AD_BLOCK_KEYS, "an ad block", path)
        source, resolved = edition_file(raw, "ad", root, path, AD_SUFFIXES)
        from ..adfile import ad_page      # pypdf: only for an edition with ads
        data = resolved.read_bytes()
        try:
            ad_page(data)
        except ValueError as exc:
            raise LayoutError(f"ad '{source}' {exc}", path, raw.line_of("ad")) from None
        return AdBlock(ad=resolved, source=source, area=_area(raw, path), source_line=raw.line, data=data)
    check_keys(raw, IMAGE_BLOCK_KEYS, "an image block", path)
    source, resolved = edition_file(raw, "image", root, path, IMAGE_SUFFIXES)
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
                      caption=optional_text(raw, "caption", path), credit=optional_text(raw, "credit", path),
                      source_line=raw.line, pixels=pixels, crop=crop, focus=_focus(raw, crop, path),
                      caption_side=side, natural=pixels or svg_size(resolved))


def edition_file(raw: LocatedDict, key: str, root: Path, path: Path, suffixes: set[str]) -> tuple[str, Path]:
    """The file a block names under `key` (image, ad): as written, and resolved inside the edition."""
    source = optional_text(raw, key, path, required=True)
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
