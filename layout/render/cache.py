"""A content-addressed cache of rendered pages: the page file's bytes with its check results, under
a key made of everything that reaches the page. A page whose key is known is not rendered again;
its bytes are the ones a fresh render would write (the render is deterministic).

The key covers the page's HTML (its text, positions, the CSS, the URLs of its font subsets, which
name their content), the print settings and page geometry, the file name (the document ID derives
from it), its advertisements and the engine itself: the source of every module of this package and
the versions of the libraries that draw, write and check. It names no folder (the locations of the
edition and the output profile are replaced by their place in the fetcher's roots), so a cache
copied to another folder or shared between machines still hits. What the page reads from files —
pictures, what an SVG refers to, nested SVGs, the output profile — the entry lists, by content, as
the URL fetcher served it: the page is taken from the cache only while each file still holds the
same bytes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..check.problem import Problem
from ..check.typography import PdfGlyph
from ..cachefile import cache_dir, read_cache_file, write_cache_file
from .reads import Read


def _folder() -> Path:
    return cache_dir() / "pages"


@dataclass(frozen=True)
class CachedPage:
    """A cache entry: the page file and its check results, and the files the page read (it is the
    page of its key while each still holds what it held)."""

    pdf: bytes
    problems: list[Problem]
    glyphs: list[PdfGlyph]
    missing: list[tuple[tuple[int, str], str]]   # what the fetcher did not get: (where, why), where
                                                 # as LockedFetcher.where gives it (the same wherever
                                                 # the project is; the URL of another copy would not be)
    reads: list[Read]


def load(key: str) -> CachedPage | None:
    """The entry of `key`, or None when there is none or it is not whole (rendered again, not
    trusted)."""
    data = read_cache_file(_folder() / f"{key}.page")
    if data is None:
        return None
    try:
        size = int.from_bytes(data[:8], "big")
        record = json.loads(data[8:8 + size])
        pdf = data[8 + size:]
        page = CachedPage(pdf, [Problem(**problem) for problem in record["problems"]],
                          [PdfGlyph(*glyph) for glyph in record["glyphs"]],
                          [((int(index), str(below)), str(why)) for (index, below), why in record["missing"]],
                          [Read((int(index), str(below)), digest if digest is None else str(digest))
                           for (index, below), digest in record["reads"]])
    except Exception:          # an entry of another version or forged: whatever it holds, a miss
        return None
    return page if pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:] else None


def store(key: str, pdf: bytes, problems: list[Problem], glyphs: list[PdfGlyph],
          missing: list[tuple[tuple[int, str], str]], reads: list[Read]) -> None:
    record = json.dumps({"problems": [p.as_json() for p in problems],
                         "glyphs": [[g.char, g.x, g.baseline, g.role] for g in glyphs],
                         "missing": [[list(where), why] for where, why in missing],
                         "reads": [[list(read.where), read.sha256] for read in reads]},
                        ensure_ascii=False).encode()
    write_cache_file(_folder() / f"{key}.page", len(record).to_bytes(8, "big") + record + pdf)
