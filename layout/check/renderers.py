"""Render agreement: a PDF is right for print when independent readers draw it alike.

Each page is rasterised by pdfium (pypdfium2), Ghostscript and MuPDF — the two families of readers
that disagree on fonts whose codes do not go through the CID table (notes/print-facts.md) — in RGB,
turned into grey by one formula (Pillow's; MuPDF's own grey output treats CMYK images differently
from its RGB output), scaled to one size and averaged over square cells about one body character
wide, which evens out anti-aliasing and a pixel's difference in page size. A cell whose grey differs
by more than the tolerance between two readers is a disagreement: a glyph drawn as .notdef or not at
all, an image inverted, a colour lost.

Readers also turn CMYK into RGB differently, which is not a fault of the file: pdfium uses a table
made from Adobe's SWOP conversion, Ghostscript an ICC profile (SWOP by default), and Debian's MuPDF,
built without ICC support, the plain formulas. So Ghostscript renders twice — with its colour
management, compared with pdfium, and with plain conversions (-dUseFastColor), compared with MuPDF —
and every comparison is between two readers that turn ink into colour the same way.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageOps

from ..errors import LayoutError

DPI = 150
CELL_PT = 9            # one body character: a wrong or missing glyph changes its cell's grey a lot
TOLERANCE = 32         # grey levels (of 255) between the cell averages of two readers
# Pairs compared: readers that convert colour alike (see above).
PAIRS = (("pdfium", "ghostscript"), ("ghostscript-plain", "mupdf"))


@dataclass(frozen=True)
class PageAgreement:
    page: int
    worst: int                 # largest cell difference between any two readers, grey levels
    cells_over: int            # cells differing by more than the tolerance
    cells: int
    worst_pair: str            # e.g. "pdfium/ghostscript"
    worst_at_pt: tuple[float, float]   # where, from the top left of the media box

    @property
    def agrees(self) -> bool:
        return self.cells_over == 0

    def __str__(self) -> str:
        x, y = self.worst_at_pt
        return (f"page {self.page}: {self.cells_over} of {self.cells} cells differ by more than {TOLERANCE} "
                f"grey levels; worst {self.worst} ({self.worst_pair}) at {x:.0f}, {y:.0f} pt")


def _ghostscript(pdf: Path, out: Path, plain_colour: bool = False) -> list[Image.Image]:
    prefix = "p" if plain_colour else "g"
    _run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", f"-r{DPI}", "-dTextAlphaBits=4",
          "-dGraphicsAlphaBits=4", *(["-dUseFastColor"] if plain_colour else []),
          f"-sOutputFile={out}/{prefix}%d.png", str(pdf)])
    return _pages(out, prefix)


def _mupdf(pdf: Path, out: Path) -> list[Image.Image]:
    _run(["mutool", "draw", "-q", "-r", str(DPI), "-c", "rgb", "-o", f"{out}/m%d.png", str(pdf)])
    return _pages(out, "m")


def _pdfium(pdf: Path, out: Path) -> list[Image.Image]:
    document = pdfium.PdfDocument(pdf)
    try:
        return [page.render(scale=DPI / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


RENDER_TIMEOUT_S = 300     # a page takes a few seconds; a hostile file must not hang the check


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise LayoutError(f"{command[0]} is not installed; scripts/setup.sh installs it (Debian package "
                          f"{'ghostscript' if command[0] == 'gs' else 'mupdf-tools'})")
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise LayoutError(f"{command[0]} took more than {RENDER_TIMEOUT_S} s to render the PDF") from None
    if result.returncode != 0:
        raise LayoutError(f"{command[0]} could not render the PDF: {result.stderr.strip()[:300]}")


def _pages(folder: Path, prefix: str) -> list[Image.Image]:
    files = sorted(folder.glob(f"{prefix}*.png"), key=lambda p: int(p.stem[len(prefix):]))
    return [Image.open(file).convert("L") for file in files]


RASTERISERS = {"pdfium": _pdfium, "ghostscript": _ghostscript, "mupdf": _mupdf,
               "ghostscript-plain": partial(_ghostscript, plain_colour=True)}


def _rasterise(pdf: bytes) -> dict[str, list[Image.Image]]:
    """Every page of a PDF in grey, as each reader draws it."""
    with tempfile.TemporaryDirectory(prefix="layout-agree-") as tmp:
        folder = Path(tmp)
        path = folder / "file.pdf"
        path.write_bytes(pdf)
        return {name: rasterise_with(path, folder) for name, rasterise_with in RASTERISERS.items()}


def cell_means(image: Image.Image, size: tuple[int, int], dpi: float = DPI) -> Image.Image:
    """Grey averaged over cells of CELL_PT, after scaling to the common page size (at `dpi`)."""
    scaled = image.resize(size, Image.Resampling.BILINEAR) if image.size != size else image
    columns = max(1, round(size[0] * 72 / dpi / CELL_PT))
    rows = max(1, round(size[1] * 72 / dpi / CELL_PT))
    return scaled.resize((columns, rows), Image.Resampling.BOX)


def compare(pages: dict[str, list[Image.Image]]) -> list[PageAgreement]:
    counts = {name: len(images) for name, images in pages.items()}
    if len(set(counts.values())) != 1:
        raise LayoutError("the readers see different page counts: "
                          + ", ".join(f"{name} {count}" for name, count in counts.items()))
    results = []
    for index in range(next(iter(counts.values()))):
        size = pages["pdfium"][index].size
        cells = {name: cell_means(images[index], size) for name, images in pages.items()}
        over = Image.new("L", cells["pdfium"].size, 0)
        worst, worst_pair, worst_at = 0, "", (0.0, 0.0)
        for a, b in PAIRS:
            difference = ImageChops.difference(cells[a], cells[b])
            over = ImageChops.lighter(over, difference.point(lambda v: 255 if v > TOLERANCE else 0))
            largest = difference.getextrema()[1]
            if largest > worst:
                left, top, _, _ = difference.point(lambda v: 255 if v == largest else 0).getbbox()
                worst, worst_pair, worst_at = largest, f"{a}/{b}", (left * CELL_PT, top * CELL_PT)
        results.append(PageAgreement(page=index + 1, worst=worst, cells_over=over.histogram()[255],
                                     cells=over.size[0] * over.size[1], worst_pair=worst_pair,
                                     worst_at_pt=worst_at))
    return results


def separations(pdf: bytes, dpi: int = 50, trim_only: bool = False) -> list[dict[str, Image.Image]]:
    """Every page as the plates a RIP makes from it (Ghostscript's tiffsep device, overprint
    honoured): ink name → coverage, 255 = full ink. `trim_only`: the TrimBox alone (an ad, which is
    cut at its frame), not the whole MediaBox."""
    with tempfile.TemporaryDirectory(prefix="layout-plates-") as tmp:
        folder = Path(tmp)
        path = folder / "file.pdf"
        path.write_bytes(pdf)
        _run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep", f"-r{dpi}",
              *(["-dUseTrimBox"] if trim_only else []), f"-sOutputFile={folder}/p%d.tif", str(path)])
        pages: dict[int, dict[str, Image.Image]] = {}
        for plate in folder.glob("p*(*).tif"):
            number, ink = plate.stem[1:].split("(", 1)
            with Image.open(plate) as image:
                pages.setdefault(int(number), {})[ink.rstrip(")")] = ImageOps.invert(image.convert("L"))
        return [pages[number] for number in sorted(pages)]


def agreement(pdf: bytes) -> list[PageAgreement]:
    """How far pdfium, Ghostscript and MuPDF agree on every page of a PDF."""
    return compare(_rasterise(pdf))
