"""Check: preflight any PDF for print with pypdf — page count, size and boxes, fonts, colour, images,
output intent and PDF/X identification. Every problem is one line saying what and where."""
from __future__ import annotations

import io
import math
import re
from dataclasses import asdict, dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream

from .geometry import PageGeometry
from .style import PrintSpec

SUBSET_NAME = re.compile(r"^/?[A-Z]{6}\+")
TOLERANCE_PT = 0.01
PDFX_VERSION = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a"}


@dataclass(frozen=True)
class Problem:
    file: str
    page: int | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f" page {self.page}" if self.page else "")
        return f"{where}: {self.message}"

    def as_json(self) -> dict:
        return asdict(self)


def _box(page, name: str):
    box = page.get(name)
    return None if box is None else [float(v) for v in box]


def _fonts(resources, seen: set) -> list:
    """Every font dictionary reachable from a page's resources (forms and descendant fonts too)."""
    found = []
    if resources is None:
        return found
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        found.append(font)
        for descendant in font.get("/DescendantFonts") or []:
            found.append(descendant.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += _fonts(xobject.get("/Resources"), seen)
    return found


def _components(space, resources) -> tuple[str, int]:
    """(family, number of components) of a colour space given by name or array."""
    space = space.get_object() if hasattr(space, "get_object") else space
    if isinstance(space, str) or not isinstance(space, list):
        name = str(space)
        named = {"/DeviceRGB": ("RGB", 3), "/DeviceCMYK": ("CMYK", 4), "/DeviceGray": ("Gray", 1),
                 "/Pattern": ("Pattern", 0)}
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


def _multiply(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


class _ColourWalk:
    """Walks a page's content (and its forms) for RGB, non-K text, low-resolution images and
    transparency."""

    def __init__(self, name: str, page_number: int, spec: PrintSpec | None):
        self.name, self.page, self.spec = name, page_number, spec
        self.problems: list[Problem] = []
        self._said: set[str] = set()

    def say(self, message: str) -> None:
        if message not in self._said:
            self._said.add(message)
            self.problems.append(Problem(self.name, self.page, message))

    def walk(self, content, resources, ctm, reader) -> None:
        resources = resources.get_object() if resources is not None else {}
        self._transparency(resources)
        stack = []
        fill = ("Gray", (0.0,))
        fill_space = ("Gray", 1)
        for operands, operator in ContentStream(content, reader).operations:
            op = operator.decode("latin-1") if isinstance(operator, bytes) else operator
            if op == "q":
                stack.append((ctm, fill, fill_space))
            elif op == "Q" and stack:
                ctm, fill, fill_space = stack.pop()
            elif op == "cm":
                ctm = _multiply(tuple(float(v) for v in operands), ctm)
            elif op in ("rg", "RG"):
                self.say(f"RGB colour ({op} {' '.join(f'{float(v):g}' for v in operands)})")
                if op == "rg":
                    fill = ("RGB", tuple(float(v) for v in operands))
            elif op in ("g", "k"):
                fill = ("Gray" if op == "g" else "CMYK", tuple(float(v) for v in operands))
            elif op in ("cs", "CS"):
                space = _components(operands[0], resources)
                if space[0] == "RGB":
                    self.say(f"RGB colour space {operands[0]}")
                if op == "cs":
                    fill_space = space
            elif op in ("sc", "scn"):
                numbers = tuple(float(v) for v in operands if isinstance(v, (int, float)) or hasattr(v, "as_numeric"))
                fill = (fill_space[0], numbers)
            elif op in ("Tj", "TJ", "'", '"'):
                self._text_colour(fill)
            elif op == "sh":
                shading = (resources.get("/Shading") or {}).get(operands[0])
                if shading is not None and _components(shading.get_object().get("/ColorSpace"), resources)[0] == "RGB":
                    self.say(f"RGB shading {operands[0]}")
            elif op == "Do":
                self._xobject(operands[0], resources, ctm, reader)
            elif op == "INLINE IMAGE":
                space = operands.get("/CS") or operands.get("/ColorSpace")
                if space is not None and _components(space, resources)[0] == "RGB":
                    self.say("RGB inline image")

    def _text_colour(self, fill) -> None:
        family, values = fill
        if family == "Gray" or (family == "CMYK" and len(values) == 4 and values[0] == values[1] == values[2] == 0):
            return
        self.say(f"text drawn in {family} {' '.join(f'{v:g}' for v in values)}, not K only")

    def _transparency(self, resources) -> None:
        if self.spec is None or self.spec.pdf_variant != "pdf/x-1a":
            return
        for name, state in ((resources.get("/ExtGState") or {}).items()):
            state = state.get_object()
            if float(state.get("/CA", 1)) < 1 or float(state.get("/ca", 1)) < 1 or \
                    str(state.get("/SMask", "/None")) != "/None":
                self.say(f"transparency ({name}) is not allowed in PDF/X-1a")

    def _xobject(self, name, resources, ctm, reader) -> None:
        xobject = ((resources.get("/XObject") or {}).get(name))
        if xobject is None:
            return
        xobject = xobject.get_object()
        subtype = xobject.get("/Subtype")
        if subtype == "/Form":
            matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
            self.walk(xobject, xobject.get("/Resources") or resources, _multiply(matrix, ctm), reader)
        elif subtype == "/Image":
            family, _ = _components(xobject.get("/ColorSpace", "/DeviceGray"), resources)
            if family == "RGB":
                self.say(f"RGB image {name}")
            if self.spec is not None and self.spec.pdf_variant == "pdf/x-1a" and "/SMask" in xobject:
                self.say(f"image {name} has a soft mask (transparency), not allowed in PDF/X-1a")
            width_pt = math.hypot(ctm[0], ctm[1])
            height_pt = math.hypot(ctm[2], ctm[3])
            if self.spec is not None and width_pt > 0 and height_pt > 0:
                dpi = min(int(xobject["/Width"]) / (width_pt / 72), int(xobject["/Height"]) / (height_pt / 72))
                if dpi < self.spec.min_image_dpi - 0.5:
                    self.say(f"image {name} is {dpi:.0f} dpi as placed, under {self.spec.min_image_dpi:.0f} dpi")


def _pdfx_version(reader: PdfReader) -> str | None:
    info = reader.metadata or {}
    if "/GTS_PDFXVersion" in info:
        return str(info["/GTS_PDFXVersion"])
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is not None:
        match = re.search(rb"GTS_PDFXVersion>([^<]+)<", metadata.get_object().get_data())
        if match:
            return match.group(1).decode()
    return None


def _output_intent(reader: PdfReader) -> str | None:
    """The PDF/X output intent's condition, or None when there is no usable one."""
    for intent in reader.trailer["/Root"].get("/OutputIntents") or []:
        intent = intent.get_object()
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFX" and profile is not None and int(profile.get_object().get("/N", 0)) == 4:
            return str(intent.get("/OutputConditionIdentifier", ""))
    return None


def check_pdf(data: bytes, name: str, geometry: PageGeometry, expected_pages: int | None,
              font_family_prefix: str | None = None, spec: PrintSpec | None = None) -> list[Problem]:
    """Preflight one PDF. With `font_family_prefix`, every font must be one of the edition's own
    (WeasyPrint silently falls back to any installed font for a character or face it cannot use).
    With `spec`, the print requirements too: output intent, PDF/X version, image resolution."""
    problems: list[Problem] = []
    reader = PdfReader(io.BytesIO(data))
    if expected_pages is not None and len(reader.pages) != expected_pages:
        problems.append(Problem(name, None, f"has {len(reader.pages)} pages, the plan has {expected_pages}"))
    if spec is not None:
        if _output_intent(reader) is None:
            problems.append(Problem(name, None, "no PDF/X output intent with a CMYK profile"))
        version = _pdfx_version(reader)
        wanted = PDFX_VERSION[spec.pdf_variant]
        if version is None or not version.startswith(wanted):
            problems.append(Problem(name, None, f"not identified as {wanted} (GTS_PDFXVersion: {version})"))
    want_trim = (geometry.trim_width, geometry.trim_height)
    for number, page in enumerate(reader.pages, start=1):
        problems += _check_boxes(page, name, number, geometry, want_trim)
        problems += _check_fonts(page, name, number, font_family_prefix)
        if not page.extract_text().strip():
            problems.append(Problem(name, number, "has no text"))
        walk = _ColourWalk(name, number, spec)
        contents = page.get_contents()
        if contents is not None:
            walk.walk(contents, page.get("/Resources"), (1, 0, 0, 1, 0, 0), reader)
        problems += walk.problems
    return problems


def _check_boxes(page, name: str, number: int, geometry: PageGeometry, want_trim) -> list[Problem]:
    problems = []
    trim, bleed, media = _box(page, "/TrimBox"), _box(page, "/BleedBox"), _box(page, "/MediaBox")
    if trim is None:
        return [Problem(name, number, "no TrimBox")]
    size = (trim[2] - trim[0], trim[3] - trim[1])
    if any(abs(a - b) > TOLERANCE_PT for a, b in zip(size, want_trim)):
        problems.append(Problem(name, number, f"TrimBox is {size[0]:.2f} × {size[1]:.2f} pt, the format "
                                f"wants {want_trim[0]:.2f} × {want_trim[1]:.2f} pt"))
    expected_bleed = [trim[0] - geometry.bleed, trim[1] - geometry.bleed,
                      trim[2] + geometry.bleed, trim[3] + geometry.bleed]
    if bleed is None or any(abs(a - b) > TOLERANCE_PT for a, b in zip(bleed, expected_bleed)):
        problems.append(Problem(name, number, f"BleedBox {bleed} is not the TrimBox plus {geometry.bleed:.2f} pt "
                                "on each side"))
    elif media is None or media[0] > bleed[0] + TOLERANCE_PT or media[1] > bleed[1] + TOLERANCE_PT \
            or media[2] < bleed[2] - TOLERANCE_PT or media[3] < bleed[3] - TOLERANCE_PT:
        problems.append(Problem(name, number, f"MediaBox {media} does not hold the BleedBox"))
    return problems


def _check_fonts(page, name: str, number: int, font_family_prefix: str | None) -> list[Problem]:
    problems = []
    for font in _fonts(page.get("/Resources"), set()):
        base = str(font.get("/BaseFont", ""))
        subtype = font.get("/Subtype")
        if subtype == "/Type3":
            problems.append(Problem(name, number, f"Type 3 font {base}"))
            continue
        if subtype == "/Type0":
            continue      # its descendant carries the descriptor
        descriptor = font.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(Problem(name, number, f"font {base} is not embedded"))
        elif not SUBSET_NAME.match(base):
            problems.append(Problem(name, number, f"font {base} is embedded whole, not subset"))
        if font_family_prefix and not SUBSET_NAME.sub("", base).startswith(font_family_prefix):
            problems.append(Problem(name, number, f"font {base} is not one of the edition's fonts "
                                    "(a fallback font was used)"))
    return problems
