"""Check: preflight any PDF for print with pypdf — page count, size and boxes, fonts (embedded, and
drawable by any conforming reader), colour, images, output intent and PDF/X identification. Every
problem is one line saying what and where."""
from __future__ import annotations

import hashlib
import io
import re
from typing import Sequence

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from ..geometry import PageGeometry
from ..style import PrintSpec
from .content import AD_PREFIX, ContentWalk
from .fonts import composite_font_problems
from .problem import Problem

SUBSET_NAME = re.compile(r"^/?[A-Z]{6}\+")
TOLERANCE_PT = 0.01
# How a problem that stops all other checks of a file begins (nothing else can be learnt from it).
UNREADABLE = ("is not a PDF", "is empty", "is encrypted", "cannot be read as a PDF")
PDFX_VERSION = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}


def _box(page, name: str):
    box = page.get(name)
    return None if box is None else [float(v) for v in box]


def _fonts(resources, seen: set, in_ad: bool = False) -> list[tuple[object, bool]]:
    """Every font dictionary reachable from a page's resources (forms and descendant fonts too), and
    whether it is an advertisement's (drawn by a form placed as an ad)."""
    found = []
    if resources is None:
        return found
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        if id(font) in seen:
            continue
        seen.add(id(font))
        found.append((font, in_ad))
        for descendant in font.get("/DescendantFonts") or []:
            found.append((descendant.get_object(), in_ad))
    for name, xobject in (resources.get("/XObject") or {}).items():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += _fonts(xobject.get("/Resources"), seen, in_ad or str(name).startswith(AD_PREFIX))
    return found


def _xmp_value(reader: PdfReader, name: str) -> str | None:
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return None
    match = re.search(rb"<" + re.escape(name.encode()) + rb">([^<]*)<", metadata.get_object().get_data())
    return match.group(1).decode("utf-8", "replace") if match else None


def _output_intent(reader: PdfReader) -> tuple[str, bytes] | None:
    """The PDF/X output intent's condition and profile, or None when there is no usable one."""
    for intent in reader.trailer["/Root"].get("/OutputIntents") or []:
        intent = intent.get_object()
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFX" and profile is not None and int(profile.get_object().get("/N", 0)) == 4:
            return str(intent.get("/OutputConditionIdentifier", "")), profile.get_object().get_data()
    return None


def _check_pdfx(reader: PdfReader, data: bytes, name: str, spec: PrintSpec) -> list[Problem]:
    """Document-level PDF/X requirements: output intent, identification, version, Info entries."""
    messages = []
    intent = _output_intent(reader)
    if intent is None:
        messages.append("no PDF/X output intent with a CMYK profile")
    elif hashlib.sha256(intent[1]).hexdigest() != spec.profile.sha256:
        messages.append(f"output intent '{intent[0]}' is not the house style's printing condition "
                        f"'{spec.profile.condition}' (its profile differs from {spec.profile.path.name})")
    info = reader.metadata or {}
    wanted = PDFX_VERSION[spec.pdf_variant]
    in_info = info.get("/GTS_PDFXVersion")
    if spec.pdf_variant == "pdf/x-4":
        in_xmp = _xmp_value(reader, "pdfxid:GTS_PDFXVersion")
        if in_xmp != wanted:
            messages.append(f"not identified as {wanted} (XMP pdfxid:GTS_PDFXVersion: {in_xmp})")
        if in_info != wanted:
            messages.append(f"not identified as {wanted} in the Info dictionary, which older preflights read "
                            f"(GTS_PDFXVersion: {in_info})")
    else:
        if in_info != wanted and not (in_info == "PDF/X-1:2001" and info.get("/GTS_PDFXConformance") ==
                                      "PDF/X-1a:2001"):
            messages.append(f"not identified as {wanted} (GTS_PDFXVersion: {in_info})")
        header = re.match(rb"%PDF-(\d\.\d)", data)
        if header is None or header.group(1) > b"1.4":
            messages.append(f"PDF {header.group(1).decode() if header else '?'} file: PDF/X-1a:2003 is PDF 1.4")
    for key in ("/Title", "/CreationDate", "/ModDate"):
        if not info.get(key):
            messages.append(f"the Info dictionary has no {key[1:]}, which PDF/X requires")
    if info.get("/Trapped") not in ("/True", "/False"):
        messages.append("the Info dictionary's Trapped is not True or False, as PDF/X requires")
    if "/ID" not in reader.trailer:
        messages.append("the file has no ID in its trailer, which PDF/X requires")
    return [Problem(name, None, message) for message in messages]


def check_pdf(data: bytes, name: str, geometry: PageGeometry, expected_pages: int | None,
              font_family_prefix: str | None = None, spec: PrintSpec | None = None) -> list[Problem]:
    """Preflight one PDF. With `font_family_prefix`, every font must be one of the edition's own
    (WeasyPrint silently falls back to any installed font for a character or face it cannot use).
    With `spec`, the print requirements too: output intent, PDF/X version, image resolution."""
    if not data.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        return [Problem(name, None, "is not a PDF (it does not start with %PDF-)" if data else "is empty")]
    encrypted = Problem(name, None, "is encrypted; a print file must open without a password")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return [encrypted]
        return _check_reader(reader, data, name, geometry, expected_pages, font_family_prefix, spec)
    except (DependencyError, FileNotDecryptedError):      # pypdf tried to decrypt it
        return [encrypted]
    except Exception as error:    # a damaged or hostile file can fail any step of any reader
        return [Problem(name, None, f"cannot be read as a PDF: {type(error).__name__}: {error}"[:300])]


def _check_reader(reader: PdfReader, data: bytes, name: str, geometry: PageGeometry, expected_pages: int | None,
                  font_family_prefix: str | None, spec: PrintSpec | None) -> list[Problem]:
    problems: list[Problem] = _check_actions(reader, name)
    if expected_pages is not None and len(reader.pages) != expected_pages:
        problems.append(Problem(name, None, f"has {len(reader.pages)} pages, the plan has {expected_pages}"))
    if spec is not None:
        problems += _check_pdfx(reader, data, name, spec)
    want_trim = (geometry.trim_width, geometry.trim_height)
    programs: dict = {}       # font programs read once per file, by font descriptor
    for number, page in enumerate(reader.pages, start=1):
        problems += _check_boxes(page, name, number, geometry, want_trim)
        problems += page_font_problems(page, name, number, font_family_prefix, spec)
        walk = ContentWalk(name, number, spec)
        contents = page.get_contents()
        if contents is not None:
            try:
                walk.walk(contents, page.get("/Resources"), (1, 0, 0, 1, 0, 0))
            except ValueError as error:
                problems.append(Problem(name, number, f"its content cannot be read: {error}"))
        if not any(shown.strings for shown in walk.shown.values()):
            problems.append(Problem(name, number, "has no text"))
        problems += walk.problems
        for shown in walk.shown.values():
            if shown.font.get("/Subtype") == "/Type0":
                problems += [Problem(name, number, message)
                             for message in composite_font_problems(shown.font, shown.strings, programs)]
    return problems


def _check_actions(reader: PdfReader, name: str) -> list[Problem]:
    """JavaScript and actions (run on opening, on a page, in a link or form) have no place in a
    print file (PDF/X forbids them)."""
    root = reader.trailer["/Root"]
    found = [f"the document's {key}" for key in ("/OpenAction", "/AA") if key in root]
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        found.append("document-level JavaScript")
    for number, page in enumerate(reader.pages, start=1):
        if "/AA" in page:
            found.append(f"page {number}'s /AA")
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/A" in annotation or "/AA" in annotation:
                found.append(f"an action in an annotation on page {number}")
    return [Problem(name, None, f"holds JavaScript or actions ({', '.join(found)}); a print file must not")] \
        if found else []


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


def page_font_problems(page, name: str, number: int, font_family_prefix: str | None,
                       spec: PrintSpec | None, ad: bool = False) -> list[Problem]:
    """Fonts not embedded, Type 3, embedded whole or as OpenType where PDF/X-1a forbids it; with
    `font_family_prefix`, any font but the edition's own. An advertisement's fonts (`ad`: the page
    is one; or drawn by a form placed as one) may be embedded whole and be any font."""
    problems = []
    for font, in_ad in _fonts(page.get("/Resources"), set(), ad):
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
            continue
        if not SUBSET_NAME.match(base) and not in_ad:
            problems.append(Problem(name, number, f"font {base} is embedded whole, not subset"))
        if spec is not None and spec.pdf_variant == "pdf/x-1a" and "/FontFile3" in descriptor and \
                descriptor["/FontFile3"].get_object().get("/Subtype") == "/OpenType":
            problems.append(Problem(name, number, f"font {base} is embedded as OpenType (FontFile3 /OpenType), "
                                    "which PDF 1.4 and so PDF/X-1a do not allow"))
        if font_family_prefix and not in_ad and not SUBSET_NAME.sub("", base).startswith(font_family_prefix):
            problems.append(Problem(name, number, f"font {base} is not one of the edition's fonts "
                                    "(a fallback font was used)"))
    return problems


def check_edition_order(data: bytes, name: str, pages: Sequence[bytes]) -> list[Problem]:
    """What only the edition PDF can get wrong, its page files being checked in full: the page count,
    and each page being its page file's page, in order."""
    reader = PdfReader(io.BytesIO(data))
    if len(reader.pages) != len(pages):
        return [Problem(name, None, f"has {len(reader.pages)} pages, the edition has {len(pages)} page files")]
    problems = []
    for number, (page, file) in enumerate(zip(reader.pages, pages), start=1):
        if page.get_contents().get_data() != PdfReader(io.BytesIO(file)).pages[0].get_contents().get_data():
            problems.append(Problem(name, number, "is not the page of its page file: pages out of order or changed"))
    return problems
