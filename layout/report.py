"""What the shell prints for a person: the fit table, the warnings a layout editor should look at,
the typography table, the stages' timings, and the report of a render (kept by the render record,
so that an unchanged edition answers with it)."""
from __future__ import annotations

import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .flow import StoryFit
    from .render.record import Report


def table(rows: list[tuple]) -> str:
    """Rows of cells as aligned plain-text columns; the first row is the heading."""
    rows = [tuple(str(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def printable(text: str) -> str:
    """Control characters from the input (an escape sequence in a key) shown, not sent to the terminal."""
    return "".join(ch if ch == "\n" or unicodedata.category(ch) != "Cc" else f"\\x{ord(ch):02x}" for ch in text)


def pages_text(count: int) -> str:
    return f"{count} page{'s' * (count != 1)}"


def _underset_warning(fit: StoryFit, parts, plan: Path) -> str:
    """`parts`: the story's (page, block) pairs in thread order, as `fit.blocks`."""
    message = (f"warning: story '{fit.story}' is underset: {fit.underset_lines} empty lines "
               f"(about {fit.underset_chars} characters)")
    # The blocks after the last one the text reaches (one before it may hold none: a block too low
    # for its jump headline, which is a fault of its own).
    ends_in = max((number for number, block_fit in enumerate(fit.blocks) if block_fit.lines_used), default=0)
    empty = [f"{plan}:{block.source_line} (page {page.number})" for page, block in parts[ends_in + 1:]]
    if not empty:
        return message + " in its last block"
    return message + (f"; the text ends before {'these blocks' if len(empty) > 1 else 'the block'} "
                      f"{', '.join(empty)}: take {'them' if len(empty) > 1 else 'it'} out of the plan or add copy")


def fit_table(fits) -> str:
    """Per story: its blocks, lines over or under, and about how many characters that is."""
    def chars(fit: StoryFit) -> str:
        return f"+{fit.overset_chars}" if fit.overset_lines else f"-{fit.underset_chars}" if fit.underset_lines else ""

    return table([("story", "blocks (page: used/lines)", "overset", "underset", "≈ chars", "loose")] + [
        (fit.story, ", ".join(f"p{b.page}: {b.lines_used}/{b.lines}" for b in fit.blocks), fit.overset_lines,
         fit.underset_lines, chars(fit), fit.loose_lines) for fit in fits])


def _plan_warnings(edition, threads, style) -> list[str]:
    """A story file no block places; a story placed twice on one page; a page whose grid has areas
    no block covers."""
    from .plan import empty_areas
    warnings = [f"warning: {path} is placed by no block of {edition.plan_path}; place it, or move it out of "
                "stories/" for path in edition.unplaced]
    for story, parts in threads.items():
        for (page, block), (earlier_page, earlier) in zip(parts[1:], parts):
            if page.number == earlier_page.number:
                warnings.append(
                    f"warning: {edition.plan_path}:{block.source_line}: page {page.number}: story '{story}' is placed "
                    f"here a second time (first at line {earlier.source_line}); its text runs on from that block "
                    "with no jump line. If this block is meant for another story, name that story")
    for page in edition.pages:
        areas = empty_areas(page, style)
        if areas:
            largest = max(areas, key=lambda area: area.lines)
            warnings.append(f"warning: page {page.number}: {sum(a.lines for a in areas)} column-lines no block covers "
                            f"(the longest: column {largest.col}, lines {largest.line}–"
                            f"{largest.line + largest.lines - 1}); fill them or let a block reach them")
    return warnings


def _fit_warnings(fits, edition, threads, tolerance: int) -> list[str]:
    """Underset stories: one warning each beyond the house style's tolerance (or with a block the
    text does not reach), the rest summed up in one line."""
    warnings, within = [], []
    for fit in fits:
        if not fit.underset_lines:
            continue
        if fit.underset_lines > tolerance or any(not block.lines_used for block in fit.blocks[1:]):
            warnings.append(_underset_warning(fit, threads[fit.story], edition.plan_path))
        else:
            within.append(f"{fit.story} {fit.underset_lines}")
    if within:
        warnings.append(f"underset by at most {tolerance} lines (fit.underset_tolerance_lines): {', '.join(within)}")
    return warnings


def editor_warnings(flow, edition, style) -> list[str]:
    """What a layout editor should look at though the edition may print: underset stories, empty
    grid areas, unplaced or twice-placed stories, loose lines, words and web addresses broken where
    they have no break point."""
    from .flow import threads_of
    threads = threads_of(edition)
    return (_fit_warnings(flow.fits, edition, threads, style.underset_tolerance_lines)
            + _plan_warnings(edition, threads, style)
            + [f"warning: {line.message()}" for line in (*flow.loose, *flow.broken)])


def typography_table(results) -> str:
    rows = [("story", "page", "lines", "not flush", "kinsoku", "split", "loose", "off grid", "gap > ¼ em",
             "widest gap")]
    rows += [(r.story, r.page, r.lines, len(r.not_flush), len(r.kinsoku_breaks), len(r.split_units), len(r.loose),
              len(r.off_grid), len(r.spread), f"{r.widest_gap:.2f} em") for r in results]
    lines = sum(r.lines for r in results)
    spread = sum(len(r.spread) for r in results)
    rows.append(("all", "", lines, sum(len(r.not_flush) for r in results),
                 sum(len(r.kinsoku_breaks) for r in results), sum(len(r.split_units) for r in results),
                 sum(len(r.loose) for r in results), sum(len(r.off_grid) for r in results),
                 f"{spread} ({spread / lines:.1%})" if lines else "0",
                 f"{max((r.widest_gap for r in results), default=0):.2f} em"))
    return table(rows)


def timings_table(stages: dict[str, float], rendered: int, cached: int) -> str:
    return table([("stage", "seconds")] + [(stage, f"{seconds:.2f}") for stage, seconds in stages.items()]
                  + [("pages rendered / from cache", f"{rendered} / {cached}")])


def render_report(rendered, out: Path, what: str) -> Report:
    """What a render made, its fit and typography tables (standard output), and the warnings
    (standard error)."""
    from .render.record import Report
    manifest = rendered.deliverables.manifest
    lines = [f"{manifest['paper']} {manifest['edition']}: {pages_text(len(manifest['pages']))} → {out}"
             + (" (a proof, not for print)" if what == "proof" else "")]
    lines += [f"  page {page['page']}: {page['file']}" for page in manifest["pages"]]
    lines += [f"  edition: {manifest['edition_pdf']}", fit_table(rendered.flow.fits), typography_table(rendered.typography)]
    return Report("".join(f"{line}\n" for line in lines),
                  "".join(f"{warning}\n" for warning in editor_warnings(rendered.flow, rendered.edition, rendered.style)),
                  len(manifest["pages"]))


def print_report(report: Report) -> None:
    print(report.out, end="")
    print(report.err, end="", file=sys.stderr)
