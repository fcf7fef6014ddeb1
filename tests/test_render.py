"""End to end on the sample edition: measured on the PDF, not on the engine's own data."""
from __future__ import annotations

import io
import re
import subprocess

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from layout.pipeline import render_edition
from layout.geometry import units_to_pt
from layout.geometry import grid_baseline
from layout.text import ClosingLines, Names, Paragraph, Subhead, Verse
from tests.conftest import SAMPLE, copy_project
from layout.check.pdftext import pdf_glyphs

FLUSH_TOLERANCE_PT = 0.1


def _edition_pdf(rendered):
    manifest = rendered.deliverables.manifest
    return pdfium.PdfDocument(rendered.deliverables.files[manifest["edition_pdf"]])


def _story_text(story) -> str:
    parts = []
    for item in story.items:
        if isinstance(item, (Paragraph, Subhead)):
            parts.append(item.text)
        elif isinstance(item, (ClosingLines, Verse)):
            parts.extend(item.lines)
        elif isinstance(item, Names):
            parts.extend(item.names)
    if story.byline:
        parts.append(story.byline)
    return re.sub("[ \u3000]", "", "".join(parts))      # spaces are set as space, not as glyphs


def _text_in(glyphs, metrics, size: float, left: float, top: float, right: float, bottom: float,
             added: set) -> str:
    """Glyphs whose advance is centred in the rectangle (within 1 pt: a mark at a line edge has half
    its box outside the column; gutters are far wider), in the order the PDF draws them, but for the
    hyphens the engine `added` (by position) where a line ends inside a word."""
    out = []
    for g in glyphs:
        if g.role is None:       # an advertisement's type, in its own fonts
            continue
        centre = g.x + metrics[g.role].advance(g.char) * size / 2000
        if left - 1 <= centre <= right + 1 and top <= g.baseline <= bottom and not (
                g.char == "-" and any(abs(g.x - x) < 0.2 and abs(g.baseline - y) < 0.2 for x, y in added)):
            out.append(g.char)
    return "".join(out)


def _added_hyphens(rendered) -> dict[int, set]:
    """Page → positions of the hyphens the composer added at line ends."""
    geometry, size = rendered.geometry, rendered.style.body_size_pt
    added: dict[int, set] = {}
    for page in rendered.flow.pages:
        for block in page.blocks:
            for placed in block.lines:
                if placed.line.hyphenated:
                    hyphen = placed.line.glyphs[-1]
                    x = geometry.type_left + block.rect.x + placed.x + units_to_pt(hyphen.x, size)
                    added.setdefault(page.number, set()).add((x, geometry.type_top + block.rect.y + placed.baseline))
    return added


def test_every_story_body_is_in_the_pdf_in_order_exactly_once(any_edition, metrics):
    _, rendered = any_edition
    geometry, style = rendered.geometry, rendered.style
    pdf = _edition_pdf(rendered)
    chars = [pdf_glyphs(pdf, i, geometry.trim_height, metrics) for i in range(len(pdf))]
    found: dict[str, str] = {}
    added = _added_hyphens(rendered)
    for page in rendered.flow.pages:
        for block in page.blocks:
            if block.story is None:
                continue
            for frame in block.frames:
                left = geometry.type_left + block.rect.x + frame.x
                top = geometry.type_top + block.rect.y + frame.y
                found[block.story] = found.get(block.story, "") + _text_in(
                    chars[page.number - 1], metrics, style.body_size_pt, left, top, left + frame.width,
                    top + frame.height, added.get(page.number, set()))
    jump = re.compile("|".join(re.escape(w).replace(r"\{page\}", r"\d+")
                               for w in (style.jump_continued_to, style.jump_continued_from)))
    assert set(found) == set(rendered.edition.stories)
    for story_id, story in rendered.edition.stories.items():
        assert jump.sub("", found[story_id]) == _story_text(story), story_id
    # pypdf's reading of each whole page, without the hyphens the composer may have added (nor the
    # text's own: a reader cannot tell them apart)
    whole = "".join(re.sub(r"\s+|-", "", PdfReader(io.BytesIO(
        rendered.deliverables.files[rendered.deliverables.manifest["edition_pdf"]])).pages[i].extract_text())
        for i in range(len(pdf)))
    all_text = "".join(_story_text(story) for story in rendered.edition.stories.values()).replace("-", "")
    for story in rendered.edition.stories.values():
        for item in story.items:
            if isinstance(item, Paragraph):
                opening = item.text.replace(" ", "").replace("-", "")[:8]
                assert whole.count(opening) == all_text.count(opening), (story.id, opening)


def test_body_lines_end_at_the_column_edge(any_edition, metrics):
    _, rendered = any_edition
    body = rendered.style.text["body"]

    def advance(ch: str) -> float:
        return metrics[body.font].advance(ch) * body.size_pt / 1000

    geometry, punct = rendered.geometry, rendered.style.punctuation
    half_width_marks = punct.closing | punct.pause | punct.stop
    pdf = _edition_pdf(rendered)
    checked = 0
    for page in rendered.flow.pages:
        chars = pdf_glyphs(pdf, page.number - 1, geometry.trim_height, metrics)
        for block in page.blocks:
            for placed in block.lines:
                if placed.kind != "body" or placed.paragraph_end:
                    continue
                left = geometry.type_left + block.rect.x + placed.x
                edge = left + placed.measure
                baseline = geometry.type_top + block.rect.y + placed.baseline
                on_line = [c for c in chars if abs(c.baseline - baseline) < 0.5 and left - 0.5 <= c.x < edge]
                assert on_line, f"page {page.number}: no glyphs found for '{placed.line.text}'"
                last = max(on_line, key=lambda c: c.x)
                # The PDF's glyph origin plus the font's advance; a line-end mark set half width
                # (PC-5) ends at its ink half.
                ends = [last.x + advance(last.char)]
                if last.char in half_width_marks:
                    ends.append(last.x + advance(last.char) / 2)
                assert min(abs(e - edge) for e in ends) <= FLUSH_TOLERANCE_PT, \
                    f"page {page.number}: '{placed.line.text}' ends at {ends}, column edge {edge:.3f}"
                checked += 1
    assert checked > 60, "each edition has far more such lines"


def test_gr5_every_line_of_a_text_column_is_on_the_grid(any_edition, metrics):
    """Body lines, bylines, closing lines and jump lines alike: each glyph inside a text column sits
    on a baseline of the page's line grid, measured on the PDF."""
    _, rendered = any_edition
    geometry = rendered.geometry
    first = geometry.type_top + grid_baseline(geometry, 0)
    pdf = _edition_pdf(rendered)
    kinds = set()
    for page in rendered.flow.pages:
        glyphs = pdf_glyphs(pdf, page.number - 1, geometry.trim_height, metrics)
        for block in page.blocks:
            kinds |= {placed.kind for placed in block.lines}
            for frame in block.frames:
                left, top = geometry.type_left + block.rect.x + frame.x, geometry.type_top + block.rect.y + frame.y
                for g in glyphs:
                    if left <= g.x < left + frame.width and top <= g.baseline <= top + frame.height:
                        step = (g.baseline - first) / geometry.pitch
                        assert abs(step - round(step)) * geometry.pitch < 0.05, \
                            f"page {page.number}: '{g.char}' at {g.baseline:.2f} pt is off the grid"
    assert {"body", "byline", "jump-line"} <= kinds


def test_fonts_are_embedded_subsets(sample):
    project, rendered = sample
    out = project.output(SAMPLE)
    for page in rendered.deliverables.manifest["pages"]:
        listing = subprocess.run(["pdffonts", str(out / page["file"])], capture_output=True, text=True,
                                 check=True).stdout.splitlines()[2:]
        assert listing, "no fonts"
        for row in listing:
            name, emb, sub = row.split()[0], row.split()[-5], row.split()[-4]
            assert (emb, sub) == ("yes", "yes"), row
            assert re.match(r"^[A-Z]{6}\+layout-", name), row


def test_trim_box_inside_a_bleed_box_of_3mm_inside_the_media_box(sample):
    project, rendered = sample
    out = project.output(SAMPLE)
    for page in rendered.deliverables.manifest["pages"]:
        info = subprocess.run(["pdfinfo", "-box", str(out / page["file"])], capture_output=True, text=True,
                              check=True).stdout
        boxes = {m[0]: [float(v) for v in m[1:]] for m in
                 re.findall(r"^(\w+Box):\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)", info, re.M)}
        trim, bleed, media = boxes["TrimBox"], boxes["BleedBox"], boxes["MediaBox"]
        assert (trim[2] - trim[0]) / 72 * 25.4 == pytest.approx(390, abs=0.01)
        assert (trim[3] - trim[1]) / 72 * 25.4 == pytest.approx(540, abs=0.01)
        bleed_mm = [(trim[0] - bleed[0]), (trim[1] - bleed[1]), (bleed[2] - trim[2]), (bleed[3] - trim[3])]
        assert [b / 72 * 25.4 for b in bleed_mm] == pytest.approx([3, 3, 3, 3], abs=0.01)
        slug_mm = [(trim[0] - media[0]), (trim[1] - media[1]), (media[2] - trim[2]), (media[3] - trim[3])]
        assert [b / 72 * 25.4 for b in slug_mm] == pytest.approx([10, 10, 10, 10], abs=0.01)


def test_output_and_manifest(sample):
    project, rendered = sample
    out = project.output(SAMPLE)
    manifest = rendered.deliverables.manifest
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [p["file"] for p in manifest["pages"]] + [manifest["edition_pdf"], "manifest.json"])
    assert [p["page"] for p in manifest["pages"]] == [1, 2]
    fits = {s["story"]: s for s in manifest["stories"]}
    assert all(s["overset_lines"] == 0 for s in fits.values())
    assert [b["page"] for b in fits["frontlines"]["blocks"]] == [1, 2]
    assert [b["page"] for b in fits["livestream"]["blocks"]] == [1, 2]


def test_jump_lines_carry_real_page_numbers(sample):
    _, rendered = sample
    reader = PdfReader(io.BytesIO(rendered.deliverables.files[rendered.deliverables.manifest["edition_pdf"]]))
    page1, page2 = (re.sub(r"\s+", "", p.extract_text()) for p in reader.pages)
    assert page1.count("（下转第2版）") == 2
    assert page2.count("（上接第1版）") == 2


def test_same_input_renders_byte_identical_files(sample, tmp_path):
    _, first = sample
    again = render_edition(copy_project(tmp_path), SAMPLE)
    assert again.deliverables.files == first.deliverables.files


def test_a_second_render_replaces_the_output_whole(sample, tmp_path):
    project = copy_project(tmp_path)
    render_edition(project, SAMPLE)
    out = project.output(SAMPLE)
    (out / "stale.pdf").write_bytes(b"old")
    render_edition(project, SAMPLE)
    assert not (out / "stale.pdf").exists()
    assert sorted(p.name for p in out.parent.iterdir()) == [SAMPLE, f"{SAMPLE}-proof"]   # the preview beside it; no hidden folders


def test_a_headline_size_the_plan_asks_for_is_the_size_painted(sample):
    """The sample's lead asks for 小初 (headline-size); the house style's headline is 一号. pdfium
    gives sizes in CSS px (WeasyPrint scales by 0.75 to pt)."""
    import pypdfium2.raw as raw

    project, rendered = sample
    pdf = pdfium.PdfDocument(rendered.deliverables.files["gzb-20200515-01.pdf"])
    text = pdf[0].get_textpage()
    page = text.get_text_range()

    def size_of(start: str) -> float:
        return round(raw.FPDFText_GetFontSize(text, page.index(start)) * 0.75, 2)

    assert size_of("扛起疫情防控") == rendered.style.hao["小初"]
    assert size_of("向奋战在抗疫") == rendered.style.text["headline"].size_pt
    # and centred on its block as its breaks were measured
    lead = next(b for b in rendered.flow.pages[0].blocks if b.story == "frontlines")
    headline = next(l for l in lead.lines if l.kind == "headline")
    width = units_to_pt(headline.line.width, rendered.style.hao["小初"])
    assert abs(headline.x + width / 2 - lead.rect.width / 2) < 0.5
    left = text.get_charbox(page.index("扛起疫情防控"), loose=True)[0]     # PDF space has its origin on the trim
    assert abs(left - (rendered.geometry.type_left + lead.rect.x + headline.x)) < 0.1


def test_the_page_user_agent_stylesheet_paints_as_weasyprints_own(tmp_path):
    """PAGE_UA_STYLESHEET keeps only the rules of WeasyPrint's HTML user-agent stylesheet that touch a
    page's elements: page 1 of the sample (photos, the masthead, rules, every text kind) comes out
    byte for byte as with WeasyPrint's whole stylesheet."""
    import weasyprint

    from layout.fonts import load_fonts
    from layout.pipeline import _page_job
    from layout.prepare import Timings, plan_and_flow
    from layout.render.fetch import PageHTML
    from layout.render.pages import _fetcher

    project = copy_project(tmp_path)
    faces, metrics = load_fonts(project.fonts)
    edition, style, geometry, flow, _ = plan_and_flow(project, SAMPLE, faces, metrics, Timings())
    job = _page_job(project, edition, style, geometry, metrics, faces, flow.pages[0])
    assert "<img" in job.html
    base = str(job.base_dir) + "/"
    own = PageHTML(string=job.html, base_url=base, url_fetcher=_fetcher(job)).write_pdf()
    whole = weasyprint.HTML(string=job.html, base_url=base, url_fetcher=_fetcher(job)).write_pdf()
    assert own == whole
