"""Benchmark: the composer — total fit (all breaks of a paragraph chosen together) beside greedy
line-by-line filling — on the sample, torture, narrow-column and narrow mixed-copy editions.

For each edition and each way of breaking: the seconds the flow takes (it composes every paragraph
of every block, jump and fit report included; median of --runs), body characters set per second,
and what the pages get: lines, lines the composer had to flag loose, lines with a gap between two Han
characters wider than the house style's `spread_gap_em`. Then a warm render (`layout render --timings`, font subsets cached,
no page cached) and the share of it total fit takes. It asserts nothing.

Usage: .venv/bin/python scripts/bench_compose.py [--runs N]
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from layout.compose import paragraph  # noqa: E402
from layout.compose import totalfit  # noqa: E402
from layout.fonts import load_fonts  # noqa: E402
from layout.geometry import page_geometry  # noqa: E402
from layout.flow import flow_edition  # noqa: E402
from layout.pipeline import Project, Timings, plan_and_flow  # noqa: E402
from layout.plan import load_edition  # noqa: E402
from layout.text import Paragraph, is_han  # noqa: E402

EDITIONS = [("sample", REPO / "editions", "2020-05-15"), ("torture", REPO / "tests" / "editions", "2020-06-01"),
            ("narrow", REPO / "tests" / "editions", "2020-06-04"), ("mixed", REPO / "tests" / "editions", "2020-06-06")]


def _greedy(units, measure, first_indent, rules):
    return paragraph._line_by_line(units, measure, first_indent, rules)


def _flow_figures(editions: Path, date: str, metrics, runs: int) -> tuple[float, int, int, int, int]:
    """Median flow seconds, body characters, body lines, loose lines, spread lines."""
    edition, style = load_edition(editions, date, REPO / "styles")
    geometry = page_geometry(style)
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        flow = flow_edition(edition, style, geometry, metrics)
        seconds.append(time.perf_counter() - started)
    characters = sum(len(item.text) for story in edition.stories.values() for item in story.items
                     if isinstance(item, Paragraph))
    spread_limit = style.punctuation.spread_gap * 1000
    lines = loose = spread = 0
    for page in flow.pages:
        for block in page.blocks:
            for placed in block.lines:
                if placed.kind != "body":
                    continue
                line = placed.line
                lines += 1
                loose += line.loose
                gaps = [b.x - a.x - a.advance for a, b in zip(line.glyphs, line.glyphs[1:])
                        if is_han(a.char) and is_han(b.char)]
                spread += not line.last and any(gap > spread_limit + 1e-6 for gap in gaps)
    return statistics.median(seconds), characters, lines, loose, spread


def _warm_render_seconds(editions: Path, date: str) -> float:
    """A whole `layout render` with font subsets cached and no page cached."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("styles", "fonts"):
            shutil.copytree(REPO / name, root / name)
        shutil.copytree(editions / date, root / "editions" / date)
        environment = dict(os.environ, LAYOUT_CACHE_DIR=str(root / "cache"))
        command = [str(REPO / ".venv" / "bin" / "layout"), "--root", str(root), "render", date]
        subprocess.run(command, env=environment, check=True, capture_output=True)        # subsets
        shutil.rmtree(root / "cache" / "pages")
        started = time.perf_counter()
        subprocess.run(command, env=environment, check=True, capture_output=True)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="flows per figure (median)")
    args = parser.parse_args()
    faces, metrics = load_fonts(REPO / "fonts")
    total_fit = paragraph.total_fit
    print(f"{'edition':<9} {'breaking':<10} {'flow s':>7} {'chars/s':>9} {'lines':>6} {'loose':>6} {'spread':>7}")
    for name, editions, date in EDITIONS:
        figures = {}
        for breaking, breaker in (("greedy", _greedy), ("total fit", totalfit.total_fit)):
            paragraph.total_fit = breaker
            try:
                figures[breaking] = _flow_figures(editions, date, metrics, args.runs)
            finally:
                paragraph.total_fit = total_fit
            seconds, characters, lines, loose, spread = figures[breaking]
            print(f"{name:<9} {breaking:<10} {seconds:7.3f} {characters / seconds:9.0f} {lines:6d} {loose:6d} {spread:7d}")
        render = _warm_render_seconds(editions, date)
        share = figures["total fit"][0] / render
        print(f"{name:<9} warm render {render:.2f} s: total fit's flow is {share:.1%} of it")
    for characters in (25_000, 50_000, 100_000, 200_000):
        seconds = _long_paragraph_seconds(characters, faces, metrics)
        print(f"one paragraph of {characters:,} characters: plan to flow {seconds:.1f} s, "
              f"{characters / seconds:,.0f} characters/s")


def _long_paragraph_seconds(characters: int, faces, metrics) -> float:
    """Plan read, checked and flowed with one story a single paragraph of `characters` characters."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for name in ("editions", "styles", "fonts"):
            shutil.copytree(REPO / name, root / name)
        stories = root / "editions" / "2020-05-15" / "stories"
        text = "".join((stories / "frontlines.md").read_text(encoding="utf-8").split("---\n", 2)[2].split())
        body = (text * (characters // len(text) + 1))[:characters]
        (stories / "awards.md").write_text(f"---\nheadline: 长\n---\n{body}\n", encoding="utf-8")
        started = time.perf_counter()
        plan_and_flow(Project(root), "2020-05-15", faces, metrics, Timings())
        return time.perf_counter() - started


if __name__ == "__main__":
    main()
