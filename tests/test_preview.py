"""The preview page (issue 12), as Chromium shows it: every page's picture, every story block
outlined with its fit figure (overset in red), jump lines linked, the problems listed, no console
error and no picture missing."""
from __future__ import annotations

import re
import subprocess
import uuid

import pytest

from layout.errors import ProofOnlyError
from layout.pipeline import render_edition
from tests.conftest import SAMPLE, change_block, drop_images


def _chromium(page) -> tuple[str, str]:
    """The DOM Chromium made of a preview file, and what it logged."""
    return _chromium_url(page.as_uri())


def _chromium_url(url: str) -> tuple[str, str]:
    run = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                          "--v=0", "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout, run.stderr


def _shown(dom: str) -> None:
    """What every preview shows: its pictures loaded, every story block labelled, no script error."""
    assert 'class="missing"' not in dom and dom.count('<img src="page-0') == 2


def test_the_preview_of_an_overset_edition_marks_the_block_in_red(project):
    change_block(project, 1, "congress", lines=15)
    with pytest.raises(ProofOnlyError) as caught:
        render_edition(project, SAMPLE, jobs=1)
    fit = next(f for f in caught.value.rendered.flow.fits if f.story == "congress")
    dom, log = _chromium(project.output(SAMPLE + "-proof") / "index.html")
    assert ":CONSOLE" not in log, log
    _shown(dom)
    over = re.findall(r'<a class="block over"[^>]*data-story="(\w+)"><span class="label">\w+ <b>([^<]*)</b>', dom)
    assert over == [("congress", f"+{fit.overset_lines} 行 ≈ {fit.overset_chars} 字")]
    for story in ("frontlines", "awards", "sewage", "livestream", "notice"):
        assert f'data-story="{story}"><span class="label">{story}' in dom
    assert 'class="state proof">校样 · 不得付印' in dom and "story 'congress' is overset by" in dom
    assert re.search(r'<a class="jump" href="#page-2"', dom) and re.search(r'<a class="jump" href="#page-1"', dom)
    assert 'id="story-congress"' in dom and "stories/congress.md</code>" in dom
    assert '<a href="gzb-20200515-01.pdf">PDF</a>' in dom


def test_a_good_render_puts_its_preview_where_the_proof_was(project):
    change_block(project, 1, "congress", lines=15)
    with pytest.raises(ProofOnlyError):
        render_edition(project, SAMPLE, jobs=1)
    change_block(project, 1, "congress", lines=20)
    drop_images(project, 2)                      # grid areas no block covers, which the preview shows
    render_edition(project, SAMPLE, jobs=1)
    proof = project.output(SAMPLE + "-proof")
    assert sorted(p.name for p in proof.iterdir()) == ["index.html", "manifest.json", "page-01.jpg", "page-02.jpg",
                                                      "previous"]     # the last proof, for --changes
    dom, log = _chromium(proof / "index.html")
    assert ":CONSOLE" not in log
    _shown(dom)
    assert 'class="state print">可付印' in dom and 'class="block over"' not in dom
    assert '<a href="../2020-05-15/gzb-20200515-01.pdf">PDF</a>' in dom
    assert len(re.findall(r'class="block under"[^>]*><span class="label">\w+ <b>−\d 行</b>', dom)) == 4
    assert 'class="empty"' in dom


def test_a_word_broken_where_it_has_no_break_point_is_marked_where_it_is(project):
    story = project.editions / SAMPLE / "stories" / "awards.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("大会播放反映", "大会播放ABCDEFGHIJKLMNOPQRSTUVWXYZ反映", 1), encoding="utf-8")
    render_edition(project, SAMPLE, jobs=1)
    dom, log = _chromium(project.output(SAMPLE + "-proof") / "index.html")
    assert ":CONSOLE" not in log
    marks = re.findall(r'<div class="loose" title="([^"]*)"', dom)
    assert len(marks) == 1 and "ends inside a word or web address" in marks[0] and "awards.md" in marks[0]


def test_a_click_on_a_block_opens_its_story(project):
    render_edition(project, SAMPLE, jobs=1)
    page = project.output(SAMPLE + "-proof") / "index.html"
    dom, log = _chromium_url(page.as_uri() + "#story-awards")
    assert ":CONSOLE" not in log
    assert re.search(r'<details class="story" id="story-awards" open="">', dom)
    assert not re.search(r'<details class="story" id="story-notice" open', dom)


def test_a_draft_from_the_flow_shows_the_edit_before_the_pages_are_painted(project):
    """The watch's draft: the new fit and story text at once, over each page's picture — the page
    cache's for a page the edit leaves alone, a sketch drawn from the composition, marked, for the
    page it changes — and then the preview of the painted pages says the same fit."""
    render_edition(project, SAMPLE, jobs=1)
    story = project.editions / SAMPLE / "stories" / "frontlines.md"
    # An edit no run made before: the page cache, shared by the tests and kept between runs, cannot
    # hold its page.
    edit = f"区委{uuid.uuid4().hex[:8]}时间"
    story.write_text(story.read_text(encoding="utf-8").replace("区委第一时间", edit), encoding="utf-8")
    drafts = []
    rendered = render_edition(project, SAMPLE, jobs=1, draft=lambda folder, preview: drafts.append((folder, preview)))
    [(folder, draft)] = drafts
    page = draft.files["index.html"].decode("utf-8")
    final = (project.output(folder) / "index.html").read_text(encoding="utf-8")
    assert folder == f"{SAMPLE}-proof" and f"第10行：{edit}" in page and "排版中" in page
    assert page.count("草图") == 1 and 'id="page-1"' in page.split("草图")[0] and "草图" not in final
    label = re.compile(r'data-story="(\w+)"><span class="label">\w+( <b>[^<]*</b>)?')
    assert label.findall(page) == label.findall(final) and "可付印" in final
    assert draft.files["page-02.jpg"] == (project.output(folder) / "page-02.jpg").read_bytes()
    assert [p.cached for p in rendered.pages] == [False, True]


def test_a_sketch_of_a_page_looks_like_the_painted_page(sample):
    """The watch's sketch of a page being painted, drawn from its composition, against the page as
    painted: every story block, in pictures a quarter the preview's size, within a few grey levels
    on average (a sketch of the other page is tens of levels off)."""
    import io

    from PIL import Image, ImageChops, ImageStat

    from layout.fonts import load_font_faces
    from layout.proof.preview import DPI, page_picture
    from layout.proof.sketch import sketch_picture

    project, rendered = sample
    faces, geometry, scale = load_font_faces(project.fonts), rendered.geometry, DPI / 72
    pages = rendered.flow.pages
    sketches = [Image.open(io.BytesIO(sketch_picture(page, geometry, rendered.style, faces, rendered.metrics)))
                for page in pages]
    painted = [Image.open(io.BytesIO(page_picture(result.pdf, geometry))) for result in rendered.pages]

    def apart(sketch: Image.Image, picture: Image.Image, block) -> float:
        left, top = geometry.type_left + block.rect.x, geometry.type_top + block.rect.y
        box = tuple(round(v * scale) for v in (left, top, left + block.rect.width, top + block.rect.height))
        return ImageStat.Stat(ImageChops.difference(*(p.convert("L").crop(box).reduce(4)
                                                      for p in (sketch, picture)))).mean[0]

    for page, sketch, picture in zip(pages, sketches, painted):
        for block in (b for b in page.blocks if b.story is not None):
            assert apart(sketch, picture, block) < 15, (page.number, block.story)
    first = next(b for b in pages[0].blocks if b.story is not None)
    assert apart(sketches[0], painted[1], first) > 20
