"""The pipeline of design.md, end to end: plan → text → fonts → compose/flow → page → render →
assemble → check. Reading happens at the start, writing at the end; the CLI is a shell over this."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .assemble import Deliverables, assemble, write_output
from .check.preflight import check_pdf
from .check.problem import Problem
from .errors import LayoutError, OversetError
from .flow import FlowResult, flow_edition, format_date
from .fonts import (FAMILY_PREFIX, TextUse, cache_dir, check_coverage, load_font_faces, load_metrics,
                    subset_fonts)
from .geometry import PageGeometry, page_geometry
from .images import svg_text_uses
from .page import edition_html, page_html, stylesheet
from .plan import Edition, ImageBlock, file_name, load_edition
from .prepress.colour import check_profiles, convert_image
from .render import LockedFetcher, render_document
from .style import HouseStyle, PrintSpec
from .text import ClosingLines, Paragraph, Subhead
from .check.typography import StoryTypography, check_typography


@dataclass(frozen=True)
class Project:
    """Where an installation keeps its editions, house styles, fonts, output and page snapshots."""

    root: Path
    editions_dir: Path | None = None     # default: <root>/editions

    @property
    def editions(self) -> Path:
        return self.editions_dir or self.root / "editions"

    def snapshots(self, date: str) -> Path:
        return self.root / "tests" / "snapshots" / date

    def snapshot_report(self, date: str) -> Path:
        return self.root / "output" / "snapshots" / date

    @property
    def styles(self) -> Path:
        return self.root / "styles"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    def output(self, date: str) -> Path:
        return self.root / "output" / date


@dataclass(frozen=True)
class Rendered:
    edition: Edition
    style: HouseStyle
    geometry: PageGeometry
    flow: FlowResult
    deliverables: Deliverables
    typography: tuple[StoryTypography, ...]
    metrics: dict
    html: str
    refused_urls: tuple[str, ...]


def text_uses(edition: Edition, style: HouseStyle) -> list[TextUse]:
    """Everything the edition will set, by font role, with where it comes from (for 缺字 messages)."""
    role = {kind: ts.font for kind, ts in style.text.items()}
    uses: list[TextUse] = []
    for story in edition.stories.values():
        notice = story.kind == "notice"
        fields = [("kicker", story.kicker), ("notice-headline" if notice else "headline", story.headline),
                  ("notice-deck" if notice else "deck", story.deck), ("byline", story.byline),
                  ("jump-headline", story.jump_headline or story.headline)]
        for kind, text in fields:
            if text:
                uses.append(TextUse(role[kind], text, f"story '{story.id}', {kind}", story.path))
        for item in story.items:
            if isinstance(item, Paragraph):
                uses.append(TextUse(role["body"], item.text, f"story '{story.id}', paragraph {item.number}",
                                    story.path, item.line))
            elif isinstance(item, Subhead):
                uses.append(TextUse(role["subhead"], item.text, f"story '{story.id}', subhead", story.path,
                                    item.line))
            elif isinstance(item, ClosingLines):
                uses.append(TextUse(role["closing"], "".join(item.lines), f"story '{story.id}', closing lines",
                                    story.path, item.line))
    plan = edition.plan_path
    for page in edition.pages:
        for block in page.blocks:
            if isinstance(block, ImageBlock):
                for text in (block.caption, block.credit):
                    if text:
                        uses.append(TextUse(role["caption"], text, f"page {page.number}, caption", plan,
                                            block.source_line))
                uses += svg_text_uses(block.image, f"page {page.number}, {block.label}", set(role.values()))
        running = "".join(filter(None, [page.section, page.editor, style.running_head_page_format,
                                        style.running_head_editor_format]))
        uses.append(TextUse(role["running-head"], running + "0123456789", f"page {page.number}, running head",
                            plan))
    furniture = edition.paper + format_date(edition.date, style)
    uses.append(TextUse(role["masthead-title"], edition.paper, "masthead", plan))
    uses.append(TextUse(role["proof-mark"], style.proof_mark, "proof mark (house style)", style.path))
    uses.append(TextUse(role["masthead-text"], furniture + style.issue_format + style.pages_format + "0123456789",
                        "masthead", plan))
    uses.append(TextUse(role["running-head"], furniture, "running head", plan))
    slugs = "".join(style.print.slug_format + file_name(edition, style, page.number) for page in edition.pages)
    uses.append(TextUse(role["slug"], slugs + furniture + edition.date.isoformat() + "0123456789", "slug line",
                        style.path))
    uses.append(TextUse(role["jump-line"], style.jump_continued_to + style.jump_continued_from + "0123456789",
                        "jump lines (house style)", style.path))
    return uses


def _used_characters(flow: FlowResult, style: HouseStyle, uses: list[TextUse]) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {}
    for page in flow.pages:
        placed = list(page.furniture)
        for block in page.blocks:
            placed += block.lines
        for line in placed:
            used.setdefault(style.text[line.kind].font, set()).update(g.char for g in line.line.glyphs)
    for use in uses:
        if use.file is not None and use.file.suffix == ".svg":
            used.setdefault(use.role, set()).update(use.text)
    return used


def overset_message(flow: FlowResult) -> str | None:
    messages = []
    for fit in flow.fits:
        if fit.overset_lines:
            page = fit.blocks[-1].page
            messages.append(f"story '{fit.story}' is overset by {fit.overset_lines} lines on page {page} "
                            f"(stories/{fit.story}.md); cut the text or give its last block more lines")
    return "\n".join(messages) or None


def render_edition(project: Project, date: str) -> Rendered:
    edition, style = load_edition(project.editions, date, project.styles)
    geometry = page_geometry(style)
    faces = load_font_faces(project.fonts)
    for kind, text_style in style.text.items():
        if text_style.font not in faces:
            raise LayoutError(f"text kind '{kind}' uses font role '{text_style.font}', which fonts/fonts.yaml "
                              "does not define", style.path)
    metrics = {role: load_metrics(face) for role, face in faces.items()}
    check_profiles(style.print)
    uses = text_uses(edition, style)
    check_coverage(uses, metrics)
    flow = flow_edition(edition, style, geometry, metrics)
    overset = overset_message(flow)
    if overset:
        flow = flow_edition(edition, style, geometry, metrics, proof=True)
    subsets = subset_fonts(_used_characters(flow, style, uses), faces)
    profile = style.print.profile
    css = stylesheet(geometry, style, {role: path.as_uri() for role, path in subsets.items()}, profile.path.as_uri())
    image_urls = {block.image: block.image.as_uri() for page in edition.pages for block in page.blocks
                  if isinstance(block, ImageBlock)}
    pages = [page_html(page, geometry, style, metrics, image_urls) for page in flow.pages]
    html = edition_html(pages, f"{edition.paper} {edition.date.isoformat()}", edition.date,
                        style.print.time_zone, css)
    fetcher = LockedFetcher([edition.root, project.styles, project.fonts, cache_dir() / "subsets", profile.path],
                            convert_root=edition.root, convert=partial(convert_image, spec=style.print))
    document = render_document(html, edition.root, fetcher)
    fonts = [{"role": role, "family": faces[role].family, "file": str(faces[role].path),
              "sha256": faces[role].sha256} for role in sorted(subsets)]
    deliverables = assemble(document, edition, style, flow.fits, fonts)
    problems = check_deliverables(deliverables, geometry, len(edition.pages), style.print)
    if problems:
        raise LayoutError("the rendered PDF fails its check:\n" + "\n".join(str(p) for p in problems))
    typography = preflight_typography(deliverables.files[deliverables.manifest["edition_pdf"]],
                                      deliverables.manifest, style, geometry, metrics)
    deliverables.manifest["typography"] = [r.as_json() for r in typography]
    if overset:
        out = project.output(style.proof_folder.format(date=date))
        write_output(out, deliverables)
        raise OversetError(f"{overset}\na proof marked not for print is in {out}", edition.plan_path)
    write_output(project.output(date), deliverables)
    return Rendered(edition=edition, style=style, geometry=geometry, flow=flow, deliverables=deliverables,
                    typography=typography, metrics=metrics, html=html, refused_urls=tuple(fetcher.refused))


def preflight_typography(pdf: bytes, manifest: dict, style: HouseStyle, geometry: PageGeometry, metrics,
                         only_page: int | None = None) -> tuple[StoryTypography, ...]:
    """Measure the set text on a rendered PDF and refuse what the house style does not allow (all
    but loose lines, which are flagged for the editor)."""
    results = tuple(check_typography(pdf, manifest, style, geometry, metrics, only_page))
    faults = [fault for r in results for fault in r.faults()]
    if faults:
        raise LayoutError("typographic preflight failed:\n" + "\n".join(faults))
    return results


def check_deliverables(deliverables: Deliverables, geometry: PageGeometry, page_count: int,
                       spec: PrintSpec) -> list[Problem]:
    manifest = deliverables.manifest
    problems = []
    for page in manifest["pages"]:
        problems += check_pdf(deliverables.files[page["file"]], page["file"], geometry, 1, FAMILY_PREFIX, spec)
    problems += check_pdf(deliverables.files[manifest["edition_pdf"]], manifest["edition_pdf"], geometry,
                          page_count, FAMILY_PREFIX, spec)
    return problems
