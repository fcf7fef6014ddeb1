"""Render: HTML → WeasyPrint document, with a URL fetcher locked to the allowed folders."""
from __future__ import annotations

import hashlib
import logging
import mimetypes
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Mapping

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import LayoutError
from .reads import ProjectFiles, Read


class _ConvertedResponse(URLFetcherResponse):
    """A response whose body is not the file's (converted, or held in memory): WeasyPrint must not
    read the file again (it re-reads raster images by path when it writes the PDF)."""

    @property
    def path(self):
        return None


class LockedFetcher(ProjectFiles, URLFetcher):
    """Reads data: URLs and files inside the given roots (after resolving symlinks and '..');
    refuses everything else — no network, nothing else on disk — and remembers, in `missing`, what
    it refused and what it could not read, with why, and in `reads` every file asked for by its
    content: what the page cache keys a page by (it reads what the page read, transitively: an SVG's
    pictures, nested SVGs, the output profile).
    Files under `convert_root` go through `convert(path, bytes) → (bytes, mime)` (graphics to CMYK).
    `held` answers URLs from memory (the font subsets), before any file is looked at."""

    def __init__(self, roots: Iterable[Path], convert_root: Path | None = None,
                 convert: Callable[[Path, bytes], tuple[bytes, str]] | None = None,
                 held: Mapping[str, bytes] | None = None):
        URLFetcher.__init__(self, allowed_protocols={"file", "data"})
        ProjectFiles.__init__(self, roots)
        self.held = dict(held or {})
        self.convert_root = convert_root.resolve() if convert_root else None
        self.convert = convert
        self.missing: list[tuple[str, str]] = []      # (URL, why), for the editor
        self.reads: list[Read] = []                   # every file asked for, and what it held

    def fetch(self, url, headers=None):
        if url in self.held:
            return _ConvertedResponse(url, body=self.held[url],
                                      headers={"Content-Type": mimetypes.guess_type(url)[0]})
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = self._file(url)
            try:
                data = path.read_bytes() if path is not None else None
            except OSError:
                data = None
            self.reads.append(Read(self.where(url), hashlib.sha256(data).hexdigest() if data is not None else None))
            if data is not None:
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if self.convert and self.convert_root and path.is_relative_to(self.convert_root):
                    try:
                        data, mime = self.convert(path, data)
                    except Exception as exc:     # Pillow raises many kinds for a damaged picture
                        self.missing.append((url, f"cannot be read as a picture: {exc} (export it again as JPEG or PNG)"))
                        raise ValueError(f"unreadable picture: {url}") from None
                    return _ConvertedResponse(url, body=data, headers={"Content-Type": mime})
                return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})
        self.missing.append((url, "is not a file inside the edition (copy what it shows into the edition "
                                  "folder and refer to it from there)"))
        raise ValueError(f"refused by the layout URL fetcher: {url}")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


# The rules of WeasyPrint's HTML user-agent stylesheet (weasyprint/css/html5_ua.css) that can touch
# the elements a page is built of (html, head, meta, title, style, body, section, div, span, img),
# verbatim (of @page only its margin: a page has no margin boxes, footnotes or notes). WeasyPrint
# matches every element against all 250 rules of its own, many of them attribute and descendant
# selectors that no index narrows: on a dense page that was a third of the cascade (0.4 s of 1.3).
# The cascade, and so every page, is byte for byte the same with these.
PAGE_UA_STYLESHEET = """
head, meta, style, title { display: none }
body, div, html, section { display: block }
body { margin: 8px }
html { color-scheme: light }
img { overflow: hidden }
@page { margin: 75px }
"""
@lru_cache(maxsize=1)
def _page_ua() -> weasyprint.CSS:
    return weasyprint.CSS(string=PAGE_UA_STYLESHEET)      # parsed once per process


class PageHTML(weasyprint.HTML):
    """A page's HTML, cascaded with PAGE_UA_STYLESHEET for WeasyPrint's user-agent stylesheet."""

    def _ua_stylesheets(self, forms=False):
        return [_page_ua()]


def render_document(html: str, base_dir: Path, fetcher: LockedFetcher) -> weasyprint.document.Document:
    """Lay out the edition's HTML. A resource WeasyPrint could not load is an error, not a silent gap;
    one the fetcher refused or could not read is in its `missing`, for the caller to name."""
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        document = PageHTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher).render()
    finally:
        logger.removeHandler(collect)
    failures = [m for m in collect.messages if ("Failed to load" in m or "cannot be loaded" in m)
                and not any(url in m for url, _ in fetcher.missing)]
    if failures:
        raise LayoutError("rendering could not load: " + "; ".join(failures))
    return document
