"""Font programs as every reader takes them: a CFF font is embedded as the bare CFF table
(FontFile3 /CIDFontType0C), not wrapped in OpenType.

WeasyPrint embeds the whole OpenType file (FontFile3 /OpenType), which PDF 1.4 and therefore
PDF/X-1a:2003 do not allow, and inside which FreeType-based readers (pdfium, poppler) ignore the CID
table that Ghostscript, MuPDF and Acrobat follow. The bare table is what ISO 32000-1 §9.7.4.2
describes for a CIDFontType0 and what every RIP reads; with the subset's CID = glyph index
(fonts.subset_font) all of them draw the same glyph for a code."""
from __future__ import annotations

import hashlib
import io

import pydyf
from fontTools.ttLib import TTFont

from .objects import referenced


def _bare_cff(opentype: bytes) -> bytes:
    """The CFF table of an OpenType font."""
    return TTFont(io.BytesIO(opentype), lazy=True).getTableData("CFF ")


def embed_bare_cff(pdf: pydyf.PDF) -> None:
    """Replace every OpenType-wrapped CFF font program of a PDF being written by its CFF table."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/OpenType":
            obj.stream = [_bare_cff(b"".join(obj.stream))]
            obj.extra["Subtype"] = "/CIDFontType0C"


def retag_subsets(pdf: pydyf.PDF) -> None:
    """Name every subset after its own content (ABCDEF+ of the font name, ISO 32000-1 §9.6.4):
    WeasyPrint derives the tag from the font's description, so the pages of an edition — each its
    own document with its own subset — would give different subsets one name in the edition PDF."""
    renamed: dict[bytes, bytes] = {}
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/FontDescriptor":
            program = next((obj[key] for key in ("FontFile", "FontFile2", "FontFile3") if key in obj), None)
            if program is None:
                continue
            data = b"".join(referenced(pdf, program).stream)
            tag = "".join(chr(65 + byte % 26) for byte in hashlib.sha256(data).digest()[:6]).encode()
            old = bytes(obj["FontName"])
            renamed[old] = b"/" + tag + old[old.index(b"+"):]
            obj["FontName"] = renamed[old]
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("BaseFont") in renamed:
            obj["BaseFont"] = renamed[obj["BaseFont"]]

