"""A content-addressed cache of rendered pages: the page file's bytes with its check results, under
a key made of everything that reaches the page. A page whose key is known is not rendered again;
its bytes are the ones a fresh render would write (the render is deterministic).

The key covers the page's HTML (its text, positions, the CSS, the URLs of its font subsets, which
name their content), the contents of the pictures it shows, the print settings and page geometry,
the file name (the document ID derives from it) and the engine itself: the source of every module
of this package and the versions of the libraries that draw, write and check.
"""
from __future__ import annotations

import hashlib
import json
import sys
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from ..check.problem import Problem
from ..check.typography import PdfGlyph
from ..fonts import cache_dir, read_cache_file, write_cache_file

LIBRARIES = ("weasyprint", "pydyf", "pypdf", "pypdfium2", "fonttools", "uharfbuzz", "pillow")


@lru_cache(maxsize=1)
def engine_version() -> str:
    """A digest of this engine's code and the libraries it renders and checks with."""
    digest = hashlib.sha256(sys.version.encode())
    for library in LIBRARIES:
        digest.update(f"{library}={metadata.version(library)}\0".encode())
    package = Path(__file__).resolve().parent.parent
    for source in sorted(package.rglob("*.py")):
        digest.update(str(source.relative_to(package)).encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def page_key(*parts: str | bytes) -> str:
    digest = hashlib.sha256(engine_version().encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _folder() -> Path:
    return cache_dir() / "pages"


def load(key: str) -> tuple[bytes, list[Problem], list[PdfGlyph], list[tuple[str, str]]] | None:
    """A cached page: (PDF bytes, print problems, glyphs, what the fetcher did not get), or None (also when an entry
    is damaged: it is rendered again, not trusted)."""
    pdf, facts = read_cache_file(_folder() / f"{key}.pdf"), read_cache_file(_folder() / f"{key}.json")
    if pdf is None or facts is None:
        return None
    record = json.loads(facts)
    return (pdf, [Problem(**problem) for problem in record["problems"]],
            [PdfGlyph(*glyph) for glyph in record["glyphs"]],
            [(url, why) for url, why in record["missing"]])


def store(key: str, pdf: bytes, problems: list[Problem], glyphs: list[PdfGlyph],
          missing: list[tuple[str, str]]) -> None:
    record = {"problems": [p.as_json() for p in problems],
              "glyphs": [[g.char, g.x, g.baseline, g.role] for g in glyphs], "missing": missing}
    write_cache_file(_folder() / f"{key}.pdf", pdf)
    write_cache_file(_folder() / f"{key}.json", json.dumps(record, ensure_ascii=False).encode())
