"""`layout render <edition>`, `layout fit <edition>`, `layout check <date|pdf>`, `layout snapshot
diff|update <edition>`: a thin shell over the pipeline. An edition is named by its date or its folder."""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import INTERRUPTED, PROOF_NOTE, LayoutError, ProofOnlyError
from .project import Project

if TYPE_CHECKING:
    from .flow import StoryFit
    from .render.record import Report

# Each command imports what it uses, when it runs: the composer (its word lists take half a second to
# load) and the painting and checking libraries (WeasyPrint alone takes half a second). `layout fit`
# answers without the painters, and a render of an unchanged edition without either.


def _table(rows: list[tuple]) -> str:
    """Rows of cells as aligned plain-text columns; the first row is the heading."""
    rows = [tuple(str(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def _printable(text: str) -> str:
    """Control characters from the input (an escape sequence in a key) shown, not sent to the terminal."""
    return "".join(ch if ch == "\n" or unicodedata.category(ch) != "Cc" else f"\\x{ord(ch):02x}" for ch in text)


def _pages(count: int) -> str:
    return f"{count} page{'s' * (count != 1)}"


def _one_page_note(path: Path) -> bool:
    """Is this the manifest beside a page painted alone (`render --page N`: its page, no edition PDF),
    which describes no edition? The page is then checked as a lone PDF."""
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False
    return isinstance(note, dict) and "page" in note and "edition_pdf" not in note


def _read_manifest(path: Path) -> dict:
    """An output folder's manifest.json, checked before anything in it is trusted: its files are
    plain names in that folder, its frames numbers."""
    def refuse(what: str) -> LayoutError:
        return LayoutError(f"{what}; this is not a manifest `layout render` wrote: render the edition again", path)

    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise refuse(f"cannot be read as JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise refuse(f"holds a JSON {type(manifest).__name__}, not the object of an edition")

    def name(value) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[^/\\\0]+\.pdf", value) or value.startswith("."):
            raise refuse(f"names {value!r}, which is not a PDF in this folder")
        return value

    def number(value) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

    try:
        name(manifest["edition_pdf"])
        if not isinstance(manifest["format"], str):
            raise refuse("has no format")
        for page in manifest["pages"]:
            name(page["file"])
            if not isinstance(page["page"], int):
                raise refuse(f"gives page {page['page']!r}")
        for story in manifest["stories"]:
            for block in story["blocks"]:
                if not isinstance(block["page"], int) or not all(
                        len(frame) == 4 and all(number(v) for v in frame) for frame in block["frames"]):
                    raise refuse(f"gives story {story.get('story')!r} a frame that is not four numbers")
    except (KeyError, TypeError, AttributeError) as exc:
        raise refuse(f"lacks {exc}") from None
    return manifest


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


def _fit_table(fits) -> str:
    """Per story: its blocks, lines over or under, and about how many characters that is."""
    def chars(fit: StoryFit) -> str:
        return f"+{fit.overset_chars}" if fit.overset_lines else f"-{fit.underset_chars}" if fit.underset_lines else ""

    return _table([("story", "blocks (page: used/lines)", "overset", "underset", "≈ chars", "loose")] + [
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


def _warnings(flow, edition, style) -> list[str]:
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
    return _table(rows)


def _progress(result, pages: int) -> None:
    how = "from the cache" if result.cached else f"rendered in {result.seconds:.1f} s"
    print(f"  page {result.number}/{pages}: {result.name} {how}", file=sys.stderr, flush=True)


def _render_and_report(project: Project, date: str, jobs: int | None):
    """Render, and print what was made, the fit and the warnings — for a proof too, before its
    errors are raised. Returns the render and what was printed."""
    from .pipeline import render_edition
    # A progress line per page on a terminal; quiet into a pipe or a log.
    progress = _progress if sys.stderr.isatty() else None
    try:
        rendered = render_edition(project, date, jobs=jobs, progress=progress)
    except ProofOnlyError as exc:
        if exc.rendered is not None:      # the whole report first: the editor fixes from it
            _print(_report(exc.rendered, project.output(exc.rendered.style.proof_folder.format(date=date)), "proof"))
        raise
    report = _report(rendered, project.output(date), "edition")
    _print(report)
    return rendered, report


def _render(args) -> int:
    """`layout render <edition>`: the edition rendered, or, when nothing it reads has changed since
    its last clean render and its output is as that render left it, that render's report again."""
    from .render import record
    project, date = _locate(args)
    started = time.perf_counter()
    if args.page is not None:
        return _render_page(project, date, args.page, started)
    report = record.unchanged(project.root, project.editions, date)
    if report is not None:
        _print(report)
        print(f"unchanged: nothing this render reads has changed since the last one, and {project.output(date)} "
              "is as it left it (the report above is that render's)")
        if args.timings:
            print(_timings_table({"unchanged": time.perf_counter() - started}, 0, report.pages))
    else:
        started_ns = time.time_ns()
        with record.reading() as read:
            rendered, report = _render_and_report(project, date, args.jobs)
        record.write(project.root, project.editions, date, started_ns, read,
                     [path for page in rendered.pages for path in page.reads],
                     {project.output(date), project.output(rendered.style.proof_folder.format(date=date))},
                     {project.output(date) / name: data for name, data in rendered.deliverables.files.items()}, report)
        if args.timings:
            painted = sum(not page.cached for page in rendered.pages)
            print(_timings_table(rendered.timings, painted, len(rendered.pages) - painted))
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def _timings_table(stages: dict[str, float], rendered: int, cached: int) -> str:
    return _table([("stage", "seconds")] + [(stage, f"{seconds:.2f}") for stage, seconds in stages.items()]
                  + [("pages rendered / from cache", f"{rendered} / {cached}")])


def _render_page(project: Project, date: str, number: int, started: float) -> int:
    """`layout render <edition> --page N`: that page alone, marked not for print, with the whole fit."""
    from .pipeline import render_one_page
    out, edition, style, flow, problems, result = render_one_page(project, date, number)
    print(f"page {number} → {out / result.name} (one page, not for print; its preview: {out / 'index.html'})")
    print(_fit_table(flow.fits))
    print(typography_table([r for r in flow.typography if r.page == number]))
    for warning in _warnings(flow, edition, style):
        print(warning, file=sys.stderr)
    for problem in problems:
        print(f"error: {_printable(problem)}", file=sys.stderr)
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 2 if problems else 0


def _report(rendered, out: Path, what: str) -> Report:
    """What a render made, its fit and typography tables (standard output), and the warnings
    (standard error)."""
    from .render.record import Report
    manifest = rendered.deliverables.manifest
    lines = [f"{manifest['paper']} {manifest['edition']}: {_pages(len(manifest['pages']))} → {out}"
             + (" (a proof, not for print)" if what == "proof" else "")]
    lines += [f"  page {page['page']}: {page['file']}" for page in manifest["pages"]]
    lines += [f"  edition: {manifest['edition_pdf']}", _fit_table(rendered.flow.fits), typography_table(rendered.typography)]
    return Report("".join(f"{line}\n" for line in lines),
                  "".join(f"{warning}\n" for warning in _warnings(rendered.flow, rendered.edition, rendered.style)),
                  len(manifest["pages"]))


def _print(report: Report) -> None:
    print(report.out, end="")
    print(report.err, end="", file=sys.stderr)


def _watch(args) -> int:
    """Render on every change and serve the preview page, until Ctrl-C."""
    from .plan import plan_file
    from .watch import watch_edition
    project, date = _locate(args)
    plan_file(project.editions, date)       # the folder watched must be there before the watcher starts

    def render() -> str:
        try:
            rendered, _ = _render_and_report(project, date, args.jobs)
        except ProofOnlyError as exc:
            print(f"error: {_printable(str(exc))}", file=sys.stderr, flush=True)
            if exc.rendered is None:
                raise
            rendered = exc.rendered
        return rendered.style.proof_folder.format(date=date)

    watch_edition(render, project.output(date).parent, [project.editions / date, project.styles, project.fonts],
                  args.port)
    return 0


def _fit(args) -> int:
    """The flow alone, no page painted: the fit table, and what keeps the edition from print."""
    from .fonts import load_fonts
    from .prepare import Timings, plan_and_flow
    project, date = _locate(args)
    faces, metrics = load_fonts(project.fonts)
    edition, style, _, flow, refusals = plan_and_flow(project, date, faces, metrics, Timings())
    print(f"{edition.paper} {edition.date.isoformat()}: {_pages(len(edition.pages))}")
    print(_fit_table(flow.fits))
    for warning in _warnings(flow, edition, style):
        print(warning, file=sys.stderr)
    for refusal in refusals:
        print(f"error: {_printable(refusal)}", file=sys.stderr)
    return 2 if refusals else 0


def _metrics(project: Project) -> dict:
    from .fonts import load_fonts
    return load_fonts(project.fonts)[1]


def _check(args) -> int:
    """Preflight a rendered edition by date, or one PDF. A PDF with the edition's manifest.json
    beside it is checked as that edition's page (or whole edition) — typography included."""
    from .assemble import Deliverables
    from .check.preflight import UNREADABLE, check_pdf
    from .check.problem import Problem
    from .check.renderers import TOLERANCE, agreement
    from .check.pdftext import check_typography, glyphs_of_pages
    from .fonts import FAMILY_PREFIX
    from .geometry import page_geometry
    from .pipeline import check_deliverables, manifest_mismatches, page_file_glyphs
    from .plan import plan_file
    from .style import load_style
    project = _project(args)
    target = Path(args.target)
    typography = []
    if target.suffix.lower() == ".pdf" or target.is_file():       # a file given by path, .pdf or not
        if not target.is_file():
            raise LayoutError("is a folder, not a PDF file" if target.is_dir() else "no such PDF", target)
        manifest_path = target.parent / "manifest.json"
        manifest = _read_manifest(manifest_path) if manifest_path.is_file() and \
            not _one_page_note(manifest_path) else None
        pages = {p["file"]: p["page"] for p in manifest["pages"]} if manifest else {}
        ours = manifest is not None and (target.name in pages or target.name == manifest["edition_pdf"])
        style = load_style(project.styles, manifest["format"] if ours else args.format)
        geometry = page_geometry(style)
        data = target.read_bytes()
        files = {target.name: data}
        expected = (1 if target.name in pages else len(pages)) if ours else None
        problems = (manifest_mismatches(files, manifest) if ours else []) + \
            check_pdf(data, target.name, geometry, expected, FAMILY_PREFIX if ours else None, style.print)
        if ours and not problems:
            metrics = _metrics(project)
            glyphs = glyphs_of_pages(data, pages.get(target.name, 1), geometry, metrics)
            typography = check_typography(glyphs, manifest, style, geometry, metrics)
    else:
        out = project.output(args.target)
        manifest_path = out / "manifest.json"
        if not manifest_path.is_file():
            plan_file(project.editions, args.target)        # an edition that is not there is told so first
            raise LayoutError(f"no rendered edition for {args.target}: run `layout render {args.target}` first",
                              manifest_path)
        manifest = _read_manifest(manifest_path)
        style = load_style(project.styles, manifest["format"])
        names = [p["file"] for p in manifest["pages"]] + [manifest["edition_pdf"]]
        files = {name: (out / name).read_bytes() for name in names}
        geometry = page_geometry(style)
        deliverables = Deliverables(files=files, manifest=manifest)
        problems = check_deliverables(deliverables, geometry, style.print)
        if not problems:
            metrics = _metrics(project)
            typography = check_typography(page_file_glyphs(deliverables, geometry, metrics), manifest, style,
                                          geometry, metrics)
    alike: list[str] = []       # what the three readers were seen to print alike
    if args.renderers:
        unreadable = {p.file for p in problems if p.page is None and p.message.startswith(UNREADABLE)}
        for name, data in files.items():
            if name in unreadable:
                continue
            try:
                results = agreement(data)
            except LayoutError as exc:
                problems.append(Problem(name, None, exc.message))
                continue
            except Exception as exc:       # pdfium on a hostile file
                problems.append(Problem(name, None, f"cannot be rasterised: {type(exc).__name__}: {exc}"[:300]))
                continue
            for result in results:
                if not result.agrees:
                    problems.append(Problem(name, result.page, f"pdfium, Ghostscript and MuPDF disagree: {result}"))
            if results and all(result.agrees for result in results):
                alike.append(f"{name}: pdfium, Ghostscript and MuPDF print {_pages(len(results))} alike (the "
                             f"largest difference {max(r.worst for r in results)} grey levels, tolerance {TOLERANCE})")
    faults = [fault for result in typography for fault in result.faults()]
    if args.json:
        print(json.dumps({"ok": not problems and not faults, "problems": [p.as_json() for p in problems],
                          "typography": [r.as_json() for r in typography], "typography_faults": faults},
                         ensure_ascii=False, indent=2))
    else:
        print(_table([("file", "print problems")] + [(name, sum(p.file == name for p in problems) or "ok")
                                                      for name in files]))
        if typography:
            print(typography_table(typography))
        for line in [str(p) for p in problems] + faults + alike:
            print(line)
        count = len(problems) + len(faults)
        print("check: " + ("ok" if not count else f"{count} problem{'s' * (count != 1)}"))
    return 1 if problems or faults else 0


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not '{value}'")
    return int(value)


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535, not '{value}'")
    return int(value)


def _project(args, start: Path | None = None) -> Project:
    """The project: --root, else the nearest folder holding styles/ and fonts/ from `start` (the
    edition's folder, or the current one) upwards, else the current folder."""
    if args.root is not None:
        root = Path(args.root).resolve()
    else:
        here = (start or Path.cwd()).resolve()
        root = next((folder for folder in (here, *here.parents)
                     if (folder / "styles").is_dir() and (folder / "fonts" / "fonts.yaml").is_file()), None)
        if root is None:
            raise LayoutError(f"no layout project in {here} or above it (the folder that holds styles/ and "
                              "fonts/fonts.yaml); run the command inside the project, or name it with --root")
    return Project(root, Path(args.editions).resolve() if args.editions else None)


def _locate(args) -> tuple[Project, str]:
    """The project and the edition's date, from a date (`2020-05-15`) or a path to the edition's
    folder or its edition.yaml (`editions/2020-05-15`, `.` inside it)."""
    given = Path(args.date)
    folder = given.parent if given.name == "edition.yaml" else given
    if (folder / "edition.yaml").is_file():
        folder = folder.resolve()
        project = _project(args, folder)
        if args.editions is None and folder.parent != project.editions:
            project = Project(project.root, folder.parent)
        return project, folder.name
    return _project(args), args.date


def _snapshot(args) -> int:
    """Render an edition and compare its pages with the baselines (diff), or accept them (update)."""
    from . import snapshot
    from .pipeline import render_edition
    project, date = _locate(args)
    rendered = render_edition(project, date)
    manifest = rendered.deliverables.manifest
    pages = snapshot.snapshot_pages(rendered.deliverables.files[manifest["edition_pdf"]], rendered.flow.pages,
                                    rendered.geometry, rendered.metrics)
    baselines = project.snapshots(date)
    if args.action == "update":
        written = snapshot.update(pages, baselines)
        print(f"accepted {len(written) // 2} page snapshots into {baselines}")
        return 0
    report = project.snapshot_report(date)
    problems = [problem for result in snapshot.compare(pages, baselines, report) for problem in result.problems]
    for problem in problems:
        print(problem)
    look = f"look at {report}, then " if report.is_dir() and any(report.iterdir()) else ""
    print("snapshots: " + ("unchanged" if not problems else
                           f"{len(problems)} changes; {look}`layout snapshot update {date}` to accept them"))
    return 1 if problems else 0


def _proof(args) -> int:
    """What changed since the last proof: each page of the proof now (or of the edition, once it
    went to print) against the proof before, as the snapshot diff shows pages — changed pixels in
    red over the faded page, and the text of each block."""
    from . import snapshot
    from .flow import stamp_area
    from .geometry import page_geometry
    from .pipeline import PREVIOUS
    from .plan import load_edition
    project, date = _locate(args)
    edition, style = load_edition(project.editions, date, project.styles)
    proof = project.output(style.proof_folder.format(date=date))
    before = proof / PREVIOUS
    now = proof if any(proof.glob("*.pdf")) else project.output(date)
    for folder in (now, before):
        if not (folder / "manifest.json").is_file():
            raise LayoutError(f"no proof to compare with in {folder}: a proof is made by a render that finds "
                              "something keeping the edition from print, and this shows what changed since the "
                              "last one — there is none yet to compare")
    geometry, metrics = page_geometry(style), _metrics(project)
    stamp = stamp_area(style, geometry)

    def snapshots(folder: Path):
        manifest = _read_manifest(folder / "manifest.json")
        return snapshot.snapshot_pages((folder / manifest["edition_pdf"]).read_bytes(),
                                       snapshot.pages_of_manifest(manifest), geometry, metrics, stamp)

    report = proof / "changes"
    snapshot.update(snapshots(before), report / "before")
    words = {"new": "page {page}: new since the last proof", "gone": "page {page}: in the last proof, gone now"}
    problems = [p for result in snapshot.compare(snapshots(now), report / "before", report, words)
                for p in result.problems]
    for problem in problems:
        print(problem)
    print(f"changes since the last proof ({before}): " + (f"{len(problems)}; the pictures are in {report}"
                                                          if problems else "none"))
    return 0


class _Version(argparse.Action):
    """`layout --version`, worked out only when asked."""

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib import metadata
        from .cachefile import engine_version
        print(f"layout {metadata.version('layout')} (engine {engine_version()[:16]}: its code, Python "
              f"{sys.version.split()[0]} and the libraries installed with it)")
        parser.exit()


EDITION_HELP = "the edition: its date (YYYY-MM-DD), or the path of its folder"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="layout", description="Chinese newspaper layout engine")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="print the engine's version: the package's, and the digest of its code and "
                             "libraries that the caches are keyed by")
    parser.add_argument("--root", help="project folder with editions/, styles/, fonts/ (default: the nearest "
                                         "folder holding styles/ and fonts/, from the edition or the current one)")
    parser.add_argument("--editions", help="folder of editions, if not <root>/editions (e.g. tests/editions)")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="render editions/<date> into output/<date>")
    render.add_argument("date", help=EDITION_HELP)
    render.add_argument("--jobs", type=_positive, help="pages rendered at once, in worker processes "
                                                         "(default: the machine's cores)")
    render.add_argument("--timings", action="store_true", help="print how long each stage took")
    render.add_argument("--page", type=_positive, help="paint this page alone (laid out with the whole edition), "
                                                      "marked not for print, into output/<date>-page-NN/")
    render.set_defaults(run=_render)
    watch = commands.add_parser("watch", help="render on every change and serve the preview page on localhost")
    watch.add_argument("date", help=EDITION_HELP)
    watch.add_argument("--port", type=_port, default=8765, help="port of the preview server (default 8765)")
    watch.add_argument("--jobs", type=_positive, help="pages rendered at once (default: the machine's cores)")
    watch.set_defaults(run=_watch)
    proof = commands.add_parser("proof", help="what changed since the last proof")
    proof.add_argument("date", help=EDITION_HELP)
    proof.add_argument("--changes", action="store_true", required=True,
                       help="compare the pages with the last proof (pictures and text)")
    proof.set_defaults(run=_proof)
    fit = commands.add_parser("fit", help="lay out the edition without painting it: the fit of every story")
    fit.add_argument("date", help=EDITION_HELP)
    fit.set_defaults(run=_fit)
    check = commands.add_parser("check", help="preflight a rendered edition (by date) or any PDF")
    check.add_argument("target", help="a date (checks output/<date>) or a PDF file")
    check.add_argument("--format", default="broadsheet", help="page format a lone PDF is checked against")
    check.add_argument("--json", action="store_true", help="print the findings as JSON for machines")
    check.add_argument("--renderers", action="store_true",
                       help="also rasterise every page with pdfium, Ghostscript and MuPDF and compare them")
    check.set_defaults(run=_check)
    snap = commands.add_parser("snapshot", help="compare page snapshots with the baselines, or accept new ones")
    snap.add_argument("action", choices=["diff", "update"], help="diff: show what changed; update: accept")
    snap.add_argument("date", help=EDITION_HELP)
    snap.set_defaults(run=_snapshot)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except LayoutError as exc:
        for line in _printable(str(exc)).split("\n"):     # one error a line, as `layout fit` prints them
            print(line if line.startswith(PROOF_NOTE) else f"error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(INTERRUPTED, file=sys.stderr)
        return 130
    except OSError as exc:       # the machine, not the input: a full disk, a folder one may not write
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}; check that the folder exists and is writable and that "
              "the disk has room", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
