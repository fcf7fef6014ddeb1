"""Check: preflight a PDF with pypdf — page count, size and boxes, fonts embedded and subset, text."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

from .geometry import PageGeometry

SUBSET_NAME = re.compile(r"^/?[A-Z]{6}\+")
TOLERANCE_PT = 0.01


@dataclass(frozen=True)
class Problem:
    file: str
    page: int | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f" page {self.page}" if self.page else "")
        return f"{where}: {self.message}"


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


def check_pdf(data: bytes, name: str, geometry: PageGeometry, expected_pages: int | None,
              font_family_prefix: str | None = None) -> list[Problem]:
    """Preflight one PDF. With `font_family_prefix`, every font must be one of the edition's own
    (WeasyPrint silently falls back to any installed font for a character or face it cannot use)."""
    problems: list[Problem] = []
    reader = PdfReader(io.BytesIO(data))
    if expected_pages is not None and len(reader.pages) != expected_pages:
        problems.append(Problem(name, None, f"has {len(reader.pages)} pages, the plan has {expected_pages}"))
    want_trim = (geometry.trim_width, geometry.trim_height)
    for number, page in enumerate(reader.pages, start=1):
        trim, media = _box(page, "/TrimBox"), _box(page, "/MediaBox")
        if trim is None:
            problems.append(Problem(name, number, "no TrimBox"))
        else:
            size = (trim[2] - trim[0], trim[3] - trim[1])
            if any(abs(a - b) > TOLERANCE_PT for a, b in zip(size, want_trim)):
                problems.append(Problem(name, number, f"TrimBox is {size[0]:.2f} × {size[1]:.2f} pt, the format "
                                        f"wants {want_trim[0]:.2f} × {want_trim[1]:.2f} pt"))
            expected_media = [trim[0] - geometry.bleed, trim[1] - geometry.bleed,
                              trim[2] + geometry.bleed, trim[3] + geometry.bleed]
            if media is None or any(abs(a - b) > TOLERANCE_PT for a, b in zip(media, expected_media)):
                problems.append(Problem(name, number, f"MediaBox {media} is not the TrimBox plus "
                                        f"{geometry.bleed:.2f} pt bleed on each side"))
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
        if not page.extract_text().strip():
            problems.append(Problem(name, number, "has no text"))
    return problems
