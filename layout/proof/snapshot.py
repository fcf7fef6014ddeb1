"""Page snapshots: what a reader sees, kept as small baselines so that no change goes unnoticed.

Each page is rasterised with pypdfium2, cropped to the TrimBox, in 16 grey levels; the text of each
block (and of the page furniture) is taken from the PDF in reading order. A comparison fails on a
difference a reader could see — a pixel whose grey changes by more than PIXEL_THRESHOLD, in more
than MAX_CHANGED_PIXELS pixels — and on any change of text; it writes the actual page and a diff
image (changed pixels in red over a faded page) for people to look at.
"""
from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageDraw

from ..check.pdftext import AGREEMENT_PT
from ..flow import PlacedBlock, PlacedPage
from ..fonts import FontMetrics
from ..geometry import PageGeometry, Rect
from ..check.pdftext import pdf_glyphs

DPI = 72                    # a 9-pt character is 9 px: one changed character moves ~30 pixels
GREY_LEVELS = 16
PIXEL_THRESHOLD = 48        # of 255 (three of the 16 grey steps): less is not something a reader sees
MAX_CHANGED_PIXELS = 8


@dataclass(frozen=True)
class PageSnapshot:
    number: int
    image: Image.Image      # mode L, GREY_LEVELS greys, the trim box at DPI
    text: str               # each block's text in reading order


def block_layout(pages: tuple[PlacedPage, ...]) -> list[list[dict]]:
    """What a snapshot needs of each page's blocks, for the manifest: label, story, rectangle on
    the type area and text columns in it (pt)."""
    return [[{"label": b.label, "story": b.story, "rect": [b.rect.x, b.rect.y, b.rect.width, b.rect.height],
              "frames": [[f.x, f.y, f.width, f.height] for f in b.frames]} for b in page.blocks] for page in pages]


def pages_of_manifest(manifest: dict) -> tuple[PlacedPage, ...]:
    """The pages' blocks as a manifest keeps them (block_layout), for a snapshot of its PDF."""
    return tuple(PlacedPage(number=page["page"], furniture=(), rules=(), blocks=tuple(
        PlacedBlock(label=b["label"], rect=Rect(*b["rect"]), story=b["story"],
                    frames=tuple(Rect(*f) for f in b["frames"]), lines=()) for b in page["blocks"]))
        for page in manifest["pages"])


def _quantise(image: Image.Image) -> Image.Image:
    step = 255 / (GREY_LEVELS - 1)
    return image.point(lambda v: int(round(round(v / step) * step)))


def trim_picture(page: pdfium.PdfPage, geometry: PageGeometry, dpi: float, grayscale: bool = False) -> Image.Image:
    """A page's trim box as a picture at `dpi` (the MediaBox reaches `slug` beyond it on every side)."""
    return page.render(scale=dpi / 72, crop=(geometry.slug,) * 4, grayscale=grayscale).to_pil()


def snapshot_pages(pdf_bytes: bytes, pages: tuple[PlacedPage, ...], geometry: PageGeometry,
                   metrics: Mapping[str, FontMetrics], leave_out: Rect | None = None) -> list[PageSnapshot]:
    """Each page's picture and text; `leave_out` (on the trim box) is blank in the picture and
    its glyphs are not in the text."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    snapshots = []
    for index, page in enumerate(pages):
        image = _quantise(trim_picture(pdf[index], geometry, DPI, grayscale=True).convert("L"))
        glyphs = pdf_glyphs(pdf, index, geometry.trim_height, metrics)
        if leave_out is not None:
            box = [round(v * DPI / 72) for v in (leave_out.x, leave_out.y, leave_out.right, leave_out.bottom)]
            ImageDraw.Draw(image).rectangle(box, fill=255)
            glyphs = [g for g in glyphs if not (leave_out.x <= g.x <= leave_out.right
                                                and leave_out.y <= g.baseline <= leave_out.bottom)]
        snapshots.append(PageSnapshot(number=page.number, image=image, text=_page_text(page, glyphs, geometry)))
    return snapshots


def _page_text(page: PlacedPage, glyphs, geometry: PageGeometry) -> str:
    """`## block` headings, each followed by its lines in reading order — the lines above the text
    columns (headline group), then each column top to bottom — and last the page furniture."""
    out = []
    taken: set[int] = set()
    # An opening mark at a line start has its origin outside, by half an em give or take what the
    # painter may deviate.
    edge = geometry.body_size / 2 + AGREEMENT_PT
    for block in page.blocks:
        left, top = geometry.type_left + block.rect.x, geometry.type_top + block.rect.y
        inside = [i for i, g in enumerate(glyphs) if left - edge <= g.x < left + block.rect.width
                  and top <= g.baseline <= top + block.rect.height]
        taken.update(inside)
        columns: list[list] = [[] for _ in block.frames]
        head = []
        for i in inside:
            g = glyphs[i]
            column = next((n for n, f in enumerate(block.frames)
                           if left + f.x - edge <= g.x < left + f.right and top + f.y <= g.baseline), None)
            (head if column is None else columns[column]).append(g)
        out.append(f"## {block.label}")
        out += _lines(head)
        for column in columns:
            out += _lines(column)
    out.append("## page furniture")
    out += _lines([g for i, g in enumerate(glyphs) if i not in taken])
    return "\n".join(out) + "\n"


def _lines(glyphs) -> list[str]:
    """Glyphs grouped into lines by baseline, top to bottom, each line in drawing order."""
    rows: dict[float, list] = {}
    for g in glyphs:
        rows.setdefault(round(g.baseline), []).append(g)
    return ["".join(g.char for g in rows[y]) for y in sorted(rows)]


@dataclass(frozen=True)
class SnapshotResult:
    page: int
    problems: tuple[str, ...]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _diff_image(actual: Image.Image, baseline: Image.Image) -> tuple[Image.Image, int]:
    """Changed pixels in red over the faded actual page, and how many changed."""
    if actual.size != baseline.size:
        baseline = baseline.resize(actual.size)
    changed = ImageChops.difference(actual, baseline).point(lambda v: 255 if v > PIXEL_THRESHOLD else 0)
    count = changed.histogram()[255]
    faded = actual.point(lambda v: 200 + v * 55 // 255).convert("RGB")
    red = Image.new("RGB", actual.size, (220, 0, 0))
    return Image.composite(red, faded, changed), count


REPORT_FILES = ("page-*-actual.png", "page-*-diff.png", "page-*-text.diff")
SNAPSHOT_WORDS = {"new": "page {page}: no baseline in {folder}; accept one with `layout snapshot update`",
                  "gone": "page {page}: in the baselines ({folder}), not in the edition now: a page removed? "
                          "accept it with `layout snapshot update`"}


def compare(snapshots: list[PageSnapshot], baseline_dir: Path, report_dir: Path,
            words: dict[str, str] = SNAPSHOT_WORDS) -> list[SnapshotResult]:
    """Compare with the baselines; for each differing page write actual and diff under report_dir
    (whose pictures of an earlier comparison are removed first). A page with no baseline, and a
    baseline with no page, are told in `words` ({page}, {folder})."""
    for pattern in REPORT_FILES:
        for stale in report_dir.glob(pattern):
            stale.unlink()
    results = []
    for snap in snapshots:
        problems = []
        stem = f"page-{snap.number:02d}"
        image_path, text_path = baseline_dir / f"{stem}.png", baseline_dir / f"{stem}.txt"
        actual_path, diff_path = report_dir / f"{stem}-actual.png", report_dir / f"{stem}-diff.png"
        if not image_path.is_file() or not text_path.is_file():
            problems.append(words["new"].format(page=snap.number, folder=baseline_dir))
        else:
            try:
                with Image.open(image_path) as stored:
                    baseline = stored.convert("L")
                stored_text = text_path.read_text(encoding="utf-8")
            except (OSError, ValueError) as exc:     # PIL's "cannot identify image file" is an OSError
                problems.append(f"page {snap.number}: the baseline in {baseline_dir} cannot be read ({exc}); "
                                "if the current page is right, accept it with `layout snapshot update`")
                results.append(SnapshotResult(page=snap.number, problems=tuple(problems)))
                continue
            diff, changed = _diff_image(snap.image, baseline)
            if baseline.size != snap.image.size or changed > MAX_CHANGED_PIXELS:
                report_dir.mkdir(parents=True, exist_ok=True)
                actual_path.write_bytes(_png(snap.image))
                diff_path.write_bytes(_png(diff))
                problems.append(f"page {snap.number}: {changed} pixels changed (size {snap.image.size} vs "
                                f"{baseline.size}); see {actual_path} and {diff_path}")
            if stored_text != snap.text:
                delta = "".join(difflib.unified_diff(stored_text.splitlines(True), snap.text.splitlines(True),
                                                     f"{text_path} (baseline)", f"page {snap.number} (now)", n=1))
                report_dir.mkdir(parents=True, exist_ok=True)
                (report_dir / f"{stem}-text.diff").write_text(delta, encoding="utf-8")
                problems.append(f"page {snap.number}: text changed:\n{delta}")
        results.append(SnapshotResult(page=snap.number, problems=tuple(problems)))
    numbers = {snap.number for snap in snapshots}
    for image in sorted(baseline_dir.glob("page-*.png")):
        number = image.stem.removeprefix("page-")
        if number.isdigit() and int(number) not in numbers:
            results.append(SnapshotResult(page=int(number), problems=(
                words["gone"].format(page=int(number), folder=baseline_dir),)))
    return results


def update(snapshots: list[PageSnapshot], baseline_dir: Path) -> list[Path]:
    """Accept the snapshots as the new baselines (and drop baselines of pages that are gone)."""
    baseline_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for snap in snapshots:
        stem = f"page-{snap.number:02d}"
        (baseline_dir / f"{stem}.png").write_bytes(_png(snap.image))
        (baseline_dir / f"{stem}.txt").write_text(snap.text, encoding="utf-8")
        written += [baseline_dir / f"{stem}.png", baseline_dir / f"{stem}.txt"]
    for stale in baseline_dir.glob("page-*"):
        if stale not in written:
            stale.unlink()
    return written
