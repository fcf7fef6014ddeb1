"""An advertisement's file as the plan names it: a one-page PDF, read (pypdf) and its finished box
found. Read with the plan, so an ad that cannot be placed is refused with its plan line; the
prepress stage (prepress/ads.py) checks it for the plant's rules and places it."""
from __future__ import annotations

import io
import logging

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

Box = tuple[float, float, float, float]


def ad_page(data: bytes) -> PageObject:
    """The one page of an ad file; ValueError says, for an editor, why the file cannot be placed."""
    if not data.lstrip(b"\x00\t\n\r ").startswith(b"%PDF-"):
        raise ValueError("is not a PDF; ask for the ad as a PDF/X file")
    # The reader logs what it repairs ("EOF marker not found"): the editor gets this function's words.
    reader_log = logging.getLogger("pypdf")
    level = reader_log.level
    reader_log.setLevel(logging.CRITICAL)
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        pages = None if encrypted else len(reader.pages)
    except (DependencyError, FileNotDecryptedError):
        encrypted = True
    except Exception as error:      # a damaged file can fail anywhere in the reader
        raise ValueError(f"cannot be read as a PDF ({type(error).__name__}); ask for the file again") from None
    finally:
        reader_log.setLevel(level)
    if encrypted:
        raise ValueError("is encrypted; ask for the ad without a password or permissions set")
    if pages != 1:
        raise ValueError(f"has {pages} pages; an ad is one page: ask for the ad alone")
    page = reader.pages[0]
    try:
        rotate = int(page.get("/Rotate", 0))
        boxes = [[float(v) for v in page[name]] for name in ("/MediaBox", "/CropBox", "/ArtBox", "/TrimBox")
                 if name in page]
    except (TypeError, ValueError):
        boxes, rotate = [], 1
    if rotate % 90 or not boxes or any(len(box) != 4 for box in boxes):
        raise ValueError("has a page turned or boxed as no PDF may be (/Rotate not a multiple of 90, or a box "
                         "not of four numbers); ask for the file again")
    x0, y0, x1, y1 = finished_box(page)[1]
    if x1 - x0 < 1 or y1 - y0 < 1:
        raise ValueError("has a page of no size (its page boxes enclose no area); ask for the file again")
    return page


def finished_box(ad: PageObject) -> tuple[str, Box]:
    """The box that stands for the ad's finished size — TrimBox (PDF/X requires one), else ArtBox,
    CropBox, MediaBox — cut to the MediaBox as readers do."""
    media = [float(v) for v in ad.mediabox]
    name, box = next(((name, [float(v) for v in ad[name]]) for name in ("/TrimBox", "/ArtBox", "/CropBox")
                      if name in ad), ("/MediaBox", media))
    (x0, x1), (y0, y1) = sorted((box[0], box[2])), sorted((box[1], box[3]))
    return name[1:], (max(x0, min(media[0], media[2])), max(y0, min(media[1], media[3])),
                      min(x1, max(media[0], media[2])), min(y1, max(media[1], media[3])))
