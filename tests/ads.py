"""Advertisements as agencies deliver them, made by the tests (no binary files in the repository):
PostScript distilled by Ghostscript's pdfwrite into a one-page PDF with a TrimBox of the frame's
size and 3 mm of bleed — a tint into the bleed, a CMYK panel, a CMYK picture and embedded type —
and the faults a print shop refuses."""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
import zlib
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject, NumberObject, StreamObject

BLEED = 3 * 72 / 25.4


def ad_pdf(width: float, height: float, *, rgb: bool = False, embed: bool = True, ink: str = "0 0.8 0.9 0",
           pages: int = 1) -> bytes:
    """An ad of `width` × `height` pt (its TrimBox), the panel in `ink` (CMYK), or in RGB."""
    b = BLEED
    mw, mh = width + 2 * b, height + 2 * b
    colour = "0.9 0.2 0.1 setrgbcolor" if rgb else f"{ink} setcmykcolor"
    picture = "".join(f"{c * 255 // 63:02x}{m * 255 // 63:02x}00{26:02x}" for m in range(64) for c in range(64))
    font = "NimbusSans-Bold" if embed else "Helvetica-Bold"
    page = [f"[ /TrimBox [{b:.3f} {b:.3f} {width + b:.3f} {height + b:.3f}] /BleedBox [0 0 {mw:.3f} {mh:.3f}] /PAGE pdfmark",
            f"0.05 0 0.1 0 setcmykcolor 0 0 {mw:.3f} {mh:.3f} rectfill",
            colour, f"{b + 10:.3f} {b + 10:.3f} {width * 0.45:.3f} {height - 20:.3f} rectfill",
            f"0 0 0 1 setcmykcolor 2 setlinewidth {b:.3f} {b:.3f} {width:.3f} {height:.3f} rectstroke",
            f"gsave {b + width * 0.55:.3f} {b + 20:.3f} translate 22 22 scale",      # 64 pixels: 209 dpi
            f"64 64 8 [64 0 0 64 0 0] {{<{picture}>}} false 4 colorimage grestore",
            f"0 0 0 1 setcmykcolor /{font} findfont 30 scalefont setfont",
            f"{b + width * 0.55:.3f} {b + height - 50:.3f} moveto (ADVERT) show", "showpage"]
    source = "\n".join(["%!PS-Adobe-3.0", f"<< /PageSize [{mw:.3f} {mh:.3f}] >> setpagedevice", *page * pages]) + "\n"
    with tempfile.TemporaryDirectory(prefix="layout-ad-") as tmp:
        ps, pdf = Path(tmp) / "ad.ps", Path(tmp) / "ad.pdf"
        ps.write_text(source, encoding="ascii")
        fonts = [] if embed else ["-dEmbedAllFonts=false", "-dSubsetFonts=false"]
        subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite", "-dAutoRotatePages=/None",
                        "-dCompatibilityLevel=1.6", *fonts, f"-sOutputFile={pdf}", str(ps)], check=True)
        return pdf.read_bytes()


def written(writer: PdfWriter) -> bytes:
    """The file a pypdf writer makes."""
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def rotated(data: bytes) -> bytes:
    """The ad with /Rotate 90 (its content drawn turned back, as pdfwrite writes landscape pages)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pages[0][NameObject("/Rotate")] = NumberObject(90)
    return written(writer)


def encrypted(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="agency", algorithm="RC4-128")
    return written(writer)


def page_box(data: bytes, media: tuple[float, float, float, float]) -> bytes:
    """The ad with only a MediaBox, this one (its trim, bleed and crop boxes taken away)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    page = writer.pages[0]
    for name in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        page.pop(name, None)
    page[NameObject("/MediaBox")] = ArrayObject(NumberObject(v) for v in media)
    return written(writer)


def blank_page(width: float, height: float, contents=None) -> bytes:
    """A placeholder ad: one page of the size with no content stream at all (or /Contents `contents`)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width, height)
    if contents is not None:
        page[NameObject("/Contents")] = contents
    return written(writer)


def declaring_a_huge_stream(data: bytes) -> bytes:
    """The ad with a stream whose length (an object of its own) says 80 MB, as a print-resolution
    picture of 160 MB does; the reader refuses to take such a stream in one piece."""
    found = re.search(rb"\d+ 0 obj\s*(\d+)\s*endobj", data)
    return data[:found.start(1)] + b"80000000" + data[found.end(1):]



def with_a_huge_picture(data: bytes) -> bytes:
    """The ad with a CMYK picture drawn on it that unpacks to 80 MB (4,472 px square, white): more
    than the PDF reader unpacks in one piece."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    page = writer.pages[0]
    side = 4472
    picture = StreamObject()
    picture.set_data(zlib.compress(bytes(side * side * 4), 1))
    picture.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                    NameObject("/Width"): NumberObject(side), NameObject("/Height"): NumberObject(side),
                    NameObject("/ColorSpace"): NameObject("/DeviceCMYK"),
                    NameObject("/BitsPerComponent"): NumberObject(8), NameObject("/Filter"): NameObject("/FlateDecode")})
    resources = page["/Resources"].get_object()
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    resources["/XObject"].get_object()[NameObject("/Huge")] = writer._add_object(picture)
    drawing = DecodedStreamObject()
    drawing.set_data(b"q 10 0 0 10 20 20 cm /Huge Do Q")
    own = page.raw_get("/Contents").get_object()
    page[NameObject("/Contents")] = ArrayObject([*(own if isinstance(own, ArrayObject) else [page.raw_get("/Contents")]),
                                                 writer._add_object(drawing)])
    return written(writer)
