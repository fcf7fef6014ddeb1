"""Render: HTML → WeasyPrint document, with a URL fetcher locked to the allowed folders."""
from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .errors import LayoutError


class LockedFetcher(URLFetcher):
    """Reads data: URLs and files inside the given roots (after resolving symlinks and '..');
    refuses everything else — no network, nothing else on disk — and remembers what it refused."""

    def __init__(self, roots: Iterable[Path]):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = tuple(Path(r).resolve() for r in roots)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})
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
