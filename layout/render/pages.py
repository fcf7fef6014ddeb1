"""Pages rendered one WeasyPrint document each, in a pool of worker processes: the flow is edition-
wide and decided before, so a page needs nothing but its own HTML. Each worker writes its page file
once — PDF/X, finished for print — and checks it right away (print preflight, and the glyphs the
typographic preflight judges), so no byte is laid out, written or read twice. A page whose key is
in the cache is taken from there."""
from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Mapping, Sequence

from ..check.preflight import check_pdf
from ..check.problem import Problem
from ..check.pdftext import glyphs_of_pages
from ..check.typography import PdfGlyph
from ..fonts import FAMILY_PREFIX
from ..geometry import PageGeometry
from ..prepress.colour import convert_image
from ..prepress.ads import place_ads
from ..prepress.finish import Finisher
from ..style import PrintSpec
from . import cache
from .fetch import LockedFetcher, render_document


@dataclass(frozen=True)
class PageJob:
    """Everything one page's render needs (it crosses to a worker process)."""

    number: int
    name: str                       # the page file's name; its document ID derives from it
    html: str
    base_dir: Path
    roots: tuple[Path, ...]         # what the URL fetcher may read
    fonts: Mapping[str, bytes]      # the font subsets by URL, served from memory
    convert_root: Path              # graphics under here are converted for print
    spec: PrintSpec
    geometry: PageGeometry
    identity: str                   # e.g. "gzb/gzb-20200515-01.pdf"
    roles: tuple[str, ...]          # font roles, to tell the edition's glyphs apart
    key: str                        # the page's cache key
    ads: tuple[tuple[bytes, tuple[float, float, float, float]], ...] = ()   # PDF and frame on the trim


@dataclass(frozen=True)
class PageResult:
    number: int
    name: str
    pdf: bytes
    problems: tuple[Problem, ...]   # the print preflight of the page file
    glyphs: tuple[PdfGlyph, ...]    # what the typographic preflight judges
    missing: tuple[tuple[str, str], ...]   # (URL, why) the fetcher refused or could not read
    cached: bool
    seconds: float


def render_page(job: PageJob) -> PageResult:
    """Lay out, write and finish one page, place its advertisements, and check it."""
    started = time.perf_counter()
    fetcher = LockedFetcher(job.roots, convert_root=job.convert_root, convert=partial(convert_image, spec=job.spec),
                            held=job.fonts)
    document = render_document(job.html, job.base_dir, fetcher)
    pdf = document.write_pdf(pdf_variant=job.spec.pdf_variant,
                             finisher=Finisher(job.geometry.bleed, job.spec, job.identity))
    if job.ads:
        pdf = place_ads(pdf, job.ads)
    problems = check_pdf(pdf, job.name, job.geometry, 1, FAMILY_PREFIX, job.spec)
    glyphs = glyphs_of_pages(pdf, job.number, job.geometry, job.roles)[job.number]
    cache.store(job.key, pdf, problems, glyphs, fetcher.missing)
    return PageResult(job.number, job.name, pdf, tuple(problems), tuple(glyphs), tuple(fetcher.missing),
                      cached=False, seconds=time.perf_counter() - started)


def render_pages(jobs: Sequence[PageJob], workers: int,
                 progress: Callable[[PageResult, int], None] | None = None) -> list[PageResult]:
    """Every page, from the cache or rendered by `workers` processes; in page order whatever the
    number of workers (and byte for byte the same)."""
    results: dict[int, PageResult] = {}

    def done(result: PageResult) -> None:
        results[result.number] = result
        if progress is not None:
            progress(result, len(jobs))

    missing = []
    for job in jobs:
        started = time.perf_counter()
        hit = cache.load(job.key)
        if hit is None:
            missing.append(job)
            continue
        pdf, problems, glyphs, not_got = hit
        done(PageResult(job.number, job.name, pdf, tuple(problems), tuple(glyphs), tuple(not_got), cached=True,
                        seconds=time.perf_counter() - started))
    if workers > 1 and len(missing) > 1:
        # fork: the workers start with the engine and WeasyPrint already imported.
        with ProcessPoolExecutor(max_workers=min(workers, len(missing)),
                                 mp_context=multiprocessing.get_context("fork")) as pool:
            for result in pool.map(render_page, missing):
                done(result)
    else:
        for job in missing:
            done(render_page(job))
    return [results[job.number] for job in jobs]
