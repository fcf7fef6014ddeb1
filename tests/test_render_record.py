"""The render record: `layout render` of an edition nothing of which changed since its last clean
render prints that render's report again instead of laying it out; any change to what the render
read, or to what it wrote, makes it render again."""
from __future__ import annotations

import json
import os
import shutil
import time

import pytest

import layout.pipeline
from layout.cachefile import write_cache_file
from layout.cli import main
from layout.render import record
from tests.conftest import SAMPLE

UNCHANGED = "unchanged: nothing this render reads has changed since the last one"


@pytest.fixture()
def fresh_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    return folder


def render(project, capsys) -> tuple[bool, str, str]:
    """`layout render` of the sample: (whether it was answered from the record, stdout, stderr). The
    files changed just before are older than the render by more than the clock's tick (a file written
    that close to the start is taken as written during the render, which is then not recorded)."""
    time.sleep(2 * record.SLACK_NS / 1e9)
    assert main(["--root", str(project.root), "render", SAMPLE, "--timings"]) == 0
    captured = capsys.readouterr()
    return UNCHANGED in captured.out, captured.out, captured.err


def report(out: str) -> str:
    """What a render reports of the edition: the lines before its timings."""
    return out[:out.index("\nstage ")]


def test_an_unchanged_edition_is_answered_from_its_record_without_being_laid_out(project, fresh_cache, capsys,
                                                                                 monkeypatch):
    replayed, first, first_err = render(project, capsys)
    assert not replayed
    def laid_out(*args, **kwargs):
        raise AssertionError("an unchanged edition was laid out again")
    monkeypatch.setattr(layout.pipeline, "render_edition", laid_out)
    replayed, again, again_err = render(project, capsys)
    assert replayed
    assert report(again).startswith(report(first))
    assert again_err == first_err            # the same warnings
    assert "pages rendered / from cache  0 / 2" in again


def edit(path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def test_any_change_to_what_a_render_read_or_wrote_renders_again(project, fresh_cache, capsys):
    edition = project.editions / SAMPLE
    output = project.output(SAMPLE)
    page = output / "gzb-20200515-01.pdf"
    changes = {
        # the same number of bytes: the content decides, not the size
        "a story edited": lambda: edit(edition / "stories" / "sewage.md", "我拍个照片", "我拍张照片"),
        "a story added to the stories folder": lambda: (edition / "stories" / "late.md").write_text(
            "---\nheadline: 迟到的稿件\n---\n\n正文。\n", encoding="utf-8"),
        "a picture changed": lambda: edit(edition / "images" / "app.svg", "</svg>", "<!-- -->\n</svg>"),
        "the house style changed": lambda: edit(project.styles / "broadsheet.yaml", "\n", "\n# a note\n"),
        "fonts.yaml changed": lambda: edit(project.fonts / "fonts.yaml", "\n", "\n# a note\n"),
        "a page file deleted": lambda: page.unlink(),
        "a page file changed": lambda: page.write_bytes(page.read_bytes() + b"\n"),
        "a file added to the output": lambda: (output / "extra.txt").write_text("x"),
        "the preview deleted": lambda: (project.output(f"{SAMPLE}-proof") / "index.html").unlink(),
    }
    assert not render(project, capsys)[0]
    for change, make in changes.items():
        make()
        assert not render(project, capsys)[0], f"{change}: answered from the record"
        assert render(project, capsys)[0], f"after {change}, the next render was not answered from the record"
    # A file written again with what it held is the same input.
    story = edition / "stories" / "notice.md"
    story.write_bytes(story.read_bytes())
    assert render(project, capsys)[0]


def test_an_input_changed_while_the_render_ran_is_not_recorded(project, fresh_cache, capsys, monkeypatch):
    story = project.editions / SAMPLE / "stories" / "sewage.md"
    real = layout.pipeline.render_edition

    def edited_meanwhile(*args, **kwargs):
        rendered = real(*args, **kwargs)
        edit(story, "我拍个照片", "我拍张照片")       # after the story was read
        return rendered
    monkeypatch.setattr(layout.pipeline, "render_edition", edited_meanwhile)
    assert not render(project, capsys)[0]
    monkeypatch.setattr(layout.pipeline, "render_edition", real)
    assert not render(project, capsys)[0], "the render before the edit was taken for the edition now"


def test_a_proof_is_never_recorded(project, fresh_cache, capsys):
    story = project.editions / SAMPLE / "stories" / "sewage.md"
    story.write_text(story.read_text(encoding="utf-8") + "\n" + "加长的段落。" * 400 + "\n", encoding="utf-8")
    for _ in range(2):
        assert main(["--root", str(project.root), "render", SAMPLE]) == 2
        captured = capsys.readouterr()
        assert UNCHANGED not in captured.out and "overset" in captured.err


def test_the_reads_of_a_render_leave_out_what_is_not_its_input(tmp_path):
    """Files written, relative paths (the standard library walking folders by descriptor) and
    folders listed are told apart."""
    source = tmp_path / "in.txt"
    source.write_text("x")
    with record.reading() as (opened, listed):
        source.read_text()
        (tmp_path / "out.txt").write_text("y")
        os.listdir(tmp_path)
        try:
            open("relative-name.txt")
        except OSError:
            pass
    source.read_text()                       # after the block: not recorded
    assert opened == {str(source)}
    assert listed == {str(tmp_path)}


def test_print_files_another_render_put_in_place_are_not_recorded_as_this_ones(project, fresh_cache, capsys,
                                                                            monkeypatch):
    """Two renders of one edition at once: the one that ends last may find the other's files in the
    output folder when it records; they are not what it made from what it read."""
    real = layout.pipeline.render_edition

    def overwritten_meanwhile(*args, **kwargs):
        rendered = real(*args, **kwargs)
        page = project.output(SAMPLE) / "gzb-20200515-01.pdf"
        page.write_bytes(page.read_bytes().replace(b"%%EOF", b"%%EOF\n"))
        return rendered
    monkeypatch.setattr(layout.pipeline, "render_edition", overwritten_meanwhile)
    assert not render(project, capsys)[0]
    monkeypatch.setattr(layout.pipeline, "render_edition", real)
    assert not render(project, capsys)[0]


def test_a_font_file_changed_since_is_not_answered_from_the_record(project, fresh_cache, capsys):
    """A font file is hashed once and its digest kept (cachefile.known_digest): it is not opened at
    the next render, and still an input of it. Changed, it is no longer the pinned font: the render
    refuses it rather than reprinting the last report."""
    fonts_yaml = project.fonts / "fonts.yaml"
    original = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
    copy = project.root / "NotoSerif-Regular.ttf"
    shutil.copyfile(original, copy)
    edit(fonts_yaml, original, str(copy))
    assert not render(project, capsys)[0]
    # Rendered again with everything cached (no font file opened), and recorded.
    (project.output(f"{SAMPLE}-proof") / "index.html").unlink()
    assert not render(project, capsys)[0]
    assert render(project, capsys)[0]
    with open(copy, "ab") as font:
        font.write(b"\0")
    time.sleep(2 * record.SLACK_NS / 1e9)
    assert main(["--root", str(project.root), "render", SAMPLE]) == 2
    captured = capsys.readouterr()
    assert UNCHANGED not in captured.out and "is not the pinned version" in captured.err


def test_a_fifo_in_place_of_an_input_is_a_change_not_a_wait(project, fresh_cache, capsys):
    """The record looks at a FIFO without waiting for a writer (reading one as a story would wait:
    that is the story reader's, not the record's)."""
    assert not render(project, capsys)[0]
    story = project.editions / SAMPLE / "stories" / "notice.md"
    story.unlink()
    os.mkfifo(story)
    assert record.unchanged(project.root, project.editions, SAMPLE) is None


@pytest.mark.parametrize("forged", [
    {"inputs": [], "folders": {}, "written": {}, "outputs": [], "out": "", "err": "", "pages": 2},
    {"inputs": {"/etc/hostname": "x"}, "folders": {}, "written": {}, "outputs": [], "out": "", "err": "", "pages": 2},
    {"inputs": {}, "folders": {}, "written": {}, "outputs": 5, "out": "", "err": "", "pages": 2},
    ["not", "a", "record"]], ids=["inputs a list", "an entry a text", "outputs a number", "a list"])
def test_a_record_of_another_shape_is_no_record(project, fresh_cache, capsys, forged):
    """A record whose digest is right but whose fields are not what this engine writes (another
    version, or written by hand) is taken for no record: the edition is rendered, no traceback."""
    assert not render(project, capsys)[0]
    [path] = (fresh_cache / "renders").iterdir()
    write_cache_file(path, json.dumps(forged).encode())
    assert not render(project, capsys)[0]
