"""Render: HTML → WeasyPrint document, with a URL fetcher locked to the allowed folders."""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import LayoutError


class _ConvertedResponse(URLFetcherResponse):
    """A response whose body differs from the file: WeasyPrint must not read the file again (it
    re-reads raster images by path when it writes the PDF)."""

    @property
    def path(self):
        return None


class LockedFetcher(URLFetcher):
    """Reads data: URLs and files inside the given roots (after resolving symlinks and '..');
    refuses everything else — no network, nothing else on disk — and remembers what it refused.
    Files under `convert_root` go through `convert(path, bytes) → (bytes, mime)` (graphics to CMYK)."""

    def __init__(self, roots: Iterable[Path], convert_root: Path | None = None,
                 convert: Callable[[Path, bytes], tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.convert_root = convert_root.resolve() if convert_root else None
        self.convert = convert
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                data = path.read_bytes()
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if self.convert and self.convert_root and path.is_relative_to(self.convert_root):
                    data, mime = self.convert(path, data)
                    return _ConvertedResponse(url, body=data, headers={"Content-Type": mime})
                return URLFetcherResponse(url, body=data, headers={"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"refused by the layout URL fetcher: {url}")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def render_document(html: str, base_dir: Path, fetcher: LockedFetcher) -> weasyprint.document.Document:
    """Lay out the edition's HTML. A resource WeasyPrint could not load is an error, not a silent gap."""
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        document = weasyprint.HTML(string=html, base_url=str(base_dir) + "/", url_fetcher=fetcher).render()
    finally:
        logger.removeHandler(collect)
    failures = [m for m in collect.messages if "Failed to load" in m or "cannot be loaded" in m]
    if failures:
        raise LayoutError("rendering could not load: " + "; ".join(failures))
    return document
