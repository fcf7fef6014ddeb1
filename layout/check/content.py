"""The content walk: every content stream of a page and of the forms it draws, read as a reader
would — colours, images, transparency, and the codes each font is asked to show."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from PIL import ImageMath

from ..geometry import matrix_product
from ..style import PrintSpec
from .problem import Problem
from .tokens import operations


# The resource names of advertisements placed into a page (prepress/ads.py): checked on their own for
# print, they are exempt from the rules for the edition's own text.
AD_PREFIX = "/LayoutAd"


def _components(space, resources) -> tuple[str, int]:
    """(family, number of components) of a colour space given by name or array."""
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, str) or not isinstance(space, list):
        name = str(space)
        # Inline images may use the short names (ISO 32000-1, table 93); Ghostscript writes them.
        named = {"/DeviceRGB": ("RGB", 3), "/DeviceCMYK": ("CMYK", 4), "/DeviceGray": ("Gray", 1),
                 "/RGB": ("RGB", 3), "/CMYK": ("CMYK", 4), "/G": ("Gray", 1), "/Pattern": ("Pattern", 0)}
        if name in named:
            return named[name]
        table = (resources or {}).get("/ColorSpace") or {}
        if name in table:
            return _components(table[name], resources)
        return ("Unknown " + name, 0)
    family = str(space[0])
    if family == "/ICCBased":
        n = int(space[1].get_object().get("/N", 0))
        return ({1: "Gray", 3: "RGB", 4: "CMYK"}.get(n, "ICC"), n)
    if family in ("/CalRGB", "/Lab"):
        return ("RGB", 3)
    if family == "/CalGray":
        return ("Gray", 1)
    if family == "/Indexed":
        base, _ = _components(space[1], resources)
        return (base, 1)
    if family in ("/Separation", "/DeviceN"):
        return ("Spot", 1)
    if family == "/Pattern":
        return ("Pattern", 0)
    return (family, 0)


INK_TOLERANCE_PERCENT = 0.5     # colour values written with 4 decimals; not a visible difference


@dataclass
class ShownCodes:
    """The strings a page shows in one font, as raw bytes (a font's encoding gives them meaning)."""

    font: object                     # the font dictionary
    strings: set[bytes] = field(default_factory=set)


class ContentWalk:
    """Walks a page's content (and its forms) for RGB, non-K text, colours and images over the ink
    limit, low-resolution images and transparency, and collects the strings shown in each font."""

    def __init__(self, name: str, page_number: int, spec: PrintSpec | None, in_ad: bool = False):
        self.name, self.page, self.spec = name, page_number, spec
        self.in_ad = in_ad      # inside an advertisement, whose text may be in any colour
        self.problems: list[Problem] = []
        self.shown: dict[int, ShownCodes] = {}      # by id() of the font dictionary
        self._said: set[str] = set()

    def say(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self.problems.append(Problem(self.name, self.page, message))

    def walk(self, content, resources, ctm) -> None:
        resources = resources.get_object() if resources is not None else {}
        self._transparency(resources)
        self._declared_colour_spaces(resources)
        stack = []
        fill = ("Gray", (0.0,))
        fill_space = stroke_space = ("Gray", 1)
        font = None
        for operands, op in operations(content.get_data()):
            if op == "q":
                stack.append((ctm, fill, fill_space, stroke_space, font))
            elif op == "Q" and stack:
                ctm, fill, fill_space, stroke_space, font = stack.pop()
            elif op == "cm":
                ctm = matrix_product(tuple(float(v) for v in operands), ctm)
            elif op in ("rg", "RG"):
                self.say(f"RGB colour ({op} {' '.join(f'{float(v):g}' for v in operands)})")
                if op == "rg":
                    fill = ("RGB", tuple(float(v) for v in operands))
            elif op in ("g", "k"):
                fill = ("Gray" if op == "g" else "CMYK", tuple(float(v) for v in operands))
                self._ink(*fill)
            elif op == "K":
                self._ink("CMYK", tuple(float(v) for v in operands))
            elif op in ("cs", "CS"):
                space = _components(operands[0], resources)
                if space[0] == "RGB":
                    self.say(f"RGB colour space {operands[0]}")
                if op == "cs":
                    fill_space = space
                else:
                    stroke_space = space
            elif op in ("sc", "scn", "SC", "SCN"):
                numbers = tuple(v for v in operands if isinstance(v, float))
                colour = ((fill_space if op in ("sc", "scn") else stroke_space)[0], numbers)
                self._ink(*colour)
                if op in ("sc", "scn"):
                    fill = colour
            elif op == "Tf":
                font = (resources.get("/Font") or {}).get(operands[0])
                font = font.get_object() if font is not None else None
            elif op in ("Tj", "TJ", "'", '"'):
                self._text_colour(fill)
                if font is not None:
                    self._shown(font, operands[-1])
            elif op == "sh":
                shading = (resources.get("/Shading") or {}).get(operands[0])
                if shading is not None and _components(shading.get_object().get("/ColorSpace"), resources)[0] == "RGB":
                    self.say(f"RGB shading {operands[0]}")
            elif op == "Do":
                self._xobject(operands[0], resources, ctm)
            elif op == "INLINE IMAGE":
                space = operands.get("/CS") or operands.get("/ColorSpace")
                if space is not None and _components(space, resources)[0] == "RGB":
                    self.say("RGB inline image")

    def _ink(self, family: str, values: tuple[float, ...]) -> None:
        if self.spec is not None and family == "CMYK" and len(values) == 4 and \
                sum(values) * 100 > self.spec.ink_limit_percent + INK_TOLERANCE_PERCENT:
            self.say(f"colour {' '.join(f'{v:g}' for v in values)} has {sum(values) * 100:.0f}% total ink, over "
                     f"the {self.spec.ink_limit_percent:g}% limit")

    def _shown(self, font, operand) -> None:
        strings = operand if isinstance(operand, list) else [operand]
        shown = self.shown.setdefault(id(font), ShownCodes(font))
        shown.strings.update(string for string in strings if isinstance(string, bytes) and string)

    def _text_colour(self, fill) -> None:
        family, values = fill
        if self.in_ad or family == "Gray" or (family == "CMYK" and len(values) == 4 and values[0] == values[1] == values[2] == 0):
            return
        self.say(f"text drawn in {family} {' '.join(f'{v:g}' for v in values)}, not K only")

    def _declared_colour_spaces(self, resources) -> None:
        """PDF/X-1a allows no device-independent colour at all, not even declared and unused."""
        if self.spec is None or self.spec.pdf_variant != "pdf/x-1a":
            return
        for name, space in ((resources.get("/ColorSpace") or {}).items()):
            space = space.get_object()
            family = str(space[0] if isinstance(space, list) else space)
            if family in ("/ICCBased", "/Lab", "/CalRGB", "/CalGray", "/DeviceRGB"):
                self.say(f"colour space {name} ({family[1:]}) is declared; PDF/X-1a allows only DeviceCMYK, "
                         "DeviceGray, Separation and DeviceN")

    def _image_ink(self, name, xobject) -> None:
        from pypdf.errors import LimitReachedError     # pypdf only where a PDF is read (not in `layout fit`)
        from pypdf.filters import ZLIB_MAX_OUTPUT_LENGTH
        try:
            image = xobject.decode_as_image()
        except LimitReachedError:       # the reader's guard against decompression bombs
            self.say(f"image {name} is too large to decode here (over {ZLIB_MAX_OUTPUT_LENGTH // 10**6} MB "
                     "unpacked: finer than a press needs)")
            return
        except Exception as error:      # whatever the image's filters raise, it is a finding
            self.say(f"image {name} cannot be decoded ({type(error).__name__}: {error})")
            return
        if image.mode == "CMYK":
            ink = max_ink(image.split())
            if ink > self.spec.ink_limit_percent + INK_TOLERANCE_PERCENT:
                self.say(f"image {name} has pixels with {ink:.0f}% total ink, over the "
                         f"{self.spec.ink_limit_percent:g}% limit")

    def _transparency(self, resources) -> None:
        if self.spec is None or self.spec.pdf_variant != "pdf/x-1a":
            return
        for name, state in ((resources.get("/ExtGState") or {}).items()):
            state = state.get_object()
            if float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1 or \
                    str(state.get("/SMask", "/None")) != "/None":
                self.say(f"transparency ({name}) is not allowed in PDF/X-1a")

    def _xobject(self, name, resources, ctm) -> None:
        xobject = ((resources.get("/XObject") or {}).get(name))
        if xobject is None:
            return
        xobject = xobject.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Form":
            matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            was_in_ad, self.in_ad = self.in_ad, self.in_ad or str(name).startswith(AD_PREFIX)
            self.walk(xobject, xobject.get("/Resources") or resources, matrix_product(matrix, ctm))
            self.in_ad = was_in_ad
        elif subtype == "/Image":
            family, _ = _components(xobject.get("/ColorSpace", "/DeviceGray"), resources)
            if family == "RGB":
                self.say(f"RGB image {name}")
            elif family == "CMYK" and self.spec is not None:
                self._image_ink(name, xobject)
            if self.spec is not None and self.spec.pdf_variant == "pdf/x-1a" and "/SMask" in xobject:
                self.say(f"image {name} has a soft mask (transparency), not allowed in PDF/X-1a")
            width_pt = math.hypot(ctm[0], ctm[1])
            height_pt = math.hypot(ctm[2], ctm[3])
            if self.spec is not None and width_pt > 0 and height_pt > 0:
                dpi = min(int(xobject["/Width"]) / (width_pt / 72), int(xobject["/Height"]) / (height_pt / 72))
                if dpi < self.spec.min_image_dpi - 0.5:
                    self.say(f"image {name} is {dpi:.0f} dpi as placed, under {self.spec.min_image_dpi:.0f} dpi")


def max_ink(channels) -> float:
    """The highest total ink of any pixel, in percent, over ink channels of one size (the C, M, Y, K
    of an image, or a RIP's plates; 255 = full ink)."""
    planes = {f"ink{index}": channel.convert("I") for index, channel in enumerate(channels)}
    total = ImageMath.lambda_eval(lambda a: sum(a[name] for name in planes), **planes)
    return total.getextrema()[1] * 100 / 255
