"""Advertisements delivered as PDF (广告): read and checked for the plant's rules, then placed into
the page file as vector content — the ad's page as a Form XObject of its own (its resources kept
apart from the page's, so no name can clash), drawn 1:1 at its frame and clipped to it.

The page's own content is not parsed or rewritten: it is bracketed by q … Q in streams of its own
and the ad drawn after it. Annotations, actions and the ad's output intent stay behind."""
from __future__ import annotations

import io
import json
import zlib
from typing import Sequence

from pypdf import PageObject, PdfReader, PdfWriter
from PIL import Image
from pypdf.errors import LimitReachedError
from pypdf.filters import MAX_DECLARED_STREAM_LENGTH
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject, NullObject, \
    NumberObject, StreamObject

from ..check.content import AD_PREFIX, ContentWalk, max_ink
from ..check.fonts import composite_font_problems
from ..check.preflight import page_font_problems
from ..check.renderers import separations
from ..errors import LayoutError
from ..adfile import ad_page, finished_box
from ..cachefile import cache_dir, cache_key, read_cache_file, write_cache_file
from ..geometry import matrix_product, pt_to_mm
from ..style import PrintSpec

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]


def _upright(box: Box, rotate: int) -> tuple[Matrix, float, float]:
    """The matrix taking the box, turned as /Rotate shows it (clockwise), to (0, 0)–(w, h); w, h."""
    x0, y0, x1, y1 = box
    matrix = {0: (1, 0, 0, 1, -x0, -y0), 90: (0, -1, 1, 0, -y0, x1),
              180: (-1, 0, 0, -1, x1, y1), 270: (0, 1, -1, 0, y1, -x0)}[rotate]
    turned = rotate in (90, 270)
    return matrix, (y1 - y0 if turned else x1 - x0), (x1 - x0 if turned else y1 - y0)


def _ad_size(ad: PageObject) -> tuple[float, float]:
    """The ad's finished width and height in pt, as it is seen (after /Rotate)."""
    _, width, height = _upright(finished_box(ad)[1], int(ad.get("/Rotate", 0)) % 360)
    return width, height


def ad_problems(data: bytes, frame_width: float, frame_height: float, spec: PrintSpec) -> list[str]:
    """What keeps an ad from print on this plant: a size other than its frame's (beyond the house
    style's tolerance), fonts not embedded, RGB colour, ink over the limit (measured on a render,
    overprint included). The ad file is known to be a readable one-page PDF (`ad_page`)."""
    page = ad_page(data)
    problems = []
    box_name, _ = finished_box(page)
    width, height = _ad_size(page)
    if max(abs(pt_to_mm(width - frame_width)), abs(pt_to_mm(height - frame_height))) > spec.ad_size_tolerance_mm:
        problems.append(f"is {pt_to_mm(width):.1f} × {pt_to_mm(height):.1f} mm ({box_name}), its frame "
                        f"{pt_to_mm(frame_width):.1f} × {pt_to_mm(frame_height):.1f} mm: ask for the ad at the "
                        f"frame's size, or give the block the ad's (within {spec.ad_size_tolerance_mm:g} mm)")
    try:
        later = _content_problems(page, spec)
    except LimitReachedError:       # the reader's guard against decompression bombs
        return problems + ["holds more data than this engine reads in one piece (a stream over "
                           f"{MAX_DECLARED_STREAM_LENGTH // 10**6} MB); ask for "
                           f"the ad with its pictures at {spec.min_image_dpi:g} dpi, not finer"]
    if not problems:        # a wrong size is reason enough to ask again; what is placed is the trim
        try:
            ink = max_ink(separations(data, spec.ad_ink_dpi, trim_only=True)[0].values())
        except (LayoutError, Image.DecompressionBombError) as error:
            ink, later = 0, later + [f"cannot be rendered to measure its ink ({error})"]
        if ink > spec.ink_limit_percent + 0.5:
            later.append(f"total ink reaches {ink:.0f}% as printed (overprint included), over the "
                         f"{spec.ink_limit_percent:g}% limit")
    return problems + [f"{problem}; ask the advertiser for a file made for this press (PDF/X-1a: fonts "
                       f"embedded, CMYK only, at most {spec.ink_limit_percent:g}% ink, pictures of "
                       f"{spec.min_image_dpi:g} dpi)" for problem in later]


def _content_problems(page: PageObject, spec: PrintSpec) -> list[str]:
    """Fonts not embedded or not whole, colour other than CMYK and grey, pictures over the ink limit."""
    problems = [problem.message for problem in page_font_problems(page, "", 1, None, spec, ad=True)]
    walk = ContentWalk("", 1, spec, in_ad=True)
    contents = page.get_contents()
    if contents is not None:
        try:
            walk.walk(contents, page.get("/Resources"), (1, 0, 0, 1, 0, 0))
        except ValueError as error:
            problems.append(f"its content cannot be read: {error}")
    problems += [problem.message for problem in walk.problems]
    programs: dict = {}
    for shown in walk.shown.values():
        if shown.font.get("/Subtype") == "/Type0":
            problems += composite_font_problems(shown.font, shown.strings, programs)
    return problems


def checked_ad(data: bytes, frame_width: float, frame_height: float, spec: PrintSpec) -> list[str]:
    """`ad_problems`, remembered in the cache by the ad's bytes, its frame and the print settings (the
    ink render costs a Ghostscript run)."""
    key = cache_key("ad", data, f"{frame_width:.3f} {frame_height:.3f}", repr(spec))
    path = cache_dir() / "ads" / f"{key}.json"
    known = read_cache_file(path)
    if known is not None:
        return json.loads(known)
    problems = ad_problems(data, frame_width, frame_height, spec)
    write_cache_file(path, json.dumps(problems, ensure_ascii=False).encode())
    return problems


def place_ads(page_pdf: bytes, ads: Sequence[tuple[bytes, Box]]) -> bytes:
    """The page file with each ad drawn at its frame — (x, y, width, height) in pt from the top left
    of the trim — 1:1, centred (the size check allowed any difference) and clipped to the frame."""
    reader = PdfReader(io.BytesIO(page_pdf))
    writer = PdfWriter(clone_from=reader)
    writer.pdf_header = reader.pdf_header          # the PDF/X version the page was written for
    page = writer.pages[0]
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    xobjects = resources["/XObject"].get_object()
    trim = [float(v) for v in page.trimbox]
    drawing = []
    for number, (data, (x, y, width, height)) in enumerate(ads, start=1):
        ad = ad_page(data)
        turn, ad_width, ad_height = _upright(finished_box(ad)[1], int(ad.get("/Rotate", 0)) % 360)
        left, bottom = trim[0] + x, trim[3] - y - height
        matrix = matrix_product(turn, (1, 0, 0, 1, left + (width - ad_width) / 2, bottom + (height - ad_height) / 2))
        name = f"{AD_PREFIX}{number}"
        xobjects[NameObject(name)] = writer._add_object(_form(writer, ad))
        drawing.append(f"q {_numbers((left, bottom, width, height))} re W n {_numbers(matrix)} cm {name} Do Q")
    own = page.raw_get("/Contents").get_object()
    streams = [_stream(writer, b"q\n"), *(own if isinstance(own, ArrayObject) else [page.raw_get("/Contents")]),
               _stream(writer, b"\nQ\n"), _stream(writer, "\n".join(drawing).encode() + b"\n")]
    page[NameObject("/Contents")] = ArrayObject(streams)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _form(writer: PdfWriter, ad: PageObject) -> StreamObject:
    """The ad's page as a Form XObject in `writer`: its content bytes as they are, its resources and
    transparency group cloned, clipped to its finished box."""
    contents = ad.get("/Contents")
    contents = None if contents is None else contents.get_object()
    streams = [] if isinstance(contents, (type(None), NullObject)) else \
        contents if isinstance(contents, ArrayObject) else [contents]
    form = StreamObject()
    form.set_data(zlib.compress(b"\n".join(stream.get_object().get_data() for stream in streams)))
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject(FloatObject(v) for v in finished_box(ad)[1]),
        NameObject("/Matrix"): ArrayObject(NumberObject(v) for v in (1, 0, 0, 1, 0, 0)),
        NameObject("/Filter"): NameObject("/FlateDecode"),
    })
    for key in ("/Resources", "/Group"):
        if key in ad:
            form[NameObject(key)] = ad[key].get_object().clone(writer)
    return form


def _stream(writer: PdfWriter, data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def _numbers(values) -> str:
    texts = (f"{v:.4f}".rstrip("0").rstrip(".") for v in values)
    return " ".join("0" if text in ("-0", "") else text for text in texts)
