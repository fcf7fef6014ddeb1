"""Render: the files a page may read — inside the project's roots, named the same wherever the
project is — and what they hold. No WeasyPrint here: a page from the cache is checked by these
alone (fetch.py reads the files for WeasyPrint)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, NamedTuple
from urllib.parse import urlsplit
from urllib.request import url2pathname

from ..cachefile import file_digest


def _bases(roots: Iterable[Path]) -> tuple[Path, ...]:
    """The roots as the page's URLs name them: absolute, symlinks not resolved."""
    return tuple(Path(os.path.abspath(root)) for root in roots)


def portable(text: str, roots: Iterable[Path]) -> str:
    """`text` with the roots' locations replaced by their index among the fetcher's roots, so that
    what names the page's files (its HTML, the print settings) is the same wherever the project is."""
    for index, base in sorted(enumerate(_bases(roots)), key=lambda b: -len(str(b[1]))):
        text = text.replace(base.as_uri(), f"root{index}:").replace(str(base), f"root{index}:")
    return text


class Read(NamedTuple):
    """A file the fetcher was asked for, where it is (see LockedFetcher.where), and the SHA-256 of
    what it held (None: refused or unreadable). A page is the same while all its reads are."""

    where: tuple[int, str]
    sha256: str | None


class ProjectFiles:
    """Files inside the given roots (after resolving symlinks and '..'), by file: URL."""

    def __init__(self, roots: Iterable[Path]):
        self.bases = _bases(roots)
        self.roots = tuple(base.resolve() for base in self.bases)

    def _file(self, url: str) -> Path | None:
        """The file a file: URL names, if it is a regular file inside the roots (after resolving
        symlinks and '..')."""
        path = Path(url2pathname(urlsplit(url).path)).resolve()
        return path if any(path.is_relative_to(root) for root in self.roots) and path.is_file() else None

    def where(self, url: str) -> tuple[int, str]:
        """A file: URL as (index of the root it names a file under, path below that root): the
        same on every machine and in every folder the project is copied to. (-1, the URL) for a
        URL under no root."""
        path = os.path.normpath(url2pathname(urlsplit(url).path))
        for index, base in enumerate(self.bases):
            if path == str(base) or path.startswith(str(base) + os.sep):
                return index, os.path.relpath(path, base)
        return -1, url

    def url(self, where: tuple[int, str]) -> str:
        index, below = where
        return below if index < 0 else (self.bases[index] / below).as_uri()

    def paths(self, places: Iterable[tuple[int, str]]) -> tuple[Path, ...]:
        """The files at these places (as `where` gives them), those under a root."""
        return tuple(self.bases[index] / below for index, below in places if index >= 0)

    def digest(self, url: str) -> str | None:
        """The SHA-256 of the file a URL would be served from now; None if it would be refused."""
        path = self._file(url)
        return None if path is None else file_digest(path)

