"""Page snapshots: every page of every edition compared with its baseline, as a reader would see it.

`pytest -k snapshot` runs these; `pytest -k snapshot --update-snapshots` (or `layout snapshot update
<date>`) accepts the current pages as the new baselines.
"""
from __future__ import annotations

import shutil

import pytest
import yaml
from PIL import Image, ImageChops

from layout.proof import snapshot
from layout.geometry import page_geometry
from layout.pipeline import Project, render_edition
from tests.conftest import MAKEUP, MINI, MIXED, NARROW, REPO, SAMPLE, TORTURE, copy_project


def _snapshots(rendered):
    manifest = rendered.deliverables.manifest
    return snapshot.snapshot_pages(rendered.deliverables.files[manifest["edition_pdf"]], rendered.flow.pages,
                                   rendered.geometry, rendered.metrics)


@pytest.mark.parametrize("edition, date", [("sample", SAMPLE), ("torture", TORTURE), ("narrow", NARROW),
                                           ("mini", MINI), ("makeup", MAKEUP), ("mixed", MIXED)])
def test_snapshot_pages_match_their_baselines(edition, date, request):
    _, rendered = request.getfixturevalue(edition)
    pages = _snapshots(rendered)
    baselines = REPO / "tests" / "snapshots" / date
    if request.config.getoption("--update-snapshots"):
        snapshot.update(pages, baselines)
    report = REPO / "output" / "snapshots" / date
    problems = [p for result in snapshot.compare(pages, baselines, report) for p in result.problems]
    assert not problems, "\n".join(problems)


def _render_mini(project: Project, change=None):
    if change:
        change(project)
    rendered = render_edition(project, MINI)
    report = project.root / "report"
    results = snapshot.compare(_snapshots(rendered), REPO / "tests" / "snapshots" / MINI, report)
    return rendered, [p for r in results for p in r.problems], report


def _edit_story(project):
    story = project.editions / MINI / "stories" / "short.md"
    story.write_text(story.read_text(encoding="utf-8").replace("稳就业", "稳就职"), encoding="utf-8")


def _move_block(project):
    plan = project.editions / MINI / "edition.yaml"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["pages"][0]["blocks"][0]["line"] += 1
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _body_size(project):
    style = project.styles / "broadsheet.yaml"
    style.write_text(style.read_text(encoding="utf-8").replace("  body:            {font: body, size: 小五}",
                                                               "  body:            {font: body, size: 10pt}"),
                     encoding="utf-8")


@pytest.mark.parametrize("change", [_edit_story, _move_block, _body_size], ids=["character", "line", "body-size"])
def test_snapshot_fails_on_a_visible_change_and_draws_it(change, tmp_path):
    rendered, problems, report = _render_mini(copy_project(tmp_path), change)
    assert problems and problems[0].startswith("page 1: ") and "pixels changed" in problems[0]
    diff = Image.open(report / "page-01-diff.png").convert("RGB")
    assert (report / "page-01-actual.png").is_file()
    r, g, _ = diff.split()
    red = ImageChops.logical_and(r.point(lambda v: 255 if v == 220 else 0).convert("1"),
                                 g.point(lambda v: 255 if v == 0 else 0).convert("1"))
    assert red.histogram()[255] > snapshot.MAX_CHANGED_PIXELS
    # The red lies where the story is: the change is shown where it happened.
    geometry = page_geometry(rendered.style)
    block = rendered.flow.pages[0].blocks[0].rect
    scale = snapshot.DPI / 72
    left, top = (geometry.type_left + block.x) * scale, (geometry.type_top + block.y - geometry.pitch) * scale
    right, bottom = left + block.width * scale, top + (block.height + 2 * geometry.pitch) * scale
    x0, y0, x1, y1 = red.getbbox()
    assert left - 3 <= x0 and y0 >= top - 3 and x1 <= right + 3 and y1 <= bottom + 3, (red.getbbox(), left, top)
    if change is _edit_story:
        assert "稳就职" in problems[-1] and "text changed" in problems[-1]


def test_snapshot_update_accepts_new_baselines(tmp_path):
    project = copy_project(tmp_path / "project")
    _edit_story(project)
    rendered = render_edition(project, MINI)
    baselines = tmp_path / "baselines"
    shutil.copytree(REPO / "tests" / "snapshots" / MINI, baselines)
    pages = _snapshots(rendered)
    assert any(r.problems for r in snapshot.compare(pages, baselines, tmp_path / "report"))
    snapshot.update(pages, baselines)
    assert not any(r.problems for r in snapshot.compare(pages, baselines, tmp_path / "report"))


def test_a_page_gone_from_the_edition_is_told_and_old_report_pictures_are_cleared(tmp_path):
    """Only the pages that exist were compared: a lost page passed as unchanged; and the pictures of
    an earlier diff stayed beside an 'unchanged'."""
    page = snapshot.PageSnapshot(number=1, image=Image.new("L", (20, 30), 255), text="标题\n")
    baselines, report = tmp_path / "baselines", tmp_path / "report"
    snapshot.update([page, snapshot.PageSnapshot(number=2, image=page.image, text="")], baselines)
    report.mkdir()
    (report / "page-01-diff.png").write_bytes(b"an earlier diff")
    results = snapshot.compare([page], baselines, report)
    assert [r.problems for r in results] == [(), (f"page 2: in the baselines ({baselines}), not in the edition now: "
                                                  "a page removed? accept it with `layout snapshot update`",)]
    assert not (report / "page-01-diff.png").exists()
    words = {"new": "page {page}: new since the last proof", "gone": "page {page}: in the last proof, gone now"}
    assert snapshot.compare([page, snapshot.PageSnapshot(number=3, image=page.image, text="")], baselines, report,
                            words)[1].problems == ("page 3: new since the last proof",)
