"""Pictures as the plan names them: a raster picture's size in pixels (read from its header, so
a file that is no picture is refused with its plan line before anything renders); what an SVG
refers to (files inside the edition only); and what SVG graphics ask of the fonts — their text, by
font role."""
from __future__ import annotations

import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from PIL import Image

from .errors import LayoutError
from .fonts import FAMILY_PREFIX, TextUse

SVG_NS = "{http://www.w3.org/2000/svg}"


def raster_size(path: Path) -> tuple[int, int] | None:
    """(width, height) in pixels of a PNG or JPEG; None for an SVG. ValueError says, for an editor,
    what is wrong with a file that cannot be placed."""
    if path.suffix.lower() == ".svg":
        return None
    try:
        with warnings.catch_warnings():
            # Pillow's limit against decompression bombs (89 million pixels; a whole broadsheet
            # page at 300 dpi is 25 million) refuses the picture rather than warning.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Both readers loaded first: a format Pillow has not loaded makes it load all forty.
            Image.preinit()
            with Image.open(path, formats=["PNG", "JPEG"]) as picture:
                size = picture.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValueError(f"has more than {Image.MAX_IMAGE_PIXELS // 1_000_000} million pixels; scale it down "
                         "to the size it prints at") from None
    except Exception:     # Pillow raises many kinds for a file it cannot read
        raise ValueError("is not a PNG or JPEG picture that can be read (damaged, empty or another format); "
                         "export it again as JPEG or PNG") from None
    if min(size) < 1:
        raise ValueError("has no pixels; export it again")
    return size


def svg_size(path: Path) -> tuple[float, float] | None:
    """An SVG's own width and height (its viewBox, else its width and height without their unit),
    for its aspect ratio; None when it does not say."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return None
    numbers = [float(v) for v in re.findall(r"[-+]?\d*\.?\d+", root.get("viewBox", ""))]
    if len(numbers) == 4 and numbers[2] > 0 and numbers[3] > 0:
        return numbers[2], numbers[3]
    sizes = [re.match(r"\s*(\d*\.?\d+)", root.get(key, "")) for key in ("width", "height")]
    if all(sizes) and all(float(m.group(1)) > 0 for m in sizes):
        return float(sizes[0].group(1)), float(sizes[1].group(1))
    return None


XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]*)")


def svg_references(path: Path) -> list[tuple[str, str]]:
    """(element, reference) of every file or address an SVG refers to — href, xlink:href and CSS
    url() — other than its own elements (#id) and data: URLs."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise ValueError(f"is not a readable SVG: {exc}") from None
    found = []
    for element in root.iter():
        tag = element.tag.rpartition("}")[2]
        targets = [element.get("href"), element.get(XLINK_HREF)]
        styles = [*element.attrib.values(), element.text or ""] if tag == "style" else element.attrib.values()
        targets += [url for text in styles for url in CSS_URL.findall(text)]
        found += [(tag, target.strip()) for target in targets
                  if target and not target.strip().startswith(("#", "data:"))]
    return list(dict.fromkeys(found))


def check_svg_references(path: Path, root: Path) -> None:
    """Refuse, before anything renders, what an SVG refers to and would not get: another file's
    element in <use> (WeasyPrint draws only the SVG's own), a web address, a file outside the
    edition or missing. ValueError says what and what to do."""
    for tag, target in svg_references(path):
        if tag == "use":
            raise ValueError(f"<use> refers to {target}, another file; only elements of the same SVG are drawn "
                             "(href=\"#id\"): copy the element into this SVG")
        parts = urlsplit(target)
        if parts.scheme not in ("", "file"):
            raise ValueError(f"refers to {target}; nothing is fetched from the network: copy what it shows into "
                             "the edition folder and refer to it from there")
        try:
            file = (path.parent / url2pathname(parts.path)).resolve()
            missing = not file.is_file()
        except OSError:
            missing = True
        if not file.is_relative_to(root.resolve()):
            raise ValueError(f"refers to {target}, outside the edition folder: copy it into the edition folder "
                             "and refer to it from there")
        if missing:
            raise ValueError(f"refers to {target}, which does not exist")


def svg_text_uses(path: Path, where: str, roles: set[str]) -> list[TextUse]:
    """Every text run of an SVG with the role its font-family names (layout-<role>). A family that
    is not one of ours would silently fall back to any installed font, so it is refused."""
    if path.suffix.lower() != ".svg":
        return []
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise LayoutError(f"not a readable SVG: {exc}", path) from None
    uses: list[TextUse] = []

    def use(text: str | None, family: str | None) -> None:
        text = (text or "").strip()
        if not text:
            return
        role = family[len(FAMILY_PREFIX):] if family and family.startswith(FAMILY_PREFIX) else None
        if role not in roles:
            raise LayoutError(f"{where}: SVG text '{text}' uses font-family {family!r}; use one of "
                              + ", ".join(FAMILY_PREFIX + r for r in sorted(roles)), path)
        uses.append(TextUse(role=role, text=text, where=f"{where}, SVG text '{text}'", file=path, fallback=False))

    def walk(element: ET.Element, family: str | None) -> None:
        family = element.get("font-family", family)
        is_text = element.tag in (SVG_NS + "text", SVG_NS + "tspan")
        if is_text:
            use(element.text, family)
        for child in element:
            walk(child, family)
            if is_text:
                use(child.tail, family)

    walk(root, None)
    return uses
