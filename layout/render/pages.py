"""Pages rendered one WeasyPrint document each, in a pool of worker processes: the flow is edition-
wide and decided before, so a page needs nothing but its own HTML. Each worker writes its page file
once — PDF/X, finished for print — and checks it right away (print preflight, and the glyphs the
typographic preflight judges), so no byte is laid out, written or read twice. A page whose key is
in the cache is taken from there. A worker that dies has its page painted again, once; Ctrl-C stops
every worker at once, and a worker dies with the main process."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Mapping, Sequence

from ..cachefile import cache_dir, cache_key, read_cache_file, scratch_folder, sweep_temporary_files, write_cache_file
from ..check.preflight import check_pdf
from ..check.problem import Problem
from ..check.pdftext import glyphs_of_pages
from ..check.typography import PdfGlyph
from ..errors import LayoutError
from ..fonts import FAMILY_PREFIX
from ..geometry import PageGeometry
from ..prepress.colour import convert_image
from ..prepress.ads import place_ads
from ..prepress.finish import Finisher
from ..style import PrintSpec
from . import cache
from .reads import ProjectFiles

PR_SET_PDEATHSIG = 1          # prctl(2)


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
    reads: tuple[Path, ...]         # the files the page read (pictures, what they refer to, profiles)
    cached: bool
    seconds: float


def render_page(job: PageJob) -> PageResult:
    """Lay out, write and finish one page, place its advertisements, and check it."""
    from .fetch import render_document       # WeasyPrint, imported only where a page is painted
    started = time.perf_counter()
    fetcher = _fetcher(job)
    document = render_document(job.html, job.base_dir, fetcher)
    pdf = document.write_pdf(pdf_variant=job.spec.pdf_variant,
                             finisher=Finisher(job.geometry.bleed, job.spec, job.identity))
    if job.ads:
        pdf = place_ads(pdf, job.ads)
    problems = check_pdf(pdf, job.name, job.geometry, 1, FAMILY_PREFIX, job.spec)
    glyphs = glyphs_of_pages(pdf, job.number, job.geometry, job.roles)[job.number]
    cache.store(job.key, pdf, problems, glyphs, [(fetcher.where(url), why) for url, why in fetcher.missing],
                fetcher.reads)
    return PageResult(job.number, job.name, pdf, tuple(problems), tuple(glyphs), tuple(fetcher.missing),
                      fetcher.paths(read.where for read in fetcher.reads), cached=False, seconds=time.perf_counter() - started)


def _fetcher(job: PageJob):
    from .fetch import LockedFetcher
    return LockedFetcher(job.roots, convert_root=job.convert_root, convert=partial(converted_picture, spec=job.spec),
                         held=job.fonts)


def converted_picture(path: Path, data: bytes, spec: PrintSpec) -> tuple[bytes, str]:
    """convert_image, kept in the cache by everything that decides it (the picture's bytes, its
    kind, the profiles and the ink limit): a newsroom's photos run to megabytes, take a second or
    more each to convert, and pass through every render of the night."""
    key = cache_key("picture", data, "svg" if path.suffix.lower() == ".svg" else "raster",
                    spec.profile.sha256, spec.untagged_cmyk.sha256, repr(spec.ink_limit_percent))
    entry = cache_dir() / "pictures" / f"{key}.picture"
    stored = read_cache_file(entry)
    if stored is not None and b"\n" in stored:
        mime, _, converted = stored.partition(b"\n")
        return converted, mime.decode("ascii", "replace")
    converted, mime = convert_image(path, data, spec)
    write_cache_file(entry, mime.encode("ascii") + b"\n" + converted)
    return converted, mime


def cached_page(job: PageJob) -> PageResult | None:
    """The page from the cache: its entry, if every file the page read still holds what it held."""
    started = time.perf_counter()
    entry = cache.load(job.key)
    if entry is None:
        return None
    files = ProjectFiles(job.roots)
    if any(files.digest(files.url(read.where)) != read.sha256 for read in entry.reads):
        return None
    return PageResult(job.number, job.name, entry.pdf, tuple(entry.problems), tuple(entry.glyphs),
                      tuple((files.url(where), why) for where, why in entry.missing),
                      files.paths(read.where for read in entry.reads), cached=True,
                      seconds=time.perf_counter() - started)


def render_pages(jobs: Sequence[PageJob], workers: int,
                 progress: Callable[[PageResult, int], None] | None = None,
                 looked_up: Mapping[int, PageResult | None] | None = None) -> list[PageResult]:
    """Every page, from the cache or rendered by `workers` processes; in page order whatever the
    number of workers (and byte for byte the same). `looked_up`: what the page cache gave for some
    of the jobs already (by page number), not asked again."""
    results: dict[int, PageResult] = {}

    def done(result: PageResult) -> None:
        results[result.number] = result
        if progress is not None:
            progress(result, len(jobs))

    sweep_temporary_files()
    missing = []
    looked_up = looked_up or {}
    for job in jobs:
        hit = looked_up[job.number] if job.number in looked_up else cached_page(job)
        if hit is None:
            missing.append(job)
        else:
            done(hit)
    if workers > 1 and len(missing) > 1:
        left = _in_workers(missing, workers, done)
        if left:
            # Its worker died (killed, out of memory): once more, alone in a fresh worker, so that a
            # page that kills every worker is named.
            left = _in_workers(left, 1, done)
        if left:
            raise LayoutError(f"page {left[0].number}: the worker process painting it died twice (killed by "
                              "someone, or out of memory); close other programs and render again, or render "
                              "with --jobs 1")
    else:
        for job in missing:
            done(render_page(job))
    return [results[job.number] for job in jobs]


def _in_workers(jobs: Sequence[PageJob], workers: int, done: Callable[[PageResult], None]) -> list[PageJob]:
    """Render the pages in worker processes (fork: they start with the engine and WeasyPrint already
    imported); returns those whose worker died. Ctrl-C stops every worker at once; an error in a
    page stops the render once the pages being painted are done."""
    folder = scratch_folder()
    try:
        pool = ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                   mp_context=multiprocessing.get_context("fork"),
                                   initializer=_worker_started, initargs=(os.getpid(), folder))
        try:
            # The workers are forked when the pages are submitted: they must not get a Ctrl-C before
            # they have said that it is not theirs.
            masked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                futures = [pool.submit(_render_to_file, folder, job) for job in jobs]
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, masked)
            died = []
            for job, future in zip(jobs, futures):
                try:
                    done(pickle.loads(future.result().read_bytes()))
                except BrokenProcessPool:
                    died.append(job)
        except Exception:
            pool.shutdown(cancel_futures=True)        # an error in a page: the others finish theirs first
            raise
        except BaseException:                         # Ctrl-C: at once
            for worker in multiprocessing.active_children():
                worker.kill()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return died


def _render_to_file(folder: Path, job: PageJob) -> Path:
    """render_page in a worker. The page goes back as a file and the pipe carries only its name: a
    message that short is written whole or not at all, so a worker killed while handing its page
    back cannot leave the pool waiting for the rest of the message for ever."""
    path = folder / f"{job.number}.result"
    path.write_bytes(pickle.dumps(render_page(job), protocol=pickle.HIGHEST_PROTOCOL))
    return path


def _worker_started(parent: int, folder: Path) -> None:
    """A worker leaves Ctrl-C to the main process (which stops it: no traceback from a worker), and
    dies with it (Linux: the parent-death signal), even when the main process is killed. Its
    temporary files go into the render's scratch folder: WeasyPrint leaves a folder of fonts to be
    removed when its document is collected, which a worker's exit never waits for."""
    tempfile.tempdir = str(folder)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (AttributeError, OSError):         # not Linux: the pipe to the main process closing ends it
        pass
    if os.getppid() != parent:                # the main process died before the signal was asked for
        os._exit(1)
