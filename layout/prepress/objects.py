"""The PDF WeasyPrint is about to write, as pydyf objects: what a finishing step needs to walk it."""
from __future__ import annotations

import pydyf


def referenced(pdf: pydyf.PDF, reference: bytes):
    """The object an indirect reference (b"12 0 R") names."""
    return pdf.objects[int(bytes(reference).split()[0])]
