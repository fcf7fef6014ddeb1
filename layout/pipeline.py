"""The pipeline of design.md, end to end: plan → text → fonts → compose/flow → page → render →
assemble → check. Reading happens at the start, writing at the end; the CLI is a shell over this.

The flow is edition-wide (jump lines need page numbers); everything after it is per page: each page
is its own HTML document with its own font subsets, so a page's file depends on that page alone and
can come from the page cache, or be rendered in a worker process beside the others."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence
from urllib.parse import urlsplit
from urllib.request import url2pathname

from .assemble import Deliverables, assemble, check_folder, edition_title, overlay, write_output
from .cachefile import cache_key
from .check.preflight import check_edition_order, check_pdf
from .check.problem import Problem
from .check.pdftext import PaintedDifference, glyphs_of_pages, painted_differences, painted_lines, space_breaks
from .check.typography import SetLine, StoryTypography
from .errors import PROOF_NOTE, LayoutError, ProofOnlyError
from .flow import FlowResult, PlacedPage, proof_of, proof_stamp
from .fonts import FAMILY_PREFIX, FontFace, load_fonts, subset_fonts
from .geometry import PageGeometry
from .images import svg_references, svg_text_uses
from .page import document_html, page_html, stylesheet
from .plan import Edition, ImageBlock, file_name
from .prepare import ENGINE_FAULT, Project, Timings, plan_and_flow
from .prepress.finish import document_timestamp
from .proof.preview import Preview, build_preview, line_marks, page_picture
from .proof.sketch import sketch_picture
from .render.reads import portable
from .proof.snapshot import block_layout
from .render.pages import PageJob, PageResult, cached_page, render_page, render_pages
from .style import HouseStyle, PrintSpec


@dataclass(frozen=True)
class Rendered:
    edition: Edition
    style: HouseStyle
    geometry: PageGeometry
    flow: FlowResult
    deliverables: Deliverables
    typography: tuple[StoryTypography, ...]
    metrics: dict
    pages: tuple[PageResult, ...]
    timings: Mapping[str, float]      # seconds per stage
    missing: tuple[tuple[str, str], ...]     # (URL, why) of what a page asked for and did not get


def _page_characters(page: PlacedPage, style: HouseStyle, roles: set[str]) -> dict[str, set[str]]:
    """The characters each font role sets on one page (its lines, and the text of its SVG graphics)."""
    used: dict[str, set[str]] = {}
    for line in list(page.furniture) + [line for block in page.blocks for line in block.lines]:
        for glyph in line.line.glyphs:
            used.setdefault(style.text["bold" if glyph.bold else line.kind].font, set()).add(glyph.char)
    graphics = [(block.image.image, block.label) for block in page.blocks if block.image is not None]
    for path, label in graphics + ([(page.logo[0], "logo")] if page.logo else []):
        for use in svg_text_uses(path, label, roles):
            used.setdefault(use.role, set()).update(use.text)
    return used


def _difference_messages(differences: Sequence[PaintedDifference], edition: Edition) -> list[str]:
    """What the painter did not draw as composed: the engine's fault, told with the story file."""
    return [f"{d.message(str(edition.stories[d.story].path))}; {ENGINE_FAULT}" for d in differences]


def _missing_messages(results: Sequence[PageResult], edition: Edition) -> list[str]:
    """What a page asked for and did not get — a picture it cannot read, a file outside the edition
    or a web address a graphic refers to: the page prints without it."""
    messages = []
    for result in results:
        page = next(p for p in edition.pages if p.number == result.number)
        pictures = [b for b in page.blocks if isinstance(b, ImageBlock)]
        for url, why in result.missing:
            own = next((b for b in pictures if b.image.as_uri() == url), None)
            if own is not None:
                messages.append(f"{edition.plan_path}:{own.source_line}: page {result.number}: image '{own.source}' "
                                f"{why}; the page prints without it")
                continue
            # The graphic that refers to it (a page may show several): the SVG whose reference resolves to it.
            referring = [b for b in pictures if _refers_to(b.image, url)]
            graphics = ", ".join(b.source for b in referring or pictures) or "a graphic"
            line = f":{referring[0].source_line}" if len(referring) == 1 else ""
            messages.append(f"{edition.plan_path}{line}: page {result.number}: {graphics} refers to {url}, which "
                            f"{why}; the page prints without it")
    return messages


def _refers_to(graphic: Path, url: str) -> bool:
    """Does an SVG refer to the file at `url`?"""
    if graphic.suffix.lower() != ".svg" or not url.startswith("file:"):
        return False
    try:
        targets = [target for _, target in svg_references(graphic)]
    except ValueError:            # an SVG that cannot be read names nothing
        return False
    return any((graphic.parent / url2pathname(urlsplit(target).path)).resolve().as_uri() == url for target in targets)


ProgressReport = Callable[[PageResult, int], None]


@dataclass(frozen=True)
class _Pages:
    """One flow rendered: the page results, the files for the output folder, the typography."""
    flow: FlowResult
    results: tuple[PageResult, ...]
    deliverables: Deliverables
    typography: tuple[StoryTypography, ...]
    problems: tuple[Problem, ...]       # what the print preflight found on the page files
    differences: tuple[PaintedDifference, ...]    # where the painted pages do not hold what was composed


def render_edition(project: Project, date: str, jobs: int | None = None,
                   progress: ProgressReport | None = None,
                   draft: Callable[[str, Preview], None] | None = None) -> Rendered:
    """Render an edition into output/<date>/, with `jobs` worker processes for the pages (default:
    the machine's cores). An edition the editor must fix first — a story overset, a line that cannot
    be set flush — is rendered all the same, as a proof marked not for print in the house style's
    proof folder; then ProofOnlyError says what to fix. The print files are never written then."""
    timings = Timings()
    with timings.stage("fonts"):
        faces, metrics = load_fonts(project.fonts)
    edition, style, geometry, flow, refusals = plan_and_flow(project, date, faces, metrics, timings)

    made = dt.datetime.now()
    proof = project.output(style.proof_folder.format(date=date))
    proofs_before = _proofs_made(proof)
    stamp = proof_stamp(proofs_before + 1, made, style, geometry, metrics)

    def page_jobs_of(flow: FlowResult) -> list[PageJob]:
        with timings.stage("pages"):
            return [_page_job(project, edition, style, geometry, metrics, faces, page) for page in flow.pages]

    first_jobs = page_jobs_of(flow)
    # The page cache's answer for each page, asked once: the draft shows the pages it holds.
    looked_up = {job.number: cached_page(job) for job in first_jobs} if draft is not None else {}
    if draft is not None:
        try:
            early = _draft_preview(date, edition, style, geometry, flow, looked_up, refusals, made, faces, metrics)
        except Exception:       # a courtesy before the painting: a fault in it must not cost the render
            early = None
        if early is not None:
            draft(style.proof_folder.format(date=date), early)

    def render(flow: FlowResult, stamp: PlacedPage | None = None, page_jobs: list[PageJob] | None = None,
               hits: Mapping[int, PageResult | None] | None = None) -> _Pages:
        """The pages of a flow; a proof's carry `stamp` laid over them."""
        page_jobs = page_jobs if page_jobs is not None else page_jobs_of(flow)
        breaks = space_breaks(flow.composed)
        stories = _story_frames(flow, breaks)
        painted: dict[str, list[SetLine]] = {}

        def page_done(result: PageResult, total: int) -> None:
            # Each page's lines are read back as it comes, while the workers paint the others.
            for story, lines in painted_lines({result.number: result.glyphs}, stories, style, metrics).items():
                painted.setdefault(story, []).extend(lines)
            if progress is not None:
                progress(result, total)

        with timings.stage("render"):
            results = tuple(render_pages(page_jobs, jobs or os.cpu_count() or 1, page_done, hits))
            if stamp is not None:
                over = render_page(_page_job(project, edition, style, geometry, metrics, faces, stamp)).pdf
                results = tuple(replace(result, pdf=overlay(result.pdf, over)) for result in results)
        with timings.stage("assemble"):
            fonts = [{"role": role, "family": face.family, "file": str(face.path), "sha256": face.sha256,
                      **({"fallback_of": role} if face is not faces[role] else {})}
                     for role in sorted({ts.font for ts in style.text.values()}) for face in faces[role].chain]
            deliverables = assemble(results, edition, style, flow.fits, fonts,
                                    document_timestamp(edition.date, style.print.time_zone))
        for entry, blocks in zip(deliverables.manifest["pages"], block_layout(flow.pages)):
            entry["blocks"] = blocks       # what `layout proof --changes` reads the proof's text by
        with timings.stage("check"):
            manifest = deliverables.manifest
            problems = [problem for result in results for problem in result.problems]
            problems += check_edition_order(deliverables.files[manifest["edition_pdf"]], manifest["edition_pdf"],
                                            [result.pdf for result in results])
            for entry in manifest["stories"]:
                entry["space_breaks"] = breaks.get(entry["story"], [])
            manifest["typography"] = [r.as_json() for r in flow.typography]
            differences = painted_differences(painted, flow.composed)
        return _Pages(flow, results, deliverables, flow.typography, tuple(problems), tuple(differences))

    pages = render(flow, stamp if refusals else None, first_jobs, looked_up)
    # What the painter did not draw as composed is the engine's fault; the editor gets a proof.
    faults = _difference_messages(pages.differences, edition)
    faults += _missing_messages(pages.results, edition)
    if not refusals:
        # What the plan and stories decide is checked before the pages are painted, with its file and
        # line (a proof already has its reasons); a page file that fails the print preflight all the
        # same is named by the file.
        faults += [f"{problem}: the page file fails the print preflight; fix the input it names, or report it "
                   "with this edition" for problem in pages.problems]
    if faults and not refusals:
        # Faults only the rendered page shows: the editor gets the pages as a proof all the same.
        pages = render(proof_of(flow, style, geometry, metrics), stamp)
    refusals += faults
    pages.deliverables.manifest["proofs_made"] = proofs_before + bool(refusals)
    with timings.stage("preview"):
        preview = build_preview(edition, style, geometry, pages.flow,
                                [(result.name, page_picture(result.pdf, geometry)) for result in pages.results], refusals,
                                "" if refusals else f"../{date}/", made, line_marks(pages.flow, pages.typography))
    with timings.stage("write"):
        out = proof if refusals else project.output(date)
        kept = _previous_proof(proof)
        if refusals:        # the proof and its preview, in one swap
            _write(out, replace(pages.deliverables, files={**pages.deliverables.files, **preview.files, **kept}))
        else:               # the print files; beside them the preview takes the place of any proof
            check_folder(proof)     # before the print files change: a render that stops publishes nothing
            _write(out, pages.deliverables)
            if proof != out:
                _write(proof, replace(pages.deliverables, files={**preview.files, **kept}))
        rendered = Rendered(edition=edition, style=style, geometry=geometry, flow=pages.flow,
                            deliverables=pages.deliverables, typography=pages.typography, metrics=metrics,
                            pages=pages.results, timings=timings.seconds,
                            missing=tuple(item for result in pages.results for item in result.missing))
        if refusals:
            raise ProofOnlyError("\n".join(refusals) + f"\n{PROOF_NOTE} {out}", rendered)
    return rendered


def _draft_preview(date: str, edition: Edition, style: HouseStyle, geometry: PageGeometry, flow: FlowResult,
                   looked_up: Mapping[int, PageResult | None], refusals: Sequence[str], made: dt.datetime, faces,
                   metrics) -> Preview:
    """The preview from the flow alone, before a page is painted (`layout watch` shows it at once):
    the fit, the faults found so far and the stories as they are now, over each page's picture — the
    page cache's where it holds the page (`looked_up`), else a sketch drawn from its composition,
    marked as being painted."""
    pictures, painting = [], set()
    for page in flow.pages:
        if (hit := looked_up[page.number]) is not None:
            pictures.append((hit.name, page_picture(hit.pdf, geometry)))
        else:
            pictures.append((file_name(edition, style, page.number),
                             sketch_picture(page, geometry, style, faces, metrics)))
            painting.add(page.number)
    return build_preview(edition, style, geometry, flow, pictures, refusals, "" if refusals else f"../{date}/", made,
                         line_marks(flow, flow.typography), frozenset(painting))


def _write(out: Path, deliverables: Deliverables) -> None:
    """write_output, its OS errors told as what to do."""
    try:
        write_output(out, deliverables)
    except OSError as exc:
        raise LayoutError(f"cannot write {out}: {exc.strerror}; check that the folder is writable and the "
                          "disk has room (the earlier output is left as it was)") from None


def render_one_page(project: Project, date: str,
                    number: int) -> tuple[Path, Edition, HouseStyle, FlowResult, list[str], PageResult]:
    """One page of the edition, laid out with all the others (its jump lines name the right pages)
    and painted alone, marked not for print, with its preview, into output/<date>-page-NN/. Returns
    that folder, the edition and its house style, the whole flow (for the fit and the warnings),
    what keeps the edition from print, and the page."""
    faces, metrics = load_fonts(project.fonts)
    edition, style, geometry, flow, refusals = plan_and_flow(project, date, faces, metrics, Timings())
    marked = proof_of(flow, style, geometry, metrics) if not refusals else flow
    page = next((p for p in marked.pages if p.number == number), None)
    if page is None:
        raise LayoutError(f"the edition has no page {number}: its pages are 1–{len(flow.pages)}")
    [result] = render_pages([_page_job(project, edition, style, geometry, metrics, faces, page)], 1)
    problems = [str(problem) for problem in result.problems] + _missing_messages([result], edition)
    composed = {story: [line for line in lines if line.page == number]
                for story, lines in flow.composed.items()}
    stories = _story_frames(flow, space_breaks(flow.composed))
    problems += _difference_messages(painted_differences(painted_lines({number: result.glyphs}, stories, style,
                                                                       metrics), composed), edition)
    alone = f"page {number} alone, marked not for print: `layout render {date}` makes the print files"
    preview = build_preview(edition, style, geometry, replace(marked, pages=(page,)),
                            [(result.name, page_picture(result.pdf, geometry))],
                            refusals + problems + [alone], "", dt.datetime.now(), line_marks(marked, marked.typography))
    out = project.output(f"{date}-page-{number:02d}")
    _write(out, Deliverables(files={result.name: result.pdf, **preview.files},
                             manifest={"edition": date, "page": number, "file": result.name,
                                       "pages": [{"page": number, "file": result.name,
                                                  "blocks": block_layout((page,))[0]}]}))
    return out, edition, style, flow, refusals + problems, result


PREVIOUS = "previous"     # the last proof, kept in the proof folder for `layout proof --changes`


def _previous_proof(proof: Path) -> dict[str, bytes]:
    """The files to keep as the last proof when the proof folder is written again: the proof in it
    now (its edition PDF and manifest), or, when it holds only a preview, the last proof it kept."""
    folder = proof if _edition_pdf(proof) else proof / PREVIOUS
    name = _edition_pdf(folder)
    if not name:
        return {}
    return {f"{PREVIOUS}/{name}": (folder / name).read_bytes(),
            f"{PREVIOUS}/manifest.json": (folder / "manifest.json").read_bytes()}


def _manifest(folder: Path) -> dict:
    """A folder's manifest.json as written by a render; empty when it is missing or damaged."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def _edition_pdf(folder: Path) -> str | None:
    """The edition PDF a folder's manifest names, if the folder holds it."""
    name = _manifest(folder).get("edition_pdf")
    return name if isinstance(name, str) and "/" not in name and (folder / name).is_file() else None


def _proofs_made(proof: Path) -> int:
    """How many proofs of the date were made before: the count the proof folder's manifest keeps
    (a good render keeps it too, in the preview's manifest)."""
    count = _manifest(proof).get("proofs_made", 0)
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else 0


def _story_frames(flow: FlowResult, breaks: Mapping[str, list]) -> list[dict]:
    """Each story's blocks and the places of its lines that break at a space, as the manifest
    gives them to painted_lines."""
    return [{"story": fit.story, "blocks": [asdict(b) for b in fit.blocks], "space_breaks": breaks.get(fit.story, [])}
            for fit in flow.fits]


def _page_job(project: Project, edition: Edition, style: HouseStyle, geometry: PageGeometry, metrics,
              faces: Mapping[str, FontFace], page: PlacedPage) -> PageJob:
    """One page as its own HTML document, with subsets of only the characters it sets, and its key."""
    subsets = subset_fonts(_page_characters(page, style, set(faces)), faces)
    profile = style.print.profile
    css = stylesheet(geometry, style, {family: subset.url for family, subset in subsets.items()},
                     profile.path.as_uri())
    images = [block.image.image for block in page.blocks if block.image is not None] + \
        ([page.logo[0]] if page.logo else [])
    html = document_html([page_html(page, geometry, style, metrics, {path: path.as_uri() for path in images})],
                         edition_title(edition), document_timestamp(edition.date, style.print.time_zone), css)
    name = file_name(edition, style, page.number)
    roles = tuple(sorted(metrics))
    ads = tuple((block.ad.data, (geometry.type_left + block.rect.x, geometry.type_top + block.rect.y,
                                 block.rect.width, block.rect.height))
                for block in page.blocks if block.ad is not None)
    roots = (edition.root, profile.path)
    # The pictures it shows, and what they refer to, the cache entry lists by content (cache.py).
    key = cache_key(portable(html, roots), name, portable(repr(style.print), roots), repr(geometry), " ".join(roles),
                   *(hashlib.sha256(data).digest() + repr(frame).encode() for data, frame in ads))
    return PageJob(number=page.number, name=name, html=html, base_dir=edition.root, roots=roots,
                   fonts={subset.url: subset.data for subset in subsets.values()},
                   convert_root=edition.root, spec=style.print, geometry=geometry,
                   identity=f"{edition.code}/{name}", roles=roles, key=key, ads=ads)


def manifest_mismatches(files: Mapping[str, bytes], manifest: dict) -> list[Problem]:
    """The files (of those given) whose bytes are not the ones the manifest records: a page file
    copied over another, or left from another render."""
    recorded = {page["file"]: (page.get("sha256"), f"page {page['page']}") for page in manifest["pages"]}
    recorded[manifest["edition_pdf"]] = (manifest.get("edition_sha256"), "the edition PDF")
    return [Problem(name, None, f"is not {recorded[name][1]} as the render that wrote the manifest made it (its "
                                "bytes differ from those recorded): copied over, or from another render; render the "
                                "edition again")
            for name, data in files.items() if name in recorded
            and hashlib.sha256(data).hexdigest() != recorded[name][0]]


def check_deliverables(deliverables: Deliverables, geometry: PageGeometry, spec: PrintSpec) -> list[Problem]:
    """The print preflight of a rendered edition's files: every page file in full, the edition PDF for
    what only it can get wrong (page count and order)."""
    manifest = deliverables.manifest
    pages = [deliverables.files[page["file"]] for page in manifest["pages"]]
    problems = manifest_mismatches(deliverables.files, manifest)
    for page, data in zip(manifest["pages"], pages):
        problems += check_pdf(data, page["file"], geometry, 1, FAMILY_PREFIX, spec)
    problems += check_edition_order(deliverables.files[manifest["edition_pdf"]], manifest["edition_pdf"], pages)
    return problems


def page_file_glyphs(deliverables: Deliverables, geometry: PageGeometry, roles) -> dict[int, list]:
    """The glyphs of every page, read from the page files."""
    glyphs: dict[int, list] = {}
    for page in deliverables.manifest["pages"]:
        glyphs.update(glyphs_of_pages(deliverables.files[page["file"]], page["page"], geometry, roles))
    return glyphs
