"""The PDF finisher: WeasyPrint hands over the PDF's objects right before it writes them, and this
makes the file what a plant expects:

- BleedBox = trim + bleed (WeasyPrint caps it at 10 pt);
- the output intent named after the printing condition;
- CFF fonts embedded as bare CFF (fontfile);
- a document ID derived from the file's identity instead of WeasyPrint's random one, so every PDF
  mode renders byte-identically.
"""
from __future__ import annotations

import re
import uuid

import pydyf

from ..style import OutputProfile
from .fontfile import embed_bare_cff

_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Finisher:
    """WeasyPrint finisher: runs on the pydyf PDF right before it is written."""

    def __init__(self, bleed_pt: float, profile: OutputProfile, identity: str):
        self.bleed = bleed_pt
        self.profile = profile
        self.identity = identity      # e.g. "gzb-20200515-01.pdf": the document ID is derived from it

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        for obj in pdf.objects:
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page" and "TrimBox" in obj:
                left, top, right, bottom = (float(v) for v in obj["TrimBox"])
                obj["BleedBox"] = pydyf.Array([left - self.bleed, top - self.bleed,
                                               right + self.bleed, bottom + self.bleed])
        for intent in pdf.catalog.get("OutputIntents", []):
            intent["OutputConditionIdentifier"] = pydyf.String(self.profile.condition)
            intent["Info"] = pydyf.String(self.profile.condition)
        embed_bare_cff(pdf)
        metadata = pdf.catalog.get("Metadata")
        if metadata is not None:
            stream = _referenced(pdf, metadata)
            document_id = b"xmp.did:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"layout:{self.identity}")).encode()
            stream.stream = [_DOCUMENT_ID.sub(document_id, part) if isinstance(part, bytes) else part
                             for part in stream.stream]


def _referenced(pdf: pydyf.PDF, reference: bytes):
    """The object an indirect reference (b"12 0 R") names."""
    return pdf.objects[int(bytes(reference).split()[0])]
