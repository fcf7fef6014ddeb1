"""The editor's night loop (issue 12): the fit is printed whatever happens, with the characters it
makes; `layout fit` answers without painting; a stale proof does not survive a good render; the
edition is found from a date or a folder, from anywhere."""
from __future__ import annotations

import os
import re
import subprocess

import pytest
import yaml

from layout import cli
from layout.prepare import Project
from tests.conftest import REPO, SAMPLE, change_block, drop_images


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _row(out: str, story: str) -> list[str]:
    line = next(line for line in out.splitlines() if line.startswith(story + " "))
    return re.split(r"\s{2,}", line.strip())


def test_an_overset_render_prints_the_whole_fit_with_characters_and_where_to_cut(project, capsys):
    change_block(project, 1, "congress", lines=15)
    code, out, err = _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)
    assert code == 2
    assert f"→ {project.output(SAMPLE + '-proof')} (a proof, not for print)" in out
    story, blocks, overset, underset, chars, loose = _row(out, "congress")
    assert blocks == "p1: 21/21" and int(overset) > 0 and chars == f"+{int(overset) * 13}"
    assert all(_row(out, name) for name in ("frontlines", "awards", "sewage", "livestream", "notice"))
    message = next(line for line in err.splitlines() if "congress" in line and "overset" in line)
    assert f"stories/congress.md: story 'congress' is overset by {overset} lines on page 1 (about {chars[1:]} " \
           "characters at 13 a line); cut that much, or give its block on page 1" in message
    cut = re.search(r"a line is saved by cutting (\d+) from the paragraph at line (\d+)", message)
    assert cut, message
    # The paragraph named ends in a line of that many characters in the proof's manifest.
    manifest = (project.output(SAMPLE + "-proof") / "manifest.json").read_text(encoding="utf-8")
    assert f'"line": {cut.group(2)},\n          "chars": {cut.group(1)}' in manifest


def test_a_good_render_leaves_no_stale_proof(project, capsys):
    plan = project.editions / SAMPLE / "edition.yaml"
    good = plan.read_text(encoding="utf-8")
    change_block(project, 1, "congress", lines=15)
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 2
    assert project.output(SAMPLE + "-proof").is_dir()
    plan.write_text(good, encoding="utf-8")
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 0
    # The proof folder holds the preview of this render now, no proof's PDF.
    assert not list(project.output(SAMPLE + "-proof").glob("*.pdf"))


def test_underset_within_the_tolerance_is_one_line(project, capsys):
    code, out, err = _run(capsys, "--root", project.root, "fit", SAMPLE)
    assert code == 0
    assert err.splitlines() == [
        "warning: story 'frontlines' is underset: 5 empty lines (about 85 characters) in its last block",
        "underset by at most 2 lines (fit.underset_tolerance_lines): awards 1, sewage 1, livestream 2"]
    assert _row(out, "frontlines") == ["frontlines", "p1: 78/78, p2: 23/28", "0", "5", "-85", "0"]


def test_a_story_placed_twice_on_a_page_and_an_empty_block_are_named_with_their_plan_lines(project, capsys):
    """The sample's notice placed again on page 2, below itself: its text runs on there (a warning
    with both plan lines), and has run out (an error with the plan line: no proof is printed)."""
    plan = project.editions / SAMPLE / "edition.yaml"
    drop_images(project, 2)                                                 # room below the notice
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    page = data["pages"][1]
    notice = next(b for b in page["blocks"] if b.get("story") == "notice")
    page["blocks"].append(dict(notice, line=notice["line"] + notice["lines"], lines=10))
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    lines = plan.read_text(encoding="utf-8").splitlines()
    first, second = [n + 1 for n, line in enumerate(lines) if line.strip() == "- story: notice"]
    code, out, err = _run(capsys, "--root", project.root, "fit", SAMPLE)
    assert code == 2
    assert f"{plan}:{second}: page 2: story 'notice' ends before this block: its text does not reach it" in err
    assert f"warning: {plan}:{second}: page 2: story 'notice' is placed here a second time (first at line " \
           f"{first}); its text runs on from that block with no jump line" in err
    assert f"the text ends before the block {plan}:{second} (page 2): take it out of the plan" in err


def test_a_block_too_low_for_its_jump_headline_is_named_as_such_not_as_one_the_text_ends_before(project, capsys):
    """Page 2's block of frontlines cut to one line, the rest of it a second block below: the one-line
    block is the fault; the text goes on in the second, so no warning says it ends before the first."""
    plan = project.editions / SAMPLE / "edition.yaml"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    page = data["pages"][1]
    block = next(b for b in page["blocks"] if b.get("story") == "frontlines")
    page["blocks"].insert(page["blocks"].index(block) + 1, dict(block, line=2, lines=block["lines"] - 1))
    block["lines"] = 1
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    low = [n + 1 for n, line in enumerate(plan.read_text(encoding="utf-8").splitlines())
           if line.strip() == "- story: frontlines"][1]
    code, out, err = _run(capsys, "--root", project.root, "fit", SAMPLE)
    assert code == 2
    assert f"{plan}:{low}: page 2: story 'frontlines' has 1 line here but needs" in err
    assert "ends before" not in err, err


def test_layout_fit_says_what_keeps_the_edition_from_print(project, capsys):
    change_block(project, 1, "congress", lines=15)
    code, out, err = _run(capsys, "--root", project.root, "fit", SAMPLE)
    assert code == 2 and "story 'congress' is overset by" in err
    assert not project.output(SAMPLE).exists() and not project.output(SAMPLE + "-proof").exists()


@pytest.mark.parametrize("where, edition", [
    ("root", "editions/2020-05-15"), ("root", "editions/2020-05-15/edition.yaml"), ("edition", "."),
    ("editions", SAMPLE), ("elsewhere", "{root}/editions/2020-05-15"), ("repository", "tests/editions/2020-06-01")])
def test_the_edition_is_found_from_anywhere(where, edition, project, tmp_path):
    """By date or folder, from the project, inside the edition, or from another folder altogether."""
    cwd = {"root": project.root, "edition": project.editions / SAMPLE, "editions": project.editions,
           "elsewhere": tmp_path, "repository": REPO}[where]
    run = subprocess.run([str(REPO / ".venv" / "bin" / "layout"), "fit", edition.format(root=project.root)],
                         cwd=cwd, capture_output=True, text=True, env=dict(os.environ), timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].endswith("pages")
    assert ("torture" if "06-01" in edition else "frontlines") in run.stdout


def test_the_project_is_found_above_the_current_folder(project, capsys, monkeypatch):
    monkeypatch.chdir(project.root / "styles")
    code, out, _ = _run(capsys, "fit", SAMPLE)
    assert code == 0 and out.startswith("港闸报 2020-05-15: 2 pages")
    assert cli._project(type("Args", (), {"root": None, "editions": None})()) == Project(project.root)


def test_every_proof_page_says_which_proof_of_the_date_and_when(project, capsys):
    """一校, 二校, … counted per date; a good render in between keeps the count."""
    from pypdf import PdfReader

    plan = project.editions / SAMPLE / "edition.yaml"
    good = plan.read_text(encoding="utf-8")
    proof = project.output(SAMPLE + "-proof")

    def stamps() -> list[str]:
        text = [page.extract_text() for page in PdfReader(proof / "gzb-20200515.pdf").pages]
        return [re.search(r"(\S)校\s*·\s*\d{4}-\d\d-\d\d", page).group(1) for page in text]

    change_block(project, 1, "congress", lines=15)
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 2
    assert stamps() == ["一", "一"]
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 2
    assert stamps() == ["二", "二"]
    plan.write_text(good, encoding="utf-8")
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 0
    assert '"proofs_made": 2' in (proof / "manifest.json").read_text(encoding="utf-8")
    change_block(project, 1, "congress", lines=15)
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 2
    assert stamps() == ["三", "三"]


@pytest.mark.parametrize("number, chinese", [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"),
                                             (21, "二十一"), (99, "九十九")])
def test_proofs_are_counted_in_chinese(number, chinese):
    from layout.flow import chinese_number
    assert chinese_number(number) == chinese


def test_layout_proof_changes_shows_what_changed_since_the_last_proof(project, capsys):
    change_block(project, 1, "congress", lines=15)
    code, _, err = _run(capsys, "--root", project.root, "proof", SAMPLE, "--changes")
    assert code == 2 and "no proof to compare with" in err
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 2
    story = project.editions / SAMPLE / "stories" / "awards.md"
    story.write_text(story.read_text(encoding="utf-8").replace("大会命名一批", "大会表彰一批"), encoding="utf-8")
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 2
    code, out, _ = _run(capsys, "--root", project.root, "proof", SAMPLE, "--changes")
    assert code == 0
    report = project.output(SAMPLE + "-proof") / "changes"
    assert "page 1: text changed:" in out and "-大会命名一批" in out and "+大会表彰一批" in out
    assert (report / "page-01-diff.png").is_file() and "page 2" not in out      # the stamps differ, not the pages
    assert out.splitlines()[-1].startswith("changes since the last proof")
    # The edition fixed and printed: its pages against the last proof differ only where the copy did
    # (the print files have no 校样 mark, which is not a change).
    change_block(project, 1, "congress", lines=20)
    assert _run(capsys, "--root", project.root, "render", "--jobs", "1", SAMPLE)[0] == 0
    code, out, _ = _run(capsys, "--root", project.root, "proof", SAMPLE, "--changes")
    assert code == 0 and "page 2" not in out and "不得付印" not in out, out


def test_one_page_is_painted_alone_with_the_jump_lines_of_the_whole_edition(project, capsys):
    from pypdf import PdfReader

    code, out, _ = _run(capsys, "--root", project.root, "render", SAMPLE, "--page", "2")
    folder = project.output(SAMPLE + "-page-02")
    assert code == 0 and f"page 2 → {folder / 'gzb-20200515-02.pdf'} (one page, not for print" in out
    assert sorted(p.name for p in folder.iterdir()) == ["gzb-20200515-02.pdf", "index.html", "manifest.json",
                                                       "page-02.jpg"]
    text = PdfReader(folder / "gzb-20200515-02.pdf").pages[0].extract_text()
    assert "（上接第1版）" in text.replace(" ", "") and "不得付印" in text
    assert _row(out, "frontlines")[1] == "p1: 78/78, p2: 23/28"          # the fit of the whole edition
    assert not project.output(SAMPLE).exists()                          # no print files from one page
    # Its preview says it is not for print, counts the edition's pages, and links no page it lacks.
    preview = (folder / "index.html").read_text(encoding="utf-8")
    assert "校样 · 不得付印" in preview and "可付印" not in preview.replace("不得付印", "")
    assert "共2版" in preview and 'href="#page-1"' not in preview
    assert _run(capsys, "--root", project.root, "check", str(folder / "gzb-20200515-02.pdf"))[0] == 0
    code, _, err = _run(capsys, "--root", project.root, "render", SAMPLE, "--page", "3")
    assert code == 2 and "the edition has no page 3: its pages are 1–2" in err
