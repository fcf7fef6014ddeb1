"""Prepare: everything an edition's input decides before a page is painted — the plan and stories
read and checked, every character in a font, the flow with its fit. `layout fit` stops here; the
pipeline goes on to paint. Nothing here imports the painting libraries, so it starts at once."""
from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Iterator, Mapping, Sequence

from .check.typography import PdfGlyph, SetLine, StoryTypography, judge_lines
from .compose import kept
from .errors import LayoutError
from .flow import FlowResult, flow_edition, format_date, line_size, masthead_info, proof_of, wide_word_remedy
from .fonts import FontFace, FontMetrics, TextUse, check_coverage
from .geometry import PageGeometry, Rect, page_geometry, units_to_pt
from .images import svg_text_uses
from .plan import AdBlock, Edition, ImageBlock, IndexBlock, file_name, load_edition
from .project import Project
from .prepress.colour import check_profiles
from .style import HouseStyle
from .text import ClosingLines, Names, Paragraph, Subhead, Verse


@dataclass
class Timings:
    """Wall-clock seconds per stage, in the order the stages ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - started


def _text_uses(edition: Edition, style: HouseStyle) -> list[TextUse]:
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
                bold = "".join(item.text[start:end] for start, end in item.bold)
                plain = "".join(ch for n, ch in enumerate(item.text) if not any(s <= n < e for s, e in item.bold))
                for kind, text in (("body", plain), ("bold", bold)):
                    if text:
                        uses.append(TextUse(role[kind], text, f"story '{story.id}', paragraph {item.number}",
                                            story.path, item.line))
            elif isinstance(item, Subhead):
                uses.append(TextUse(role["subhead"], item.text, f"story '{story.id}', subhead", story.path,
                                    item.line))
            elif isinstance(item, ClosingLines):
                uses.append(TextUse(role["closing"], "".join(item.lines), f"story '{story.id}', closing lines",
                                    story.path, item.line))
            elif isinstance(item, Verse):
                uses.append(TextUse(role["verse"], "".join(item.lines), f"story '{story.id}', verse", story.path,
                                    item.line))
            elif isinstance(item, Names):
                uses.append(TextUse(role["names"], "".join(item.names), f"story '{story.id}', names", story.path,
                                    item.line))
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
    for page in edition.pages:
        for block in page.blocks:
            if isinstance(block, IndexBlock):
                uses.append(TextUse(role["index-title"], style.index_title, "index title (house style)", style.path))
                uses.append(TextUse(role["index-entry"], "".join(edition.stories[s].headline for s in block.stories)
                                    + style.index_page_format + "0123456789", f"page {page.number}, index", plan,
                                    block.source_line))
    if edition.logo is not None:
        uses += svg_text_uses(edition.logo, "the masthead's logo", set(role.values()))
    for ear in filter(None, edition.ears):
        uses.append(TextUse(role["ear"], ear.replace("\n", ""), "ears of the masthead", plan))
    furniture = edition.paper + format_date(edition.date, style)
    uses.append(TextUse(role["masthead-title"], edition.paper, "masthead", plan))
    uses.append(TextUse(role["masthead-text"], "".join(t for group in masthead_info(edition, style) for t in group),
                        "masthead", plan))
    uses.append(TextUse(role["proof-mark"], style.proof_mark, "proof mark (house style)", style.path))
    stamp = style.proof_stamp.format(number="〇一二三四五六七八九十", time="0123456789-: ")
    uses.append(TextUse(role["proof-stamp"], stamp, "proof stamp (house style)", style.path))
    uses.append(TextUse(role["masthead-text"], furniture + style.issue_format + style.pages_format + "0123456789",
                        "masthead", plan))
    uses.append(TextUse(role["running-head"], furniture, "running head", plan))
    slugs = "".join(style.print.slug_format + file_name(edition, style, page.number) for page in edition.pages)
    uses.append(TextUse(role["slug"], slugs + furniture + edition.date.isoformat() + "0123456789", "slug line",
                        style.path))
    uses.append(TextUse(role["jump-line"], style.jump_continued_to + style.jump_continued_from + "0123456789",
                        "jump lines (house style)", style.path))
    return uses


def _overset_messages(flow: FlowResult, edition: Edition) -> list[str]:
    """Per overset story: how much to cut, or how many grid lines its last block needs, and the
    paragraphs where a cut of a few characters saves a line."""
    messages = []
    for fit in flow.fits:
        if not fit.overset_lines:
            continue
        story = edition.stories[fit.story]
        last = fit.blocks[-1]
        message = (f"{story.path}: story '{fit.story}' is overset by {fit.overset_lines} lines on page {last.page} "
                   f"(about {fit.overset_chars} characters at {fit.line_chars} a line); cut that much, or give its "
                   f"block on page {last.page} {fit.grid_lines_short} more grid "
                   f"{'line' if fit.grid_lines_short == 1 else 'lines'}")
        if fit.cuts:
            message += "; a line is saved by cutting " + ", or ".join(
                f"{cut.chars} from the paragraph at line {cut.line}" for cut in fit.cuts)
        messages.append(message)
    return messages


def _ad_messages(edition: Edition, style: HouseStyle, geometry: PageGeometry) -> list[str]:
    """What keeps each advertisement from print (prepress/ads.py), one message each, with its plan line."""
    ads = [(page, block) for page in edition.pages for block in page.blocks if isinstance(block, AdBlock)]
    if not ads:
        return []
    from .prepress.ads import checked_ad      # pypdf and Ghostscript: only for an edition with ads
    messages = []
    for page, block in ads:
        frame = geometry.grid_rect(block.area.col, block.area.cols, block.area.line, block.area.lines)
        messages += [f"{edition.plan_path}:{block.source_line}: page {page.number}: ad '{block.source}' {problem}"
                     for problem in checked_ad(block.data, frame.width, frame.height, style.print)]
    return messages


def composed_lines(flow: FlowResult, style: HouseStyle, geometry: PageGeometry) -> dict[str, list[SetLine]]:
    """Each story's body lines as the flow set them, on the trim box, in reading order: what the
    typographic preflight judges, and what the painted pages must hold."""
    lines: dict[str, list[SetLine]] = {}
    fonts = {False: style.text["body"].font, True: style.text["bold"].font}
    for page in flow.pages:
        for block in page.blocks:
            if block.story is None:
                continue
            left, top = geometry.type_left + block.rect.x, geometry.type_top + block.rect.y
            story = lines.setdefault(block.story, [])
            for placed in block.lines:
                if placed.kind != "body":
                    continue
                frame = next(f for f in block.frames if f.x - 0.01 <= placed.x < f.right)
                size = line_size(placed, style)
                x, baseline = left + placed.x, top + placed.baseline
                glyphs = tuple(PdfGlyph(g.char, x + units_to_pt(g.x, size), baseline, fonts[g.bold])
                               for g in placed.line.glyphs)
                story.append(SetLine(page=page.number, frame=Rect(left + frame.x, top + frame.y, frame.width,
                                                                  frame.height),
                                     glyphs=glyphs, text=placed.line.quoted, space_after=placed.line.space_after,
                                     paragraph_end=placed.paragraph_end, source_line=placed.source_line))
    return lines


def typography_messages(results: Sequence[StoryTypography], edition: Edition, hyphenating: bool) -> list[str]:
    """One line per typographic fault: the story file and the line its paragraph starts on, the
    page, what is wrong and what to do (`hyphenating`: the house style breaks English words). A line
    not flush is the copy's to change (a word too wide); the others the composer must never set,
    and are reported as the engine's fault."""
    messages = []
    for result in results:
        story = edition.stories[result.story]
        for what, item in result.fault_items():
            label = item[:item.index("'", 1) + 1] if item.startswith("'") else ""
            line = result.source_lines.get(label)
            if line is None:        # read from a PDF: the paragraph that holds the line's text
                text = label.strip("'").replace(" ", "").removesuffix("-")
                line = next((p.line for p in story.items if isinstance(p, Paragraph) and text
                             and text in p.text.replace(" ", "")), None)
            where = f"{story.path}:{line}" if line else str(story.path)
            messages.append(f"{where}: story '{story.id}', page {result.page}: {what}: {item}; "
                            f"{wide_word_remedy(hyphenating) if what == 'not flush' else ENGINE_FAULT}")
    return messages


ENGINE_FAULT = "the engine set this line wrongly: please report it with this edition"


def plan_and_flow(project: Project, date: str, faces: Mapping[str, FontFace], metrics: Mapping[str, FontMetrics],
                  timings: Timings) -> tuple[Edition, HouseStyle, PageGeometry, FlowResult, list[str]]:
    """Everything an edition's input decides before a page is painted: the plan and stories read and
    checked, every character in a font, the flow and its lines judged by the typographic preflight;
    and what keeps the edition from print (overset stories, lines that cannot be made flush, any
    other typographic fault), for which the flow is a proof."""
    with timings.stage("plan"):
        edition, style = load_edition(project.editions, date, project.styles)
        geometry = page_geometry(style)
        for kind, text_style in style.text.items():
            if text_style.font not in faces:
                raise LayoutError(f"text kind '{kind}' uses font role '{text_style.font}', which fonts/fonts.yaml "
                                  "does not define", style.path)
        check_profiles(style.print)
        check_coverage(_text_uses(edition, style), metrics)
    with timings.stage("ads"):
        ad_refusals = _ad_messages(edition, style, geometry)
    with timings.stage("flow"):
        # The compositions of the last flow of this edition, with this house style and these fonts.
        identity = (str(project.editions / date), style, faces)
        compositions = kept.load(*identity)
        flow = flow_edition(edition, style, geometry, metrics, compositions)
        kept.store(compositions, *identity)
        composed = composed_lines(flow, style, geometry)
        typography = judge_lines(composed, style, geometry, metrics)
        flow = replace(flow, typography=tuple(typography), composed=composed)
        refusals = _overset_messages(flow, edition) + [fault.message() for fault in (*flow.faults, *flow.misplaced)]
        # A story the composer already found at fault is told once: the preflight would name its line again.
        known = {fault.story for fault in flow.faults}
        refusals += typography_messages([r for r in typography if r.story not in known], edition,
                                        style.punctuation.hyphenation is not None)
        refusals += ad_refusals
        if refusals:
            flow = proof_of(flow, style, geometry, metrics)
    return edition, style, geometry, flow, refusals
