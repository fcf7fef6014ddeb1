"""Advertisements as agencies deliver them, made by the tests (no binary files in the repository):
PostScript distilled by Ghostscript's pdfwrite into a one-page PDF with a TrimBox of the frame's
size and 3 mm of bleed — a tint into the bleed, a CMYK panel, a CMYK picture and embedded type —
and the faults a print shop refuses."""
from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject

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


def rotated(data: bytes) -> bytes:
    """The ad with /Rotate 90 (its content drawn turned back, as pdfwrite writes landscape pages)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.pages[0][NameObject("/Rotate")] = NumberObject(90)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="", owner_password="agency", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
