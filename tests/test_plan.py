"""Bad plans and stories are refused with a message naming the file and line, before rendering."""
from __future__ import annotations

import subprocess
import sys

import pytest
from pypdf import PdfReader

from layout.check.renderers import agreement
from layout.check.typography import StoryTypography
from layout.errors import LayoutError
from layout.pipeline import render_edition
from layout.prepare import typography_messages
from layout.plan import load_edition
from layout.text import Paragraph
from tests.conftest import SAMPLE, change_block


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def plan(project):
    return project.editions / SAMPLE / "edition.yaml"


def refused(project) -> LayoutError:
    with pytest.raises(LayoutError) as caught:
        render_edition(project, SAMPLE)
    assert not project.output(SAMPLE).exists(), "nothing is written for a refused edition"
    return caught.value


def test_overlapping_blocks_name_the_page_and_both_blocks(project):
    change_block(project, 1, "congress", col=3)
    error = refused(project)
    assert "page 1" in error.message and "overlaps" in error.message
    assert "story 'congress'" in error.message and "story 'sewage'" in error.message
    assert error.file == plan(project) and error.line is not None


def test_block_outside_the_type_area(project):
    change_block(project, 1, "frontlines", cols=9)
    assert "reaches column 9" in refused(project).message


def test_block_under_the_masthead(project):
    change_block(project, 1, "frontlines", line=5)
    assert "masthead" in refused(project).message


def test_date_must_equal_the_folder(project):
    edit(plan(project), "date: 2020-05-15", "date: 2020-05-16")
    error = refused(project)
    assert error.line == 3 and "folder" in error.message


def test_image_outside_the_edition_is_refused(project):
    edit(plan(project), "image: images/awards.svg", "image: ../../styles/broadsheet.yaml")
    error = refused(project)
    assert "outside the edition folder" in error.message and error.line is not None


def test_missing_story_file(project):
    (project.editions / SAMPLE / "stories" / "notice.md").unlink()
    assert "story 'notice' has no file" in refused(project).message


def test_character_no_font_covers_is_refused_with_its_code(project):
    story = project.editions / SAMPLE / "stories" / "awards.md"
    edit(story, "大会播放反映", "大会播放\U0001F600反映")
    error = refused(project)
    assert "story 'awards', paragraph 2" in error.message
    assert "U+1F600" in error.message
    assert error.file == story and error.line is not None


def test_svg_text_must_be_in_the_font_it_names_not_a_fallback(project):
    """An SVG names one family; a character only a fallback has would come from any installed font."""
    svg = project.editions / SAMPLE / "images" / "awards.svg"
    edit(svg, "我区先进命名一览", "我区先进命名一览⁻")
    error = refused(project)
    assert "SVG text" in error.message and "U+207B" in error.message
    assert "in no headline-sans font (Noto Sans CJK SC Bold)" in error.message and error.file == svg


def test_overset_story_names_story_page_and_lines(project):
    change_block(project, 1, "congress", lines=15)
    error = refused(project)
    assert "story 'congress' is overset by" in error.message and "on page 1" in error.message
    # The editor still sees the pages: a proof, marked not for print, beside the print output.
    proof = project.output(f"{SAMPLE}-proof")
    assert f"a proof marked not for print is in {proof}" in error.message
    edition = PdfReader(proof / "gzb-20200515.pdf")
    assert all("不得付印" in page.extract_text() for page in edition.pages)
    # Its fonts print in every reader too.
    assert all(result.agrees for result in agreement((proof / "gzb-20200515.pdf").read_bytes()))


def test_a_word_longer_than_its_column_is_broken_and_told_never_refused(project):
    """Issue 19: the editor can do nothing about a product code at midnight: it is broken where it
    must be (no hyphen added), the render prints, and a warning names the line."""
    story = project.editions / SAMPLE / "stories" / "awards.md"
    edit(story, "大会播放反映", "大会播放ABCDEFGHIJKLMNOPQRSTUVWXYZ反映")      # no dictionary breaks an acronym
    rendered = render_edition(project, SAMPLE)
    line = next(n for n, text in enumerate(story.read_text(encoding="utf-8").splitlines(), 1) if "ABCDEF" in text)
    (broken,) = rendered.flow.broken
    assert broken.message().startswith(f"{story}:{line}: story 'awards', page 1: '")
    assert "ends inside a word or web address too long for its column" in broken.message()
    text = PdfReader(project.output(SAMPLE) / "gzb-20200515-01.pdf").pages[0].extract_text()
    assert "ABCDEFGHIJKLMNOPQRSTUVWXYZ" in text.replace("\n", "") and "-\n" not in text.split("ABCDEF")[1][:40]


def test_typographic_faults_found_on_the_page_name_the_story_file_and_line(project):
    edition, _ = load_edition(project.editions, SAMPLE, project.styles)
    story = edition.stories["awards"]
    paragraph = next(item for item in story.items if isinstance(item, Paragraph) and item.number == 2)
    found = StoryTypography(story="awards", page=1, not_flush=[f"'{paragraph.text[5:12]}' ends +6.60 pt from the column edge"],
                            kinsoku_breaks=[f"'{paragraph.text[:6]}' | '。{paragraph.text[7:10]}'"])
    first, second = typography_messages([found], edition, False)
    assert first.startswith(f"{story.path}:{paragraph.line}: story 'awards', page 1: not flush: ")
    assert first.endswith("cut or rephrase the word, allow hyphenation in the house style (latin.hyphenate), "
                          "or give the block wider columns")
    assert typography_messages([found], edition, True)[0].endswith("cut or rephrase the word, or give the block "
                                                                   "wider columns")
    assert second.startswith(f"{story.path}:{paragraph.line}: story 'awards', page 1: 避头尾 break: ")
    assert second.endswith("please report it with this edition")


def test_cli_error_is_one_message_and_non_zero_exit(project):
    edit(plan(project), "pages:", "pages: [\n")
    result = subprocess.run([sys.executable, "-m", "layout.cli", "--root", str(project.root), "render", SAMPLE],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ") and "edition.yaml:" in result.stderr
