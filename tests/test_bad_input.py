"""Bad input gets one message naming the file, the line and what to do — never a traceback, a hang
or a read outside the edition — and the earlier output stays as it was (issue 11)."""
from __future__ import annotations

import errno
import io
import json
import multiprocessing
import os
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

from layout import cli, fonts, pipeline
from layout.proof import snapshot
from layout.assemble import Deliverables, write_output
from layout.check.preflight import check_pdf
from layout.errors import LayoutError, ProofOnlyError
from layout.fonts import _face_data, cache_dir, load_font_faces
from layout.geometry import page_geometry
from layout.pipeline import render_edition
from layout.plan import load_edition
from layout.style import load_style
from tests.conftest import REPO, SAMPLE, copy_project

# An alias bomb: nine anchors, each a list of nine aliases of the one before (9⁹ strings expanded).
ALIAS_BOMB = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefghi", "bcdefghij"))


def _plan(project):
    return project.editions / SAMPLE / "edition.yaml"


def _story(project, name="frontlines"):
    return project.editions / SAMPLE / "stories" / f"{name}.md"


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _render_failing(project, error: type[LayoutError], date=SAMPLE) -> LayoutError:
    """Render over an earlier good output, expecting `error`; the earlier output stays as it was."""
    earlier = project.output(SAMPLE)
    earlier.mkdir(parents=True)
    (earlier / "gzb-20200515.pdf").write_bytes(b"an earlier good render")
    with pytest.raises(error) as caught:
        render_edition(project, date, jobs=1)
    assert (earlier / "gzb-20200515.pdf").read_bytes() == b"an earlier good render"
    return caught.value


def _refused(project, date=SAMPLE) -> LayoutError:
    """A render refused before any page: no proof either."""
    error = _render_failing(project, LayoutError, date)
    assert not project.output(f"{SAMPLE}-proof").exists()
    return error


PLAN_CASES = {
    "alias bomb": (lambda t: ALIAS_BOMB + t, 1, "YAML anchors and aliases ('&a', '*a') are not allowed"),
    "custom tag": (lambda t: t.replace("paper: 港闸报", "paper: !custom 港闸报"), 2,
                   "YAML tags such as '!custom' are not allowed"),
    "python tag": (lambda t: t.replace("paper: 港闸报", "paper: !!python/name:os.system"), 2,
                   "YAML tags such as '!!python/name:os.system' are not allowed"),
    "int tag": (lambda t: t.replace("issue: 1234", "issue: !!int abc"), 4, "YAML tags such as '!!int'"),
    "deep nesting": (lambda t: t.replace("paper: 港闸报", "paper: 港闸报\nx: " + "[" * 300 + "]" * 300), None,
                     "nested more than 32 levels deep"),
    "impossible date": (lambda t: t.replace("date: 2020-05-15", "date: 2020-02-30"), 3,
                        "'2020-02-30' is not a date that exists"),
    "duplicate key": (lambda t: t.replace("issue: 1234", "issue: 1234\nissue: 5"), 5,
                      "'issue' is given twice (first on line 4); keep one"),
    "key not a name": (lambda t: t.replace("issue: 1234", "issue: 1234\n? [a, b]\n: c"), 5,
                       "a key must be a name, not a list"),
    "page 1.0": (lambda t: t.replace("  - page: 1", "  - page: 1.0"), 8, "expected page 1, found 1.0"),
    "page true": (lambda t: t.replace("  - page: 1", "  - page: true"), 8, "expected page 1, found True"),
    "size inf": (lambda t: t.replace("headline-size: 小初", "headline-size: .inf"), 13,
                 "size inf is not between 4 and 300 pt"),
    "size nan": (lambda t: t.replace("headline-size: 小初", "headline-size: .nan"), 13, "size nan is not between"),
    "size negative": (lambda t: t.replace("headline-size: 小初", "headline-size: -20"), 13, "size -20 is not"),
    "size zero": (lambda t: t.replace("headline-size: 小初", "headline-size: 0"), 13, "size 0 is not"),
    "format path": (lambda t: t.replace("format: broadsheet", "format: ../styles/broadsheet"), 6,
                    "'format' names a house style"),
    "text-columns in the thousands": (lambda t: t.replace("text-columns: 1\n", "text-columns: 665643\n"), 80,
                                      "'text-columns' is 665643, but a block of 3 grid columns holds at most 6"),
    "format name too long": (lambda t: t.replace("format: broadsheet", "format: " + "x" * 3000), 6,
                             "'format' names a house style"),
    "story id too long": (lambda t: t.replace("story: notice", "story: " + "n" * 3000), 75, "at most 64"),
    "image name too long": (lambda t: t.replace("image: images/awards.svg", "image: images/" + "a" * 3000 + ".png"),
                            23, "cannot be opened: File name too long"),
    "code too long": (lambda t: t.replace("code: gzb", "code: " + "g" * 300), 5, "at most 32"),
    "crop unknown": (lambda t: t.replace("image: images/awards.svg", "image: images/awards.svg\n        crop: stretch"),
                     24, "'crop' is fit (the whole picture) or fill"),
    "focus without fill": (lambda t: t.replace("image: images/awards.svg", "image: images/awards.svg\n        focus: 0.5,0.3"),
                           24, "'focus' chooses what a cut picture keeps; it needs 'crop: fill'"),
    "focus out of range": (lambda t: t.replace("image: images/awards.svg",
                                               "image: images/awards.svg\n        crop: fill\n        focus: 2,0.3"),
                           25, "'focus' is two numbers from 0 to 1"),
    "caption on the left": (lambda t: t.replace("image: images/awards.svg",
                                                "image: images/awards.svg\n        caption-side: left"),
                            24, "'caption-side' is below or right"),
    "serial number with a line break": (lambda t: t.replace("code: gzb", 'code: gzb\nserial-numbers: ["CN\\n32"]'),
                                        6, "'serial-numbers' lists texts on one line each"),
    "a story twice in the index": (lambda t: t.replace("index: [", "index: [congress, congress, "), 45,
                                   "'index' names congress more than once"),
    "ears not a mapping": (lambda t: t[:t.index("ears:\n")] + "ears: [a, b]\n", None,
                           "'ears' gives the text of the left and right ear"),
    "line break in a caption": (lambda t: t.replace("caption: 我区庆祝五一国际劳动节暨先进命名大会命名的先进集体和优秀个人。",
                                                    'caption: "我区庆祝\\n五一"'),
                                28, "'caption' holds a line break; write it on one line"),
    "paragraph separator in a caption": (
        lambda t: t.replace("caption: 我区庆祝五一国际劳动节暨先进命名大会命名的先进集体和优秀个人。", 'caption: "我区庆祝\u2029五一"'),
        28, "'caption' holds a line break; write it on one line"),
    "empty caption": (lambda t: t.replace("caption: 我区庆祝五一国际劳动节暨先进命名大会命名的先进集体和优秀个人。", 'caption: ""'),
                      28, "'caption' is empty: give it text, or leave the key out"),
    "tab in an ear": (lambda t: t.replace("    晴转多云\n", "    晴转\t多云\n"), 92,
                      "'left' holds a control character (U+0009, a tab), which is not text: delete it"),
}


@pytest.mark.parametrize("case", PLAN_CASES, ids=list(PLAN_CASES))
def test_a_bad_plan_value_is_one_message_with_its_line(case, project):
    change, line, expected = PLAN_CASES[case]
    plan = _plan(project)
    plan.write_text(change(plan.read_text(encoding="utf-8")), encoding="utf-8")
    error = _refused(project)
    assert expected in error.message
    assert error.file == plan and (line is None or error.line == line), (error.file, error.line)


def test_a_logo_that_states_no_size_is_refused(project):
    """Drawn at whatever size its content happened to take, the paper's name came out small at the
    left of the masthead."""
    logo = project.editions / SAMPLE / "images" / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><text x="0" y="20">港闸报</text></svg>', encoding="utf-8")
    _replace(_plan(project), "code: gzb", "code: gzb\nlogo: images/logo.svg")
    error = _refused(project)
    assert "logo 'images/logo.svg' states no size: give its <svg> a viewBox" in error.message
    assert error.file == _plan(project) and error.line == 6


STORY_CASES = {
    "kind a list": ("headline: 扛起", "kind: [notice]\nheadline: 扛起", "kind '['notice']' is not known"),
    "line break in a byline": ("byline: 港组", 'byline: "港\\n组"', "'byline' holds a line break; write it on one line"),
    "escape in a headline": ("headline: 扛起疫情防控经济发展“双肩”担当", 'headline: "扛起\\x1b担当"',
                             "'headline' holds a control character (U+001B)"),
    "tab in the body": ("全区上下", "全区\t上下", "control character U+0009 (\\t) is not text; delete it"),
    "text lost to an encoding": ("全区上下", "全区\ufffd\ufffd上下", "the replacement character '\ufffd' (U+FFFD) stands "
                                 "where text was lost to a wrong encoding"),
    "an accent with no letter": ("全区上下", "全区\u0301上下", "the accent U+0301 makes no single character with the "
                                 "letter before it"),
    "tag in front matter": ("byline: 港组", "byline: !!binary 5rih", "YAML tags such as '!!binary'"),
    "bold in a subhead": ("## 筑实战“疫”壁垒", "## **筑实战**“疫”壁垒", "run-in bold (**…**) is for paragraphs; a subhead"),
    "unpaired bold": ("全区上下", "**全区上下", "a '**' has no partner"),
}


@pytest.mark.parametrize("case", STORY_CASES, ids=list(STORY_CASES))
def test_a_bad_story_value_is_one_message_with_its_line(case, project):
    old, new, expected = STORY_CASES[case]
    _replace(_story(project), old, new)
    error = _refused(project)
    assert expected in error.message and error.file == _story(project) and error.line is not None


def test_front_matter_is_text_even_where_yaml_would_see_a_date_or_a_yes(project):
    _replace(_story(project), "headline: 扛起疫情防控经济发展“双肩”担当", "headline: 2020-02-30")
    _replace(_story(project), "byline: 港组", "byline: yes")
    rendered = render_edition(project, SAMPLE, jobs=1)
    story = rendered.edition.stories["frontlines"]
    assert (story.headline, story.byline) == ("2020-02-30", "yes")


def test_a_story_file_that_links_outside_the_edition_is_not_read(project):
    secret = project.root / "secret.md"
    secret.write_text("---\nheadline: 秘密\n---\n不该印出的内容。\n", encoding="utf-8")
    story = _story(project, "awards")
    story.unlink()
    story.symlink_to(secret)
    error = _refused(project)
    assert "is a link to" in error.message and "outside the edition folder" in error.message
    assert error.file == story


def test_a_plan_that_links_outside_the_edition_is_not_read(project):
    secret = project.root / "elsewhere.yaml"
    shutil.copy(_plan(project), secret)
    _plan(project).unlink()
    _plan(project).symlink_to(secret)
    error = _refused(project)
    assert "is a link to" in error.message and "outside the edition folder" in error.message


@pytest.mark.parametrize("date", ["../2020-05-15", "2020-5-15", "2020-02-30", "/etc"])
def test_the_date_given_must_be_an_edition_date(date, project):
    error = _refused(project, date)
    assert f"'{date}' is not an edition date: give the day as YYYY-MM-DD" in error.message


def test_an_output_path_that_is_a_file_is_left_alone_and_named(project):
    out = project.output(SAMPLE)
    out.parent.mkdir(parents=True)
    out.write_text("not a folder")
    with pytest.raises(LayoutError) as caught:
        render_edition(project, SAMPLE, jobs=1)
    assert f"{out} is a file, not a folder; move it away" in caught.value.message
    assert out.read_text() == "not a folder"


def test_a_proof_path_that_is_a_file_stops_the_render_before_the_print_files_change(project):
    """Exit 2 and yet new print files in output/<date> would tell the operator nothing was published
    when it was."""
    render_edition(project, SAMPLE, jobs=1)
    manifest = (project.output(SAMPLE) / "manifest.json").read_bytes()
    proof = project.output(f"{SAMPLE}-proof")
    shutil.rmtree(proof)
    proof.write_text("not a folder")
    _replace(_story(project), "全区上下", "全区上上下下")
    with pytest.raises(LayoutError) as caught:
        render_edition(project, SAMPLE, jobs=1)
    assert f"{proof} is a file, not a folder; move it away" in caught.value.message
    assert (project.output(SAMPLE) / "manifest.json").read_bytes() == manifest


def test_an_output_folder_that_cannot_be_made_is_one_message(project):
    (project.root / "output").write_text("a file where the output folder should be")
    with pytest.raises(LayoutError) as caught:
        render_edition(project, SAMPLE, jobs=1)
    assert "cannot write" in caught.value.message and "check that the folder is writable" in caught.value.message


def test_a_swap_a_crash_interrupted_is_repaired_by_the_next_render(project):
    """A crash between the two renames leaves the earlier output in a hidden folder and none in
    place; the next render puts things right and leaves no hidden folders."""
    parent = project.output(SAMPLE).parent
    earlier = parent / f".{SAMPLE}.old-crashed" / "previous"
    earlier.mkdir(parents=True)
    (earlier / "manifest.json").write_text("{}")
    (parent / f".{SAMPLE}.new-crashed").mkdir()
    render_edition(project, SAMPLE, jobs=1)
    assert (project.output(SAMPLE) / "gzb-20200515.pdf").is_file()
    assert sorted(p.name for p in parent.iterdir()) == [SAMPLE, f"{SAMPLE}-proof"]   # the preview beside it; no hidden folders


def test_ctrl_c_is_one_line_and_exit_130(project, monkeypatch, capsys):

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "render_edition", interrupted)
    assert cli.main(["--root", str(project.root), "render", SAMPLE]) == 130
    assert capsys.readouterr().err == "interrupted; the earlier output is kept\n"


def test_a_damaged_metrics_cache_heals_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    face = load_font_faces(REPO / "fonts")["kicker"]
    whole = _face_data(face)
    (cached,) = (cache_dir() / "metrics").glob("*.json")
    cached.write_text(cached.read_text()[:100])
    monkeypatch.setattr(fonts, "_FACE_DATA", {})        # the next command: a process that read nothing yet
    assert _face_data(face) == whole


def _write_many(out, tag, start):
    start.wait()            # both at once
    for n in range(50):
        write_output(out, Deliverables(files={f"{tag}-{i}.pdf": f"{tag}{n}".encode() for i in range(5)},
                                       manifest={"by": tag, "n": n}))


def test_two_renders_of_one_date_take_turns_at_the_swap(tmp_path):
    out = tmp_path / "output" / SAMPLE
    # spawn: a forked child could inherit a lock another thread of the test run held at the fork
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [context.Process(target=_write_many, args=(out, tag, start)) for tag in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    by = json.loads((out / "manifest.json").read_text())["by"]
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{by}-{i}.pdf" for i in range(5)] + ["manifest.json"])
    assert [p.name for p in out.parent.iterdir()] == [SAMPLE]


def _pdf(catalog_extra=b"", kids=b"3 0 R", page=b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]>>", objects=b""):
    """A small PDF with an exact cross-reference table (qpdf rewrites it)."""
    body = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R" + catalog_extra + b">>endobj\n2 0 obj<</Type/Pages/Kids["
            + kids + b"]/Count 1>>endobj\n3 0 obj" + page + b"endobj\n" + objects + b"trailer<</Root 1 0 R/Size 5>>\n%%EOF\n")
    with tempfile.TemporaryDirectory() as folder:
        source, fixed = f"{folder}/in.pdf", f"{folder}/out.pdf"
        open(source, "wb").write(body)
        subprocess.run(["qpdf", "--stream-data=preserve", source, fixed], capture_output=True)
        return open(fixed, "rb").read()


def _flate_bomb() -> bytes:
    data = zlib.compress(b"0" * (200 * 1024 * 1024), 9)
    return _pdf(page=b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 100 100]/Contents 4 0 R>>",
                objects=b"4 0 obj<</Length " + str(len(data)).encode() + b"/Filter/FlateDecode>>stream\n" + data
                + b"\nendstream endobj\n")


HOSTILE = {
    "not a PDF": (lambda: b"hello", "is not a PDF (it does not start with %PDF-)"),
    "empty": (lambda: b"", "is empty"),
    "truncated": (lambda: b"%PDF-1.4\n1 0 obj<</Type/Catalog", "cannot be read as a PDF"),
    "cyclic page tree": (lambda: _pdf(kids=b"2 0 R"), "cannot be read as a PDF: PdfReadError: Detected cyclic"),
    "Flate bomb": (_flate_bomb, "cannot be read as a PDF: LimitReachedError"),
    "JavaScript": (lambda: _pdf(catalog_extra=b"/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
                   "holds JavaScript or actions (the document's /OpenAction); a print file must not"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_layout_check_reads_any_file_without_a_traceback(case, style):
    make, expected = HOSTILE[case]
    problems = check_pdf(make(), "x.pdf", page_geometry(style), None, None, style.print)
    assert any(expected in p.message for p in problems), [str(p) for p in problems]


def test_an_encrypted_pdf_is_named_as_such(sample, style, tmp_path):
    project, _ = sample
    source = project.output(SAMPLE) / "gzb-20200515-01.pdf"
    subprocess.run(["qpdf", "--encrypt", "user", "owner", "256", "--", str(source), str(tmp_path / "e.pdf")], check=True)
    problems = check_pdf((tmp_path / "e.pdf").read_bytes(), "e.pdf", page_geometry(style), None, None, style.print)
    assert [p.message for p in problems] == ["is encrypted; a print file must open without a password"]


@pytest.mark.parametrize("change, expected", [
    (lambda m: "{bad", "cannot be read as JSON"),
    (lambda m: m.replace('"file": "gzb-20200515-01.pdf"', '"file": "../../../etc/passwd"'),
     "names '../../../etc/passwd', which is not a PDF in this folder"),
    (lambda m: m.replace('"format": "broadsheet"', '"format": "../styles/x"'), "not a path"),
    (lambda m: "[]", "holds a JSON list, not the object of an edition"),
], ids=["bad JSON", "a file outside the folder", "a format that is a path", "a list"])
def test_layout_check_trusts_no_manifest(change, expected, sample, tmp_path, capsys):
    project, _ = sample
    out = tmp_path / "output" / SAMPLE
    shutil.copytree(project.output(SAMPLE), out)
    for name in ("styles", "fonts"):
        shutil.copytree(project.root / name, tmp_path / name)
    manifest = out / "manifest.json"
    manifest.write_text(change(manifest.read_text(encoding="utf-8")), encoding="utf-8")
    assert cli.main(["--root", str(tmp_path), "check", SAMPLE]) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_a_corrupt_snapshot_baseline_is_a_problem_not_a_traceback(sample, tmp_path):
    _, rendered = sample
    baselines = tmp_path / "baselines"
    shutil.copytree(REPO / "tests" / "snapshots" / SAMPLE, baselines)
    (baselines / "page-01.png").write_bytes(b"not a png")
    manifest = rendered.deliverables.manifest
    pages = snapshot.snapshot_pages(rendered.deliverables.files[manifest["edition_pdf"]], rendered.flow.pages,
                                    rendered.geometry, rendered.metrics)
    first, second = snapshot.compare(pages, baselines, tmp_path / "report")
    assert "the baseline in" in first.problems[0] and "cannot be read" in first.problems[0]
    assert not second.problems


def test_messages_say_what_is_meant(project):
    """A date shown as a date, a byte order mark read as nothing, an empty subhead named as such."""
    _replace(_plan(project), "date: 2020-05-15", "date: 2021-06-20")
    assert "'date' is 2021-06-20 but the folder is 2020-05-15" in _refused(project).message


def test_a_byte_order_mark_is_not_text(project):
    for path in (_plan(project), _story(project)):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    rendered = render_edition(project, SAMPLE, jobs=1)
    assert rendered.edition.stories["frontlines"].headline.startswith("扛起")


def test_an_empty_subhead_is_named(project):
    _replace(_story(project), "## 筑实战“疫”壁垒,防控措施“强力度”", "## ")
    error = _refused(project)
    assert "'## ' starts a subhead, but no text follows it" in error.message and error.line == 8


def test_control_characters_in_a_message_are_shown_not_sent_to_the_terminal(project, capsys):
    _replace(_plan(project), "issue: 1234", "issue: 1234\n\"\\e[31mred\": 1")
    assert cli.main(["--root", str(project.root), "render", SAMPLE]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[31mred" in err


SVG_CASES = {
    "image outside the edition": ('<image href="{secret}" x="0" y="0" width="10" height="10"/>',
                                  "refers to {secret}, outside the edition folder: copy it into the edition folder"),
    "image in the house styles": ('<image href="../../../styles/secret.png" width="10" height="10"/>',
                                  "refers to ../../../styles/secret.png, outside the edition folder"),
    "use of another file": ('<use href="{secret}#a"/>', "<use> refers to {secret}#a, another file; only elements of "
                                                        "the same SVG are drawn"),
    "web address in CSS": ('<rect style="fill:url(https://example.com/p.svg#g)" width="5" height="5"/>',
                           "refers to https://example.com/p.svg#g; nothing is fetched from the network"),
    "missing picture": ('<image xlink:href="gone.png" width="10" height="10" '
                        'xmlns:xlink="http://www.w3.org/1999/xlink"/>', "refers to gone.png, which does not exist"),
}


@pytest.mark.parametrize("case", SVG_CASES, ids=list(SVG_CASES))
def test_what_a_graphic_refers_to_is_checked_before_it_renders(case, project):
    """WeasyPrint would draw such a graphic blank: external <use> it never draws, and what the URL
    fetcher refuses it leaves out."""
    secret = project.root / "styles" / "secret.png"
    shutil.copy(REPO / "tests" / "snapshots" / SAMPLE / "page-01.png", secret)
    element, expected = SVG_CASES[case]
    svg = project.editions / SAMPLE / "images" / "awards.svg"
    _replace(svg, '<line x1="0"', element.format(secret=secret.as_uri()) + '<line x1="0"')
    error = _refused(project)
    assert f"image 'images/awards.svg' {expected.format(secret=secret.as_uri())}" in error.message
    assert error.file == _plan(project) and error.line == 23


@pytest.fixture
def rendered_once(project, tmp_path_factory):
    """The sample rendered with a cache of its own: (cache folder, the edition PDF's bytes)."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LAYOUT_CACHE_DIR", str(cache))
        render_edition(project, SAMPLE, jobs=1)
    return cache, (project.output(SAMPLE) / "gzb-20200515.pdf").read_bytes()


def test_a_damaged_font_subset_in_the_cache_is_made_anew(project, rendered_once, monkeypatch):
    cache, good = rendered_once
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(cache))
    shutil.rmtree(cache / "pages")
    subsets = sorted((cache / "subsets").glob("*.otf"))
    for subset in subsets:
        subset.write_bytes(subset.read_bytes()[:len(subset.read_bytes()) // 2])
    render_edition(project, SAMPLE, jobs=1)
    assert (project.output(SAMPLE) / "gzb-20200515.pdf").read_bytes() == good
    assert all(len(subset.read_bytes()) > 1000 for subset in subsets)


def test_a_cache_that_cannot_be_written_costs_time_not_the_render(project, rendered_once, monkeypatch):
    _, good = rendered_once
    blocked = project.root / "not-a-folder"
    blocked.write_text("a file where the cache would be")
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(blocked / "layout"))
    render_edition(project, SAMPLE, jobs=1)
    assert (project.output(SAMPLE) / "gzb-20200515.pdf").read_bytes() == good


def test_a_cache_emptied_during_a_render_changes_nothing(project, rendered_once, monkeypatch):
    cache, good = rendered_once
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(cache))
    shutil.rmtree(cache / "pages")
    render_pages = pipeline.render_pages

    def emptied_first(*args, **kwargs):
        shutil.rmtree(cache)
        return render_pages(*args, **kwargs)
    monkeypatch.setattr(pipeline, "render_pages", emptied_first)
    render_edition(project, SAMPLE, jobs=2)
    assert (project.output(SAMPLE) / "gzb-20200515.pdf").read_bytes() == good


def test_a_full_disk_is_one_message_and_the_earlier_output_stays(project, rendered_once, monkeypatch):
    out = project.output(SAMPLE)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write_bytes = Path.write_bytes

    def full(path, data):
        if ".new-" in str(path) and path.name.endswith("-02.pdf"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return write_bytes(path, data)
    monkeypatch.setattr(Path, "write_bytes", full)
    (project.editions / SAMPLE / "stories" / "notice.md").write_text(
        (project.editions / SAMPLE / "stories" / "notice.md").read_text(encoding="utf-8").replace("。", "！", 1),
        encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        render_edition(project, SAMPLE, jobs=1)
    assert f"cannot write {out}: No space left on device" in caught.value.message
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in out.parent.iterdir()) == [SAMPLE, f"{SAMPLE}-proof"]   # the preview beside it; no hidden folders


def _picture(project, name: str, data: bytes) -> None:
    """The sample's graphic block shows images/<name> instead of its SVG."""
    (project.editions / SAMPLE / "images" / name).write_bytes(data)
    _replace(_plan(project), "image: images/awards.svg", f"image: images/{name}")


def _png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size: enough for a reader of headers, no pixels behind it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def _jpeg(size=(900, 1300)) -> bytes:
    out = io.BytesIO()
    Image.effect_noise(size, 40).convert("RGB").save(out, format="JPEG", quality=90)
    return out.getvalue()


PICTURE_CASES = {
    "not a picture": (b"\xff\xd8\xff\xe0 not really a JPEG" * 5, "is not a PNG or JPEG picture that can be read"),
    "empty": (b"", "is not a PNG or JPEG picture that can be read"),
    "decompression bomb": (_png_header(30000, 30000), "has more than 89 million pixels; scale it down"),
}


@pytest.mark.parametrize("case", PICTURE_CASES, ids=list(PICTURE_CASES))
def test_a_file_that_is_no_picture_is_named_by_its_plan_line(case, project):
    data, expected = PICTURE_CASES[case]
    _picture(project, "photo.jpg", data)
    error = _refused(project)
    assert f"image 'images/photo.jpg' {expected}" in error.message
    assert error.file == _plan(project) and error.line == 23 and "BytesIO" not in error.message


def _proof(project) -> str:
    """Render an edition that must go out as a proof: its message, with the print output untouched."""
    error = _render_failing(project, ProofOnlyError)
    assert (project.output(f"{SAMPLE}-proof") / "gzb-20200515.pdf").is_file()
    return error.message


def test_a_cut_off_photo_is_named_by_its_plan_line_not_printed_half_grey(project, tmp_path):
    """Also when the page comes from the cache, written by a copy of the project in another folder."""
    whole = _jpeg()
    _picture(project, "photo.jpg", whole[:len(whole) // 2])
    copy = copy_project(tmp_path / "copy")
    shutil.rmtree(copy.editions / SAMPLE)
    shutil.copytree(project.editions / SAMPLE, copy.editions / SAMPLE)
    for each in (project, copy):
        message = _proof(each)
        assert f"{_plan(each)}:23: page 1: image 'images/photo.jpg' cannot be read as a picture: image file is " \
               "truncated" in message and "the page prints without it" in message


def test_a_picture_too_coarse_for_its_block_is_named_with_the_pixels_it_needs(project):
    _picture(project, "photo.png", _png(40, 60))
    message = _proof(project)
    assert f"{_plan(project)}:23: page 1: image 'images/photo.png' is 13 dpi as placed (40 × 60 pixels over " \
           "77 × 115 mm), under the house style's 200 dpi; use a picture of at least 605 × 907 pixels" in message
    assert "/i" not in message.split("\n")[0]      # no PDF object names


def _png(width, height) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "red").save(out, format="PNG")
    return out.getvalue()


def test_a_page_file_that_fails_the_print_preflight_gives_a_proof_naming_it(project):
    """A picture inside a graphic is not known to the plan: the preflight finds it too coarse."""
    (project.editions / SAMPLE / "images" / "tiny.png").write_bytes(_png(8, 8))
    _replace(project.editions / SAMPLE / "images" / "awards.svg", '<line x1="0"',
             '<image href="tiny.png" x="0" y="0" width="100" height="100"/><line x1="0"')
    message = _proof(project)
    assert "gzb-20200515-01.pdf page 1: image" in message and "dpi as placed, under 200 dpi: the page file fails " \
           "the print preflight" in message


MISFIT_CASES = {
    "2,400-character caption": (
        "edition.yaml", "caption: 我区庆祝五一国际劳动节暨先进命名大会命名的先进集体和优秀个人。", "caption: " + "很长的图片说明" * 340,
        "edition.yaml:23: page 1: the caption of image 'images/awards.svg' takes 91 lines of the block's 33, "
        "leaving none for the picture; shorten the caption or give the block more lines"),
    "300-character paper name": (
        "edition.yaml", "paper: 港闸报", "paper: " + "港闸报" * 100,
        "edition.yaml:2: page 1: the masthead (the paper name beside date, issue and pages) needs 6350 mm, and has "
        "175 mm; shorten the paper name"),
    "long credit": ("edition.yaml", "credit: 本报制图", "credit: " + "本报制图" * 10,
                    "edition.yaml:23: page 1: the credit of image 'images/awards.svg' is 127 mm wide, its caption's "
                    "column 86 mm; shorten the credit"),
    "long section": ("edition.yaml", "  - page: 2\n    section: 要闻", "  - page: 2\n    section: " + "要闻" * 30,
                     "edition.yaml:60: page 2: the running head (page and section, paper name, date and editor) needs "
                     "210 mm, and has 176 mm"),
    "long closing line": ("stories/notice.md", "\n2020年5月13日", "\n2020年5月13日" + "南通市港闸区人民代表大会常务委员会" * 2,
                          "notice.md:8: page 2: the closing line '2020年5月13日南通市"),
    "headline word wider than its block": (
        "stories/awards.md", "headline: ", "headline: Internationalization ",
        "awards.md:2: page 1: the headline of story 'awards' has a word, 'Internationalization', 91 mm wide at 26 pt; "
        "its block ("),
    "block lower than its headline": (
        "edition.yaml", "line: 17\n        lines: 26", "line: 17\n        lines: 3",
        "edition.yaml:18: page 1: story 'awards' has 3 lines here but needs 11 for its headline group and one line "
        "of text; give the block more lines, or shorten the headline or set it smaller ("),
}


@pytest.mark.parametrize("case", MISFIT_CASES, ids=list(MISFIT_CASES))
def test_text_that_does_not_fit_its_place_gives_a_proof_and_its_line(case, project):
    name, old, new, expected = MISFIT_CASES[case]
    _replace(project.editions / SAMPLE / name, old, new)
    assert expected in _proof(project)


def test_a_block_too_low_for_its_headline_is_told_all_the_lines_it_lacks(project):
    """26 lines held the story; cut to 3, the advice gives back all 23: those its headline group
    overran and those its text needs."""
    _replace(_plan(project), "line: 17\n        lines: 26", "line: 17\n        lines: 3")
    assert "story 'awards' is overset by 31 lines on page 1 (about 403 characters at 13 a line); cut that much, " \
           "or give its block on page 1 23 more grid lines" in _proof(project)


def test_a_story_file_far_too_big_is_refused_before_it_is_composed(project):
    _story(project).write_text("---\nheadline: 长\n---\n" + "长" * 400_000 + "\n", encoding="utf-8")
    error = _refused(project)
    assert "larger than 1024 KB" in error.message and error.file == _story(project)


def test_a_story_that_is_a_folder_is_one_message(project):
    _story(project).unlink()
    _story(project).mkdir()
    error = _refused(project)
    assert "story 'frontlines' cannot be read: Is a directory" in error.message


def test_a_damaged_picture_inside_a_graphic_gives_a_proof_naming_both(project):
    whole = _jpeg((300, 300))
    (project.editions / SAMPLE / "images" / "inner.jpg").write_bytes(whole[:len(whole) // 3])
    _replace(project.editions / SAMPLE / "images" / "awards.svg", '<line x1="0"',
             '<image href="inner.jpg" x="0" y="0" width="10" height="10"/><line x1="0"')
    message = _proof(project)
    assert "page 1: images/awards.svg refers to file://" in message and "inner.jpg, which cannot be read as a " \
           "picture: image file is truncated" in message and "the page prints without it" in message


def test_a_house_style_that_links_outside_the_styles_is_not_read(project):
    elsewhere = project.root / "mystyle.yaml"
    shutil.copy(project.styles / "broadsheet.yaml", elsewhere)
    (project.styles / "linked.yaml").symlink_to(elsewhere)
    _replace(_plan(project), "format: broadsheet", "format: linked")
    error = _refused(project)
    assert "is a link to" in error.message and "outside" in error.message and error.line == 6


def test_ascii_symbols_among_chinese_render_and_pass_the_preflight(project):
    """Once `上下*和-` crashed the typographic preflight (KeyError '\ufffe')."""
    _replace(_story(project), "全区上下", "上下*和-")
    rendered = render_edition(project, SAMPLE, jobs=1)
    assert "上下*和-" in "".join(g.char for result in rendered.pages for g in result.glyphs)


def test_the_graphic_that_refers_to_a_missing_file_is_found_among_photos_and_broken_svgs(tmp_path):
    """A page with a photo, an SVG that cannot be read and the SVG that refers to the file."""
    from layout.pipeline import _refers_to
    photo, broken, graphic = tmp_path / "p.jpg", tmp_path / "b.svg", tmp_path / "g.svg"
    photo.write_bytes(_jpeg((20, 20)))
    broken.write_text("<svg", encoding="utf-8")
    graphic.write_text('<svg xmlns="http://www.w3.org/2000/svg"><image href="inner.jpg"/></svg>', encoding="utf-8")
    url = (tmp_path / "inner.jpg").as_uri()
    assert [path.name for path in (photo, broken, graphic) if _refers_to(path, url)] == ["g.svg"]


STYLE_CASES = {
    "a page file outside output/": ('page: "{code}-{yyyymmdd}-{page:02d}.pdf"', 'page: "../../evil-{page}.pdf"',
                                    "'page' gives '../../evil-1.pdf', which is not a plain file name"),
    "one name for every page": ('page: "{code}-{yyyymmdd}-{page:02d}.pdf"', 'page: "page.pdf"',
                                "files.page must give each page a name of its own"),
    "the manifest's name": ('edition: "{code}-{yyyymmdd}.pdf"', 'edition: "manifest.json"', "not manifest.json"),
    "a field not known": ('page: "{code}-{yyyymmdd}-{page:02d}.pdf"', 'page: "{paper_code}-{page}.pdf"',
                          "'page' may name only {page}, {code}, {yyyymmdd}, {date}"),
    "a format the field cannot take": ('page: "{code}-{yyyymmdd}-{page:02d}.pdf"', 'page: "{code}-{page:s}.pdf"',
                                       "'page' is not a text with fields its values fit (Unknown format code 's' "
                                       "for object of type 'int'): {page} is a number such as 1"),
    "the proof over the print files": ('folder: "{date}-proof"', 'folder: "{date}"',
                                       "proof.folder must differ from the print folder"),
    "the proof outside output/": ('folder: "{date}-proof"', 'folder: "../../{date}-proof"', "not a plain file name"),
    "a jump line's field": ('continued_to: "（下转第{page}版）"', 'continued_to: "（下转第{pg}版）"',
                            "'continued_to' may name only {page}"),
    "an unclosed brace": ('date_format: "{year}年{month}月{day}日"', 'date_format: "{year年"',
                          "'date_format' is not a text with fields its values fit (expected '}' before end of "
                          "string)"),
    "a slug field": ('slug_format: "{paper}  {date}  第{page}版  {file}"', 'slug_format: "{x}{paper}"',
                     "'slug_format' may name only {paper}, {date}, {page}, {file}"),
    "an index by position": ('page_format: "第{page}版"', 'page_format: "第{0}版"', "'page_format' may name only {page}"),
    "three weekdays": ("weekday_names: [星期一, 星期二, 星期三, 星期四, 星期五, 星期六, 星期日]",
                       "weekday_names: [一, 二, 三]", "'weekday_names' lists the seven days' names"),
    "no line pitch": ("line_pitch_pt: 11.25", "line_pitch_pt: 0", "'line_pitch_pt' is 0; it must lie between 4 and 100"),
    "lines closer than the type": ("line_pitch_pt: 11.25", "line_pitch_pt: 6", "body lines would overlap"),
    "a type area below the trim": ("type_area_top_mm: 30", "type_area_top_mm: 400",
                                   "the type area ends 888 mm down"),
    "a grid wider than the trim": ("columns: 8\n", "columns: 30\n", "the grid is 1330 mm wide"),
    "a small trim": ("trim_mm: [390, 540]", "trim_mm: [100, 100]", "the grid is 352 mm wide"),
    "negative bleed": ("bleed_mm: 3", "bleed_mm: -3", "'bleed_mm' is -3; it must lie between 0 and 20"),
    "a negative inset": ("inset_em: 1 ", "inset_em: -5 ", "'inset_em' is -5"),
    "rules as bars": ("between_stories_pt: 0.5", "between_stories_pt: 50", "'between_stories_pt' is 50"),
    "a negative gutter": ("gutter_em: 1", "gutter_em: -1", "'gutter_em' is -1"),
    "an indent of a column": ("first_line_indent_em: 2", "first_line_indent_em: 20", "'first_line_indent_em' is 20"),
    "a masthead taller than the page": ("  lines: 16 ", "  lines: 200 ", "masthead 'lines' is 200"),
    "a trim with its unit": ("trim_mm: [390, 540]", "trim_mm: [390mm, 540]", "'trim_mm' is the trimmed page's"),
    "a format the value cannot take": ('slug_format: "{paper}  {date}  第{page}版  {file}"',
                                       'slug_format: "{paper} {date:%Y}"',
                                       "'slug_format' is not a text with fields its values fit (Invalid format "
                                       "specifier"),
    "a page file not a PDF": ('page: "{code}-{yyyymmdd}-{page:02d}.pdf"', 'page: "{code}-{page:02d}.PDF"',
                              "files.page must end in .pdf"),
    "media smaller than the bleed": ("slug_mm: 10", "slug_mm: 2", "'slug_mm' 2 is the media around the trim"),
    "a running head off the trim": ("type_area_top_mm: 30", "type_area_top_mm: 2", "leaves the running head"),
}


@pytest.mark.parametrize("case", STYLE_CASES, ids=list(STYLE_CASES))
def test_a_house_style_value_the_pages_cannot_take_is_refused_with_its_line(case, tmp_path):
    """Each once wrote files outside output/, overwrote one page with the next, ended in a traceback,
    or printed the text off the page with exit 0."""
    old, new, expected = STYLE_CASES[case]
    styles = tmp_path / "styles"
    shutil.copytree(REPO / "styles", styles)
    path = styles / "broadsheet.yaml"
    _replace(path, old, new)
    with pytest.raises(LayoutError) as caught:
        load_style(styles, "broadsheet")
    assert expected in caught.value.message
    assert caught.value.file == path and caught.value.line is not None


@pytest.mark.parametrize("content", ["", "[body, headline]\n"], ids=["empty", "a list"])
def test_a_fonts_file_that_maps_no_role_is_one_message(content, project):
    (project.root / "fonts" / "fonts.yaml").write_text(content, encoding="utf-8")
    error = _refused(project)
    assert "fonts.yaml maps each font role" in error.message and error.file.name == "fonts.yaml"


def test_a_watch_port_out_of_range_is_refused_before_anything_runs(project, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["--root", str(project.root), "watch", SAMPLE, "--port", "99999"])
    assert caught.value.code == 2
    assert "must be a port number from 1 to 65535, not '99999'" in capsys.readouterr().err


def test_a_date_written_in_quotes_is_the_same_day(project):
    _replace(_plan(project), "date: 2020-05-15", 'date: "2020-05-15"')
    assert render_edition(project, SAMPLE, jobs=1).edition.date.isoformat() == SAMPLE


def test_a_pinned_hash_in_capitals_is_the_same_hash(project):
    fonts = project.root / "fonts" / "fonts.yaml"
    text = fonts.read_text(encoding="utf-8")
    pinned = text.split("sha256: ", 1)[1].split()[0]
    fonts.write_text(text.replace(pinned, pinned.upper()), encoding="utf-8")
    assert "body" in load_font_faces(project.root / "fonts")


def test_a_command_outside_any_project_says_so(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["render", "2020-05-15"]) == 2
    err = capsys.readouterr().err
    assert f"no layout project in {tmp_path.resolve()} or above it" in err and "--root" in err


def test_watching_an_edition_that_is_not_there_stops_at_once(project, capsys):
    assert cli.main(["--root", str(project.root), "watch", "2020-05-16"]) == 2
    err = capsys.readouterr().err
    assert "no edition for 2020-05-16: expected the page plan" in err and "rendered" not in err


def test_hao_is_not_a_page_format(project):
    _replace(_plan(project), "format: broadsheet", "format: hao")
    assert "'format: hao' names the table of 号 sizes, not a page format" in _refused(project).message


def test_a_face_the_collection_does_not_hold_is_named_with_its_line(project):
    fonts = project.root / "fonts" / "fonts.yaml"
    _replace(fonts, "face: Noto Serif CJK SC   #", "face: Noto Serif CJK XX   #")
    error = _refused(project)
    assert "no face named 'Noto Serif CJK XX'" in error.message and "Noto Serif CJK SC" in error.message
    assert error.file == fonts and error.line == 8


def test_layout_check_takes_a_pdf_by_any_name_and_tells_a_folder_from_it(sample, tmp_path, capsys):
    project, rendered = sample
    page = tmp_path / "page-one"
    page.write_bytes(rendered.deliverables.files[rendered.deliverables.manifest["pages"][0]["file"]])
    assert cli.main(["--root", str(project.root), "check", str(page)]) == 0
    folder = tmp_path / "x.pdf"
    folder.mkdir()
    assert cli.main(["--root", str(project.root), "check", str(folder)]) == 2
    assert "is a folder, not a PDF file" in capsys.readouterr().err


def test_plan_texts_are_cleaned_as_story_texts_are(project):
    """A caption pasted with a separate accent, a soft hyphen and a no-break space: as in a story,
    the accent is composed with its letter, the mark dropped, the space a space."""
    _replace(_plan(project), "caption: 我区庆祝", "caption: Cafe\u0301\u00adbar\u00a0我区庆祝")
    edition, _ = load_edition(project.editions, SAMPLE, project.styles)
    captions = [b.caption for page in edition.pages for b in page.blocks if getattr(b, "caption", None)]
    assert any(caption.startswith("Cafébar 我区庆祝") for caption in captions), captions


def test_checking_an_edition_that_is_not_there_says_so(project, capsys):
    assert cli.main(["--root", str(project.root), "check", "2020-05-16"]) == 2
    assert "no edition for 2020-05-16: expected the page plan" in capsys.readouterr().err


@pytest.mark.parametrize("name, told", [("editions/2020-05-15/stories/notice.md", "it is a pipe or a device, not a file"),
                                        ("fonts/fonts.yaml", "it is a pipe or a device, not a file"),
                                        ("editions/2020-05-15/edition.yaml", "expected the page plan")])
def test_a_pipe_in_place_of_an_input_file_is_told_not_waited_on(project, capsys, name, told):
    """A FIFO where a story, fonts.yaml or the plan should be: opened without waiting for a writer
    (a read would wait for ever), and told."""
    path = project.root / name
    path.unlink()
    os.mkfifo(path)
    assert cli.main(["--root", str(project.root), "fit", SAMPLE]) == 2
    assert told in capsys.readouterr().err
