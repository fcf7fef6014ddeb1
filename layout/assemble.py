"""Assemble: rendered page files → the edition PDF (by pypdf, from the page files) and
manifest.json, all written at once.

Files go to a temporary folder beside the output, which then replaces the old output in one rename:
an earlier good render is never left half-overwritten.
"""
from __future__ import annotations

import fcntl
import hashlib
import io
import json
import os
import shutil
import stat
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, StreamObject

from .errors import LayoutError
from .flow import StoryFit
from .plan import Edition, file_name
from .prepress.finish import GENERATOR, PDF_VERSION, PDFX_VERSION, PRODUCER, pdf_date, xmp_packet
from .render.pages import PageResult
from .style import HouseStyle, PrintSpec


@dataclass(frozen=True)
class Deliverables:
    files: dict[str, bytes]     # file name → PDF bytes
    manifest: dict              # written as manifest.json beside them


def _edition_pdf(pages: Sequence[bytes], spec: PrintSpec, identity: str, title: str, timestamp: str) -> bytes:
    """The edition PDF assembled from the page files (never laid out or written twice): their pages
    in order, the printing condition's output intent, and its own identification and document ID."""
    writer = PdfWriter()
    for data in pages:
        writer.append(PdfReader(io.BytesIO(data)))
    first = PdfReader(io.BytesIO(pages[0])).trailer["/Root"]
    root = writer._root_object
    root[NameObject("/OutputIntents")] = first["/OutputIntents"].clone(writer)
    root[NameObject("/Lang")] = first["/Lang"].clone(writer)
    metadata = StreamObject()
    metadata.set_data(xmp_packet(title, timestamp, GENERATOR, identity, spec.pdf_variant))
    metadata.update({NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")})
    root[NameObject("/Metadata")] = writer._add_object(metadata)
    writer.add_metadata({"/Title": title, "/Creator": GENERATOR, "/Producer": PRODUCER,
                         "/CreationDate": pdf_date(timestamp), "/ModDate": pdf_date(timestamp),
                         "/GTS_PDFXVersion": PDFX_VERSION[spec.pdf_variant]})
    writer._info.get_object()[NameObject("/Trapped")] = NameObject("/False")
    writer.pdf_header = f"%PDF-{PDF_VERSION[spec.pdf_variant]}"
    file_id = ByteStringObject(hashlib.md5(identity.encode() + b"".join(pages)).digest())
    writer._ID = ArrayObject([file_id, file_id])      # from the content: the same pages, the same file
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def overlay(page: bytes, over: bytes) -> bytes:
    """A one-page PDF with another page's content laid over it (a proof's stamp)."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(page)))
    writer.pages[0].merge_page(PdfReader(io.BytesIO(over)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def assemble(pages: Sequence[PageResult], edition: Edition, style: HouseStyle, fits: tuple[StoryFit, ...],
             fonts: list[dict], timestamp: str) -> Deliverables:
    files: dict[str, bytes] = {}
    entries = []
    for page in pages:
        files[page.name] = page.pdf
        entries.append({"page": page.number, "file": page.name, "sha256": hashlib.sha256(page.pdf).hexdigest(),
                        "bytes": len(page.pdf)})
    edition_name = file_name(edition, style, None)
    whole = _edition_pdf([page.pdf for page in pages], style.print, f"{edition.code}/{edition_name}",
                        edition_title(edition), timestamp)
    files[edition_name] = whole
    manifest = {
        "edition": edition.date.isoformat(),
        "paper": edition.paper,
        "issue": edition.issue,
        "format": edition.format,
        "edition_pdf": edition_name,
        "edition_sha256": hashlib.sha256(whole).hexdigest(),
        "edition_bytes": len(whole),
        "pdf_variant": style.print.pdf_variant,
        "output_profile": {"file": str(style.print.profile.path), "sha256": style.print.profile.sha256,
                           "condition": style.print.profile.condition},
        "pages": entries,
        "stories": [{"story": fit.story, "blocks": [asdict(b) for b in fit.blocks],
                     "overset_lines": fit.overset_lines, "underset_lines": fit.underset_lines,
                     "loose_lines": fit.loose_lines, "line_chars": fit.line_chars,
                     "overset_chars": fit.overset_chars, "underset_chars": fit.underset_chars,
                     "cuts": [asdict(cut) for cut in fit.cuts]} for fit in fits],
        "fonts": fonts,
    }
    return Deliverables(files=files, manifest=manifest)


def edition_title(edition: Edition) -> str:
    return f"{edition.paper} {edition.date.isoformat()}"


def check_folder(out_dir: Path) -> None:
    """An output folder can be written where nothing is, or a folder is. (One look: another
    render's swap may take the folder away between two.)"""
    try:
        mode = out_dir.stat().st_mode
    except (FileNotFoundError, NotADirectoryError):
        return
    if not stat.S_ISDIR(mode):
        raise LayoutError(f"{out_dir} is a file, not a folder; move it away so the output can be written")


def write_output(out_dir: Path, deliverables: Deliverables) -> None:
    """Write the files into out_dir all at once: staged beside it, then swapped in under a lock (two
    renders of one date take turns). A swap a crash interrupted is repaired first: the earlier
    output put back, stale staging folders removed."""
    parent = out_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(parent, os.O_RDONLY)      # the output folder itself is the lock: no file is left
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _repair(out_dir)
        check_folder(out_dir)                # under the lock: no other render is swapping it
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=parent))
        staging.chmod(0o755)
        try:
            for name, data in deliverables.files.items():
                (staging / name).parent.mkdir(parents=True, exist_ok=True)     # previous/… of a proof
                (staging / name).write_bytes(data)
            manifest = json.dumps(deliverables.manifest, ensure_ascii=False, indent=2) + "\n"
            (staging / "manifest.json").write_text(manifest, encoding="utf-8")
            old = None
            if out_dir.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=parent))
                os.rename(out_dir, old / "previous")
            os.rename(staging, out_dir)
            if old is not None:
                shutil.rmtree(old)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    finally:
        os.close(lock)


def _repair(out_dir: Path) -> None:
    """After a crash mid-swap: the earlier output back in place, and no staging folders left."""
    for old in sorted(out_dir.parent.glob(f".{out_dir.name}.old-*")):
        if not out_dir.exists() and (old / "previous").is_dir():
            os.rename(old / "previous", out_dir)
        shutil.rmtree(old, ignore_errors=True)
    for new in out_dir.parent.glob(f".{out_dir.name}.new-*"):
        shutil.rmtree(new, ignore_errors=True)
