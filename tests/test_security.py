"""Story text is printed, never interpreted; the renderer fetches nothing outside its folders."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from layout.pipeline import render_edition
from layout.render.fetch import LockedFetcher
from tests.conftest import SAMPLE, change_block, drop_images

MARKUP = ('<link rel="attachment" href="file:///etc/passwd"><style>body{display:none}</style>'
          '<img src="http://127.0.0.1:9/pixel.png">')


def test_markup_in_a_story_is_printed_literally_and_fetches_nothing(project):
    story = project.editions / SAMPLE / "stories" / "notice.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("其代表资格终止。", "其代表资格终止。\n\n" + MARKUP + "\n"), encoding="utf-8")
    drop_images(project, 2)                     # room for the longer notice
    change_block(project, 2, "notice", lines=20)
    rendered = render_edition(project, SAMPLE)
    assert rendered.missing == ()          # nothing was even tried
    data = rendered.deliverables.files[rendered.deliverables.manifest["edition_pdf"]]
    assert b"/EmbeddedFiles" not in data and b"/FileAttachment" not in data
    reader = PdfReader(io.BytesIO(data))
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    page2 = re.sub(r"\s+", "", reader.pages[1].extract_text())
    assert re.sub(r"\s+", "", MARKUP) in page2
    assert "港闸区人大常委会公告" in page2          # <style> did not hide anything


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/a.css",
                                 "ftp://127.0.0.1/x"])
def test_fetcher_refuses_anything_outside_its_roots(tmp_path, url):
    fetcher = LockedFetcher([tmp_path])
    with pytest.raises(ValueError):
        fetcher.fetch(url)
    assert [u for u, _ in fetcher.missing] == [url]


def test_fetcher_resolves_dot_dot_and_symlinks(tmp_path):
    root = tmp_path / "edition"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    (root / "link.svg").symlink_to(tmp_path / "secret.txt")
    (root / "ok.svg").write_text("<svg/>")
    fetcher = LockedFetcher([root])
    assert fetcher.fetch((root / "ok.svg").as_uri()).read() == b"<svg/>"
    for url in ((root / "link.svg").as_uri(), f"file://{root}/../secret.txt"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
