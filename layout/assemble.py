"""Assemble: rendered document → page PDFs, edition PDF and manifest.json, written all at once.

Files go to a temporary folder beside the output, which then replaces the old output in one rename:
an earlier good render is never left half-overwritten.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .flow import StoryFit
from .geometry import page_geometry
from .plan import Edition, file_name
from .prepress.finish import Finisher
from .style import HouseStyle


@dataclass(frozen=True)
class Deliverables:
    files: dict[str, bytes]     # file name → PDF bytes
    manifest: dict              # written as manifest.json beside them


def assemble(document, edition: Edition, style: HouseStyle, fits: tuple[StoryFit, ...],
             fonts: list[dict]) -> Deliverables:
    files: dict[str, bytes] = {}
    pages = []
    geometry = page_geometry(style)

    def write(doc, name: str) -> bytes:
        """PDF/X as the house style asks, finished with real bleed, named output intent, fixed ID."""
        return doc.write_pdf(pdf_variant=style.print.pdf_variant,
                             finisher=Finisher(geometry.bleed, style.print, f"{edition.code}/{name}"))

    for index, page in enumerate(document.pages):
        number = index + 1
        name = file_name(edition, style, number)
        data = write(document.copy([page]), name)
        files[name] = data
        pages.append({"page": number, "file": name, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)})
    edition_name = file_name(edition, style, None)
    edition_pdf = write(document, edition_name)
    files[edition_name] = edition_pdf
    manifest = {
        "edition": edition.date.isoformat(),
        "paper": edition.paper,
        "issue": edition.issue,
        "format": edition.format,
        "edition_pdf": edition_name,
        "edition_sha256": hashlib.sha256(edition_pdf).hexdigest(),
        "edition_bytes": len(edition_pdf),
        "pdf_variant": style.print.pdf_variant,
        "output_profile": {"file": str(style.print.profile.path), "sha256": style.print.profile.sha256,
                           "condition": style.print.profile.condition},
        "pages": pages,
        "stories": [{"story": fit.story, "blocks": [asdict(b) for b in fit.blocks],
                     "overset_lines": fit.overset_lines, "underset_lines": fit.underset_lines,
                     "loose_lines": fit.loose_lines} for fit in fits],
        "fonts": fonts,
    }
    return Deliverables(files=files, manifest=manifest)


def write_output(out_dir: Path, deliverables: Deliverables) -> None:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    staging.chmod(0o755)
    try:
        for name, data in deliverables.files.items():
            (staging / name).write_bytes(data)
        manifest = json.dumps(deliverables.manifest, ensure_ascii=False, indent=2) + "\n"
        (staging / "manifest.json").write_text(manifest, encoding="utf-8")
        old = None
        if out_dir.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.rename(out_dir, old / "previous")
        os.rename(staging, out_dir)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
