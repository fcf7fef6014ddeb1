"""Colour for print: the output profile (the CMYK printing condition), pinned by hash like the
fonts, and graphics converted before rendering — SVG colours rewritten as device-cmyk (neutral
greys as K only), raster images converted to CMYK through the output profile (grey images stay
grey, alpha is flattened onto paper white). No RGB reaches a page."""
from __future__ import annotations

import hashlib
import io
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageCms, ImageColor

from ..errors import LayoutError
from ..style import OutputProfile

SVG_NS = "http://www.w3.org/2000/svg"
COLOR_ATTRIBUTES = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def check_output_profile(profile: OutputProfile) -> None:
    if not profile.path.is_file():
        raise LayoutError(f"output profile {profile.path} is not installed; install the Debian package "
                          f"{profile.package} (scripts/setup.sh does) or name the plant's profile in the "
                          "house style")
    digest = hashlib.sha256(profile.path.read_bytes()).hexdigest()
    if digest != profile.sha256:
        raise LayoutError(f"output profile {profile.path} is not the pinned one (sha256 {digest}, pinned "
                          f"{profile.sha256}); pin the new file in the house style")


@lru_cache(maxsize=8)
def _rgb_to_cmyk(profile_path: str) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.getOpenProfile(profile_path),
                                   "RGB", "CMYK", renderingIntent=ImageCms.Intent.PERCEPTUAL)


def cmyk_for(rgb: tuple[int, int, int], profile: OutputProfile) -> tuple[float, float, float, float]:
    """A colour in CMYK: a neutral grey as K alone (type and rules must not become four-colour grey),
    any other colour through the output profile."""
    r, g, b = rgb
    if r == g == b:
        return 0.0, 0.0, 0.0, round(1 - r / 255, 4)
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _rgb_to_cmyk(str(profile.path)))
    return tuple(round(v / 255, 4) for v in pixel.getpixel((0, 0)))


def _css_cmyk(value: str, profile: OutputProfile) -> str:
    value = value.strip()
    lowered = value.lower()
    if lowered in ("none", "currentcolor", "transparent", "inherit") or lowered.startswith(("url(", "device-cmyk")):
        return value
    try:
        rgb = ImageColor.getrgb(value)[:3]
    except ValueError:
        return value
    return "device-cmyk({} {} {} {})".format(*(f"{v:g}" for v in cmyk_for(rgb, profile)))


def convert_svg(data: bytes, profile: OutputProfile) -> bytes:
    """Every colour of an SVG written as device-cmyk (WeasyPrint paints those as DeviceCMYK)."""
    root = ET.fromstring(data)
    # SVG's initial fill is black, which WeasyPrint writes as RGB: make it K explicitly.
    root.attrib.setdefault("fill", "black")
    for element in root.iter():
        for name in COLOR_ATTRIBUTES:
            if name in element.attrib:
                element.attrib[name] = _css_cmyk(element.attrib[name], profile)
        if "style" in element.attrib:
            declarations = []
            for declaration in element.attrib["style"].split(";"):
                if ":" in declaration:
                    prop, value = declaration.split(":", 1)
                    if prop.strip() in COLOR_ATTRIBUTES:
                        value = _css_cmyk(value, profile)
                    declarations.append(f"{prop.strip()}:{value.strip()}")
            element.attrib["style"] = ";".join(declarations)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def convert_raster(data: bytes, profile: OutputProfile) -> tuple[bytes, str]:
    """A raster image as CMYK JPEG through the output profile, or as grey PNG if it is grey."""
    image = Image.open(io.BytesIO(data))
    image.load()
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image)
    if image.mode in ("1", "L", "LA", "I", "I;16"):
        out = io.BytesIO()
        image.convert("L").save(out, format="PNG", optimize=False)
        return out.getvalue(), "image/png"
    if image.mode != "CMYK":
        image = ImageCms.applyTransform(image.convert("RGB"), _rgb_to_cmyk(str(profile.path)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=95, subsampling=0, dpi=image.info.get("dpi", (72, 72)))
    return out.getvalue(), "image/jpeg"


def convert_image(path: Path, data: bytes, profile: OutputProfile) -> tuple[bytes, str]:
    """Graphics of an edition as the page will use them: never RGB."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        return convert_svg(data, profile), "image/svg+xml"
    return convert_raster(data, profile)
