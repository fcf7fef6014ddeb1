"""Benchmark: the 16-page benchmark edition (benchmarks/editions/2020-07-01, made by
scripts/make_bench_edition.py), and the 2-page sample, rendered by `layout render` in whole
processes, beside Typst setting the same pages (the same blocks on the same grid, the same text and
fonts; Typst breaks and justifies the lines its own way).

Prints, for each edition and each way a night renders:
  cold       empty caches
  warm       font subsets cached, nothing else: every story composed, every page laid out, written
             and checked
  unchanged  nothing changed since the last render: answered from its render record
  pages cached  no render record: the edition laid out again (its compositions kept), every page
             from the page cache
  edit       one story edited: that story composed again, only its pages rendered
wall and CPU seconds, peak memory of the largest process, the stages (`--timings`), and the ratio to
Typst; then seconds per page for 4, 8 and 16 pages (warm). First it times the densest page alone,
beside WeasyPrint's floor for the same text (see dense_page). It asserts nothing.

Typst comes from typst-py, a benchmark-only dependency pinned in requirements-bench.lock; this
script installs it into .venv when it is missing.

Usage: .venv/bin/python scripts/bench.py [--jobs N] [--runs N]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
BENCH = (REPO / "benchmarks" / "editions" / "2020-07-01", "p01b")      # the edition, the story edited
SAMPLE = (REPO / "editions" / "2020-05-15", "sewage")
FONT_FOLDERS = ["/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/lxgw-wenkai"]
sys.path.insert(0, str(REPO))

from layout.geometry import page_geometry  # noqa: E402
from layout.style import load_style  # noqa: E402


def typst_module():
    try:
        import typst
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
                        str(REPO / "requirements-bench.lock")], check=True)
        import typst
    return typst


# Runs a command and writes the peak memory of its largest process. A process forked from this one
# counts this one's memory as its own (Linux keeps the peak across exec), so the render is started
# from a small process of its own.
LAUNCHER = """import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(code)"""


class Run:
    """One `layout render` in a process of its own: wall and CPU time, peak memory, stage times."""

    def __init__(self, root: Path, date: str, cache: Path, jobs: int):
        command = [str(REPO / ".venv" / "bin" / "layout"), "--root", str(root), "render", date, "--timings",
                   "--jobs", str(jobs)]
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
                tempfile.NamedTemporaryFile("r") as peak:
            started = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-c", LAUNCHER, peak.name, *command], stdout=out, stderr=err,
                                       env=dict(os.environ, LAYOUT_CACHE_DIR=str(cache)), text=True)
            _, status, usage = os.wait4(process.pid, 0)      # this render's own resources, its workers' too
            process.returncode = os.waitstatus_to_exitcode(status)
            self.wall = time.perf_counter() - started
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
            self.peak_mib = int(peak.read() or 0) / 1024     # the largest process of the render (a worker or the main one)
        if process.returncode != 0:
            sys.exit(f"layout render failed:\n{stderr[-2000:]}")
        self.cpu = usage.ru_utime + usage.ru_stime
        self.stages = {m.group(1): float(m.group(2))
                       for m in re.finditer(r"^(\w+)\s+(\d+\.\d+)$", stdout, re.M)}
        match = re.search(r"pages rendered / from cache\s+(\d+) / (\d+)", stdout)
        self.rendered, self.cached = int(match.group(1)), int(match.group(2))


def project(folder: Path, source: Path, pages: int | None = None) -> Path:
    """A project with an edition, cut to its first `pages` pages if asked (the benchmark edition's
    stories jump from odd to even pages only, so an even cut keeps every thread whole)."""
    for name in ("styles", "fonts"):
        shutil.copytree(REPO / name, folder / name)
    edition = folder / "editions" / source.name
    shutil.copytree(source, edition)
    if pages is not None:
        plan = yaml.safe_load((edition / "edition.yaml").read_text(encoding="utf-8"))
        plan["pages"] = plan["pages"][:pages]
        (edition / "edition.yaml").write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False),
                                              encoding="utf-8")
    return folder


def typst_source(root: Path, date: str) -> str:
    """The edition's pages in Typst: each story in its block (headline, then the body in the block's
    columns), each picture in its block, on pages of the same size."""
    style = load_style(root / "styles", "broadsheet")
    geometry = page_geometry(style)
    plan = yaml.safe_load((root / "editions" / date / "edition.yaml").read_text(encoding="utf-8"))
    out = [f"#set page(width: {geometry.trim_width}pt, height: {geometry.trim_height}pt, margin: 0pt)",
           '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")',
           "#set par(justify: true, leading: 2.25pt, first-line-indent: (amount: 2em, all: true))"]
    for index, page in enumerate(plan["pages"]):
        if index:
            out.append("#pagebreak()")
        for block in page["blocks"]:
            rect = geometry.grid_rect(block["col"], block["cols"], block["line"], block["lines"])
            place = (f"#place(top + left, dx: {geometry.type_left + rect.x:.3f}pt, "
                     f"dy: {geometry.type_top + rect.y:.3f}pt, block(width: {rect.width:.3f}pt, "
                     f"height: {rect.height:.3f}pt, clip: true)[")
            if "image" in block:
                out.append(place + f'#image("editions/{date}/{block["image"]}", width: 100%)])')
                continue
            if "story" not in block:      # an index or an ad: nothing Typst is measured on
                continue
            text = (root / "editions" / date / "stories" / f"{block['story']}.md").read_text(encoding="utf-8")
            _, front, body = text.split("---", 2)
            headline = re.search(r"^headline: (.+)$", front, re.M).group(1)
            paragraphs = [p.strip().replace("\n", "") for p in re.split(r"\n\s*\n", body) if p.strip()]
            out.append(place + '#align(center, text(font: "Noto Sans CJK SC", weight: "bold", size: 22pt, '
                       f"{_string(headline)}))\n#columns({block['cols']}, gutter: {geometry.gutter:.3f}pt)["
                       + "".join(f"#par({_string(p)})" for p in paragraphs) + "]])")
    return "\n".join(out)


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_seconds(root: Path, date: str, runs: int) -> float:
    """Typst compiling the pages, a whole process each time (as `layout render` is), median of runs."""
    typst_module()
    source = root / "edition.typ"
    source.write_text(typst_source(root, date), encoding="utf-8")
    code = (f"import typst; typst.compile({str(source)!r}, output={str(root / 'edition-typst.pdf')!r}, "
            f"root={str(root)!r}, font_paths={FONT_FOLDERS!r}, ignore_system_fonts=True)")
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def clear_renders(cache: Path) -> None:
    """Everything but the font subsets: no page, render record or composition of an earlier render."""
    for kept in ("pages", "renders", "compositions"):
        shutil.rmtree(cache / kept, ignore_errors=True)


def measure(folder: Path, edition: tuple[Path, str], jobs: int, runs: int) -> None:
    """Cold, warm (median of runs), unchanged, pages-cached and edit renders of an edition, with
    Typst beside."""
    source, story_edited = edition
    date = source.name
    root = project(folder, source)
    cache = folder / "cache"
    typst = typst_seconds(root, date, runs)
    cold = Run(root, date, cache, jobs)
    warm = []
    for _ in range(runs):
        clear_renders(cache)
        warm.append(Run(root, date, cache, jobs))
    warm.sort(key=lambda run: run.wall)
    unchanged = Run(root, date, cache, jobs)
    shutil.rmtree(cache / "renders")
    pages_cached = Run(root, date, cache, jobs)
    story = root / "editions" / date / "stories" / f"{story_edited}.md"
    text = story.read_text(encoding="utf-8")
    body = text.index("---", 3)
    story.write_text(text[:body] + text[body:].replace("区", "县", 1), encoding="utf-8")
    edit = Run(root, date, cache, jobs)
    print(f"{date}: {cold.rendered} pages, {jobs} jobs; Typst {typst_module().__version__} sets the same pages in "
          f"{typst:.2f} s (a whole process, median of {runs})")
    print(f"{'render':<13} {'wall s':>7} {'cpu s':>7} {'peak MiB':>9} {'pages':>13} {'× Typst':>8}  stages (s)")
    for label, run in (("cold", cold), ("warm", warm[len(warm) // 2]), ("unchanged", unchanged),
                       ("pages cached", pages_cached), ("edit", edit)):
        stages = " ".join(f"{stage} {seconds:.2f}" for stage, seconds in run.stages.items())
        print(f"{label:<13} {run.wall:7.2f} {run.cpu:7.2f} {run.peak_mib:9.0f} "
              f"{f'{run.rendered} + {run.cached} cached':>13} {run.wall / typst:8.1f}  {stages}")


def _cpu_best(work, runs: int) -> float:
    """The least CPU time of `runs` calls of work()."""
    best = None
    for _ in range(runs):
        started = time.process_time()
        work()
        spent = time.process_time() - started
        best = spent if best is None else min(best, spent)
    return best


def dense_page(folder: Path, runs: int) -> None:
    """The densest page of the benchmark edition in this process: our whole page (laid out, written,
    checked) and WeasyPrint alone on its HTML, beside WeasyPrint's floor — the same HTML with every
    span taken out, so each column is plain lines of text in one block (the same glyphs, none
    placed by the engine)."""
    from layout.fonts import load_fonts
    from layout.pipeline import _page_job
    from layout.prepare import Project, Timings, plan_and_flow
    from layout.render.fetch import render_document
    from layout.render.pages import _fetcher, render_page
    from layout.render.written import LEAD

    root = project(folder, BENCH[0])
    proj = Project(root)
    faces, metrics = load_fonts(proj.fonts)
    edition, style, geometry, flow, _ = plan_and_flow(proj, BENCH[0].name, faces, metrics, Timings())
    page = max(flow.pages, key=lambda p: sum(len(b.lines) for b in p.blocks))
    job = _page_job(proj, edition, style, geometry, metrics, faces, page)
    floor_html = re.sub(r"</?span[^>]*>", "", job.html).replace(LEAD, "")

    def paint(html: str):
        return lambda: render_document(html, job.base_dir, _fetcher(job)).write_pdf()

    ours = _cpu_best(lambda: render_page(job), runs)
    painter = _cpu_best(paint(job.html), runs)
    floor = _cpu_best(paint(floor_html), runs)
    lines = sum(len(b.lines) for b in page.blocks)
    print(f"dense page (page {page.number} of {BENCH[0].name}: {lines} lines, {job.html.count('<span')} spans), "
          f"CPU best of {runs}:")
    print(f"  ours {ours:.2f} s (WeasyPrint on our HTML {painter:.2f} s), WeasyPrint's floor {floor:.2f} s: "
          f"{painter / floor:.1f}× the floor")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--runs", type=int, default=3, help="runs per warm figure (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="layout-bench-") as tmp:
        tmp = Path(tmp)
        dense_page(tmp / "dense", args.runs)
        measure(tmp / "bench", BENCH, args.jobs, args.runs)
        measure(tmp / "sample", SAMPLE, args.jobs, args.runs)
        print("scaling (warm, every page rendered):")
        for pages in (4, 8, 16):
            scaled = project(tmp / f"s{pages}", BENCH[0], pages)
            cache = tmp / f"cache-{pages}"
            Run(scaled, BENCH[0].name, cache, args.jobs)                 # subsets made
            clear_renders(cache)
            run = Run(scaled, BENCH[0].name, cache, args.jobs)
            typst = typst_seconds(scaled, BENCH[0].name, 1)
            print(f"  {pages:2d} pages: {run.wall:6.2f} s, {run.wall / pages:.2f} s a page "
                  f"(Typst {typst:.2f} s, {typst / pages:.2f} s a page)")


if __name__ == "__main__":
    main()
