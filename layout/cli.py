"""`layout render <edition>`, `layout fit <edition>`, `layout check <date|pdf>`, `layout snapshot
diff|update <edition>`: a thin shell over the pipeline. An edition is named by its date or its folder."""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import INTERRUPTED, PROOF_NOTE, LayoutError, ProofOnlyError
from .project import Project
from .report import (editor_warnings, fit_table, pages_text, print_report, printable, render_report, timings_table,
                     typography_table)

# Each command imports what it uses, when it runs: the composer (its word lists take half a second to
# load) and the painting and checking libraries (WeasyPrint alone takes half a second). `layout fit`
# answers without the painters, and a render of an unchanged edition without either.


def _progress(result, pages: int) -> None:
    how = "from the cache" if result.cached else f"rendered in {result.seconds:.1f} s"
    print(f"  page {result.number}/{pages}: {result.name} {how}", file=sys.stderr, flush=True)


def _render_and_report(project: Project, date: str, jobs: int | None, draft=None):
    """Render, and print what was made, the fit and the warnings — for a proof too, before its
    errors are raised. Returns the render and what was printed. `draft` is shown the preview made
    from the flow before the pages are painted (render_edition)."""
    from .pipeline import render_edition
    # A progress line per page on a terminal; quiet into a pipe or a log.
    progress = _progress if sys.stderr.isatty() else None
    try:
        rendered = render_edition(project, date, jobs=jobs, progress=progress, draft=draft)
    except ProofOnlyError as exc:
        if exc.rendered is not None:      # the whole report first: the editor fixes from it
            print_report(render_report(exc.rendered, project.output(exc.rendered.style.proof_folder.format(date=date)), "proof"))
        raise
    report = render_report(rendered, project.output(date), "edition")
    print_report(report)
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
        print_report(report)
        print(f"unchanged: nothing this render reads has changed since the last one, and {project.output(date)} "
              "is as it left it (the report above is that render's)")
        if args.timings:
            print(timings_table({"unchanged": time.perf_counter() - started}, 0, report.pages))
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
            print(timings_table(rendered.timings, painted, len(rendered.pages) - painted))
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 0


def _render_page(project: Project, date: str, number: int, started: float) -> int:
    """`layout render <edition> --page N`: that page alone, marked not for print, with the whole fit."""
    from .pipeline import render_one_page
    out, edition, style, flow, problems, result = render_one_page(project, date, number)
    print(f"page {number} → {out / result.name} (one page, not for print; its preview: {out / 'index.html'})")
    print(fit_table(flow.fits))
    print(typography_table([r for r in flow.typography if r.page == number]))
    for warning in editor_warnings(flow, edition, style):
        print(warning, file=sys.stderr)
    for problem in problems:
        print(f"error: {printable(problem)}", file=sys.stderr)
    print(f"done in {time.perf_counter() - started:.1f} s")
    return 2 if problems else 0


def _watch(args) -> int:
    """Render on every change and serve the preview page, until Ctrl-C."""
    from .plan import plan_file
    from .proof.watch import watch_edition
    project, date = _locate(args)
    plan_file(project.editions, date)       # the folder watched must be there before the watcher starts

    def render(draft) -> str:
        try:
            rendered, _ = _render_and_report(project, date, args.jobs, draft)
        except ProofOnlyError as exc:
            print(f"error: {printable(str(exc))}", file=sys.stderr, flush=True)
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
    print(f"{edition.paper} {edition.date.isoformat()}: {pages_text(len(edition.pages))}")
    print(fit_table(flow.fits))
    for warning in editor_warnings(flow, edition, style):
        print(warning, file=sys.stderr)
    for refusal in refusals:
        print(f"error: {printable(refusal)}", file=sys.stderr)
    return 2 if refusals else 0


def _check(args) -> int:
    from .check_command import check_files
    return check_files(args, _project(args))


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
    from .proof import snapshot
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
    from .proof import snapshot
    from .check_command import project_metrics, read_manifest
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
    geometry, metrics = page_geometry(style), project_metrics(project)
    stamp = stamp_area(style, geometry)

    def snapshots(folder: Path):
        manifest = read_manifest(folder / "manifest.json")
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
        for line in printable(str(exc)).split("\n"):     # one error a line, as `layout fit` prints them
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
