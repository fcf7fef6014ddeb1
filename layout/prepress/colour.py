"""Colour for print: the output profile (the CMYK printing condition), pinned by hash like the
fonts, and graphics converted before rendering — SVG colours rewritten as device-cmyk (neutral
greys as K only), raster images converted to CMYK through the output profile (grey images stay
grey, alpha is flattened onto paper white). No RGB reaches a page."""
from __future__ import annotations

import hashlib
import io
import math
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageChops, ImageCms, ImageColor, ImageFile, ImageMath

from ..check.content import max_ink
from ..errors import LayoutError
from ..style import PrintSpec, cmyk_values

SVG_NS = "http://www.w3.org/2000/svg"
COLOR_ATTRIBUTES = ("fill", "stroke", "stop-color", "flood-color", "lighting-color", "color")
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def check_profiles(spec: PrintSpec) -> None:
    """The house style's ICC profiles are there and are the pinned files."""
    for role, profile in (("output profile", spec.profile), ("profile for untagged CMYK", spec.untagged_cmyk)):
        if not profile.path.is_file():
            raise LayoutError(f"{role} {profile.path} is missing (it comes from: {profile.source}); "
                              "restore it or name another in the house style")
        digest = hashlib.sha256(profile.path.read_bytes()).hexdigest()
        if digest != profile.sha256:
            raise LayoutError(f"{role} {profile.path} is not the pinned one (sha256 {digest}, pinned "
                              f"{profile.sha256}); pin the new file in the house style")


@lru_cache(maxsize=8)
def _to_output(source: bytes | None, mode: str, profile_path: str) -> ImageCms.ImageCmsTransform:
    """A transform into the output profile from a source profile's bytes (None: sRGB). The output
    profile is read whole here: opened from its file, littleCMS reads it again at every image, through
    a descriptor that page workers forked after this share with one another (their reads interleave)."""
    source_profile = ImageCms.ImageCmsProfile(io.BytesIO(source)) if source else ImageCms.createProfile("sRGB")
    output_profile = ImageCms.ImageCmsProfile(io.BytesIO(Path(profile_path).read_bytes()))
    return ImageCms.buildTransform(source_profile, output_profile, mode, "CMYK",
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)


def _limit_ink(image: Image.Image, limit_percent: float) -> Image.Image:
    """A CMYK image whose pixels carry at most `limit_percent` total ink: where a pixel has more, its
    C, M and Y are scaled down together and its K is kept (the black that carries the detail)."""
    limit = limit_percent * 255 / 100
    c, m, y, k = (channel.convert("F") for channel in image.split())

    def scale(a):
        room = a["max"](limit - a["k"], 0.0)
        return a["min"](room / a["max"](a["c"] + a["m"] + a["y"], 1.0), 1.0)

    factor = ImageMath.lambda_eval(scale, c=c, m=m, y=y, k=k)
    scaled = [ImageMath.lambda_eval(lambda a: a["v"] * a["f"], v=channel, f=factor).convert("L")
              for channel in (c, m, y)]
    return Image.merge("CMYK", scaled + [image.getchannel("K")])


def _limited(values: tuple[float, ...], limit_percent: float) -> tuple[float, ...]:
    """One CMYK colour (0–1) within the ink limit, the way _limit_ink treats a pixel."""
    c, m, y, k = values
    room = max(limit_percent / 100 - k, 0.0)
    factor = min(room / max(c + m + y, 1e-9), 1.0)
    return c * factor, m * factor, y * factor, k


def _cmyk_for(rgb: tuple[int, int, int], spec: PrintSpec) -> tuple[float, float, float, float]:
    """A colour in CMYK: a neutral grey as K alone (type and rules must not become four-colour grey),
    any other colour through the output profile, within the ink limit."""
    r, g, b = rgb
    if r == g == b:
        return 0.0, 0.0, 0.0, round(1 - r / 255, 4)
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), rgb), _to_output(None, "RGB", str(spec.profile.path)))
    values = _limited(tuple(v / 255 for v in pixel.getpixel((0, 0))), spec.ink_limit_percent)
    return tuple(math.floor(v * 10000) / 10000 for v in values)


def _css_cmyk(value: str, spec: PrintSpec) -> str:
    value = value.strip()
    lowered = value.lower()
    if lowered in ("none", "currentcolor", "transparent", "inherit") or lowered.startswith("url("):
        return value
    given = cmyk_values(lowered)
    if given is not None:
        values = _limited(given, spec.ink_limit_percent)
    else:
        try:
            values = _cmyk_for(ImageColor.getrgb(value)[:3], spec)
        except ValueError:
            return value
    return "device-cmyk({} {} {} {})".format(*(f"{math.floor(v * 10000) / 10000:g}" for v in values))


def _convert_svg(data: bytes, spec: PrintSpec) -> bytes:
    """Every colour of an SVG written as device-cmyk within the ink limit (WeasyPrint paints those
    as DeviceCMYK)."""
    root = ET.fromstring(data)
    # SVG's initial fill is black, which WeasyPrint writes as RGB: make it K explicitly.
    root.attrib.setdefault("fill", "black")
    for element in root.iter():
        for name in COLOR_ATTRIBUTES:
            if name in element.attrib:
                element.attrib[name] = _css_cmyk(element.attrib[name], spec)
        if "style" in element.attrib:
            declarations = []
            for declaration in element.attrib["style"].split(";"):
                if ":" in declaration:
                    prop, value = declaration.split(":", 1)
                    if prop.strip() in COLOR_ATTRIBUTES:
                        value = _css_cmyk(value, spec)
                    declarations.append(f"{prop.strip()}:{value.strip()}")
            element.attrib["style"] = ";".join(declarations)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


JPEG_QUALITY = 95
NEUTRAL_TOLERANCE = 3      # grey levels between R, G and B that JPEG noise leaves in a grey picture


def _flattened(image: Image.Image) -> Image.Image:
    """Transparency composited onto paper white; 16-bit grey scaled (not clipped) to 8 bits; a
    colour picture whose every pixel is neutral (a grey photo saved as RGB) made grey."""
    if image.mode == "I" or image.mode.startswith("I;16"):
        return image.point(lambda v: v / 257).convert("L")
    if image.mode in ("LA", "La"):
        return Image.alpha_composite(Image.new("LA", image.size, (255, 255)), image.convert("LA")).convert("L")
    if image.mode in ("RGBA", "RGBa", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        image = Image.alpha_composite(Image.new("RGBA", image.size, (255, 255, 255, 255)), rgba).convert("RGB")
    if image.mode in ("1", "L"):
        return image.convert("L")
    if image.mode in ("RGB", "P"):
        red, green, blue = image.convert("RGB").split()
        if max(ImageChops.difference(red, green).getextrema()[1],
               ImageChops.difference(green, blue).getextrema()[1]) <= NEUTRAL_TOLERANCE:
            return image.convert("L")
    return image


def convert_raster(data: bytes, spec: PrintSpec) -> tuple[bytes, str]:
    """A raster image as the page will print it: grey stays grey (K only, as PNG), also when saved
    as RGB; colour goes through its embedded profile (sRGB when it has none) into the output
    profile; CMYK with an embedded profile is converted too; CMYK without one is taken as made for
    this press when it keeps within the ink limit, and as made for the house style's untagged-CMYK
    condition (and converted) when it does not. Every colour image ends within the ink limit, as a
    JPEG whose decoded pixels are checked to stay so."""
    source = Image.open(io.BytesIO(data))
    # WeasyPrint lets Pillow load cut-off files (LOAD_TRUNCATED_IMAGES), which would print a photo
    # half grey without a word: here a picture is read whole or not at all.
    truncated_ok, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        source.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_ok
    icc = source.info.get("icc_profile")
    image = _flattened(source)
    if image.mode == "L":
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=False, dpi=source.info.get("dpi", (72, 72)))
        return out.getvalue(), "image/png"
    if image.mode == "CMYK":
        if not icc and max_ink(image.split()) > spec.ink_limit_percent:
            icc = spec.untagged_cmyk.path.read_bytes()
        if icc:
            image = ImageCms.applyTransform(image, _to_output(icc, "CMYK", str(spec.profile.path)))
    else:
        image = ImageCms.applyTransform(image.convert("RGB"), _to_output(icc, "RGB", str(spec.profile.path)))
    return _jpeg_within(image, spec.ink_limit_percent, source.info.get("dpi", (72, 72))), "image/jpeg"


def _jpeg_within(image: Image.Image, limit_percent: float, dpi) -> bytes:
    """A CMYK JPEG whose decoded pixels stay within the ink limit: JPEG's rounding can add ink, so the
    target is lowered by what it added until the decoded image complies."""
    target = limit_percent
    for _ in range(8):
        out = io.BytesIO()
        _limit_ink(image, target).save(out, format="JPEG", quality=JPEG_QUALITY, subsampling=0, dpi=dpi)
        excess = max_ink(Image.open(io.BytesIO(out.getvalue())).split()) - limit_percent
        if excess <= 0:
            return out.getvalue()
        target -= excess + 0.5
    raise LayoutError(f"a photo could not be kept within the {limit_percent:g}% ink limit")


def convert_image(path: Path, data: bytes, spec: PrintSpec) -> tuple[bytes, str]:
    """Graphics of an edition as the page will use them: never RGB, never over the ink limit."""
    if path.suffix.lower() == ".svg":
        return _convert_svg(data, spec), "image/svg+xml"
    return convert_raster(data, spec)
