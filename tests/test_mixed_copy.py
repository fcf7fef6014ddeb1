"""The narrow mixed-copy edition (tests/editions/2020-06-06, issue 19): sport, technology and
finance copy of a city daily — English names, quoted English, web addresses, codes, hashtags and
lists of numbers — in 破栏 columns of 8 to 10 em over three pages. It prints (no byline, word or
number list refuses it), and read back from the PDF by an instrument that uses none of the
engine's data (tests/pdf_measure.py, on MuPDF) its lines are even; the engine's own figures agree
with that reading; `layout fit`, `render --page` and `render` find the same faults."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from layout.page import GLYPH_TOLERANCE_PT
from tests.conftest import MIXED, REPO, SAMPLE, change_block, drop_images
from tests.pdf_measure import measure_pdf, read_glyphs


READ_TOLERANCE_EM = 0.005     # glyph positions as a PDF writes them round to a thousandth of an em or so


def _page_files(rendered) -> list[tuple[int, bytes, str]]:
    manifest = rendered.deliverables.manifest
    return [(page["page"], rendered.deliverables.files[page["file"]], page["file"]) for page in manifest["pages"]]


@pytest.fixture(scope="module")
def reading(mixed, tmp_path_factory):
    """Each page as the instrument reads it (the stories given, to tell a split number from two)."""
    project, rendered = mixed
    folder = tmp_path_factory.mktemp("reading")
    stories = sorted((project.editions / MIXED / "stories").glob("*.md"))
    pages = {}
    for number, data, name in _page_files(rendered):
        (folder / name).write_bytes(data)
        [pages[number]] = measure_pdf(folder / name, stories)
    return pages


def _shown(text: str) -> str:
    return re.sub(r"\s", "", text).removesuffix("-")


def test_the_edition_prints_though_bylines_words_addresses_and_numbers_meet_narrow_columns(mixed):
    project, rendered = mixed
    assert (project.output(MIXED) / rendered.deliverables.manifest["edition_pdf"]).is_file()
    assert not rendered.flow.faults and not rendered.flow.misplaced
    assert rendered.flow.broken, "the edition's codes and addresses are told where they are cut"
    assert all(fit.overset_lines == 0 for fit in rendered.flow.fits)


def test_read_back_every_line_is_flush_kept_by_its_rules_and_evenly_spaced(reading, mixed, figures):
    """Every line inside a paragraph flush, no 避头尾 break in CJK or Latin, no number split; a cut
    inside a word or web address only where the engine told the editor; widest Han gap ≤ ½ em, word
    spaces ≤ 0.6 em, fewer than 1 % of the lines with a Han gap over ¼ em."""
    _, rendered = mixed
    told = {_shown(note.text) for note in rendered.flow.broken}
    lines = sum(len(page.lines) for page in reading.values())
    spread = sum(len(page.lines_with_han_gap_over(0.25)) for page in reading.values())
    widest = max(page.widest_han_gap for page in reading.values())
    space = max(page.widest_word_space for page in reading.values())
    figures.append(f"mixed copy, read by MuPDF: {lines} lines, {spread} ({spread / lines:.1%}) with a Han gap over "
                   f"¼ em, widest Han gap {widest:.2f} em, widest word space {space:.2f} em")
    for number, page in reading.items():
        assert not page.not_flush, [line.where + " " + line.text for line in page.not_flush]
        assert not page.kinsoku, [str(fault) for fault in page.kinsoku]
        assert not [f for f in page.splits if f.what.startswith("number split")], [str(f) for f in page.splits]
        for fault in page.splits + page.address_cuts:
            assert _shown(fault.before.text) in told, f"page {number}: {fault} is cut without a warning"
    assert widest <= 0.5 + READ_TOLERANCE_EM and space <= 0.6 + READ_TOLERANCE_EM
    assert spread < lines / 100, [line.text for page in reading.values() for line in page.lines_with_han_gap_over(0.25)]
    assert lines > 900


def test_the_engines_figures_agree_with_the_reading(reading, mixed):
    """Per page: the lines the engine counts with a Han gap over ¼ em are those the instrument reads,
    and the widest gap is the same within 0.01 em."""
    _, rendered = mixed
    for number, page in reading.items():
        own = [t for t in rendered.typography if t.page == number]
        assert sum(len(t.spread) for t in own) == len(page.lines_with_han_gap_over(0.25)), number
        assert max(t.widest_gap for t in own) == pytest.approx(page.widest_han_gap, abs=0.011), number
        assert sum(t.lines for t in own) == len(page.lines), number


def _rows(data: bytes, folder: Path, font: str) -> list[str]:
    """The lines set in one face, as MuPDF reads them (top to bottom, left to right)."""
    path = folder / "page.pdf"
    path.write_bytes(data)
    rows: dict[int, list] = {}
    for glyphs in read_glyphs(path):
        for g in glyphs:
            if font in g.font:
                rows.setdefault(round(g.y), []).append(g)
    texts = []
    for _, row in sorted(rows.items()):
        row.sort(key=lambda g: g.left)
        texts.append(row[0].text)
        for a, b in zip(row, row[1:]):       # another column's line beyond a gutter is another line
            if b.left - a.right > a.size:
                texts.append("")
            texts[-1] += b.text
    return texts


def test_bylines_wrap_between_their_parts_flush_right(mixed, tmp_path):
    """A byline wider than its column (本报记者 王小明　通讯员 李强 in 8 em) is set in lines broken
    before a role, each flush right in its column, and so it stands in the PDF."""
    _, rendered = mixed
    by_story: dict[str, list[str]] = {}
    for page in rendered.flow.pages:
        for block in page.blocks:
            for line in block.lines:
                if line.kind != "byline":
                    continue
                frame = next(f for f in block.frames if f.x - 0.01 <= line.x < f.right)
                assert line.x + line.line.width * rendered.style.text["byline"].size_pt / 1000 == \
                    pytest.approx(frame.right)
                by_story.setdefault(block.story, []).append(line.line.text)
    wrapped = {story: parts for story, parts in by_story.items() if len(parts) > 1}
    assert len(wrapped) >= 3, by_story
    read = [t for number, data, _ in _page_files(rendered) for t in _rows(data, tmp_path, "kicker")]
    for story, parts in wrapped.items():
        assert all(part in read for part in parts), (story, parts)
        words = rendered.edition.stories[story].byline.replace("\u3000", " ").split()
        assert "".join(parts) == "".join(words)
        ends = {len("".join(words[:n])) for n in range(len(words) + 1)}
        assert all(len("".join(parts[:n])) in ends for n in range(len(parts))), parts     # never inside a name


def test_long_words_addresses_and_hashtags_are_broken_where_they_may_be(mixed):
    """The hashtag, web and e-mail addresses of the copy, each wider than its column, are all in the
    PDF, broken across lines without an added hyphen — an address after / or before . ? & = - (or
    cut inside a segment, where the engine says so) — and no line ends with the # opening a hashtag."""
    _, rendered = mixed
    body = [placed.line for page in rendered.flow.pages for block in page.blocks for placed in block.lines
            if placed.kind == "body"]
    joined = "".join(line.text[:-1] if line.hyphenated else line.text for line in body)
    for word in ("#OpenHarmonyDeveloperDay2024", "saishi.2020@gcfa-example.org.cn",
                 "https://developer.xinhai-semi.example.com/docs/xj2000/quickstart?version=2.1&lang=zh-CN",
                 "https://www.example-cba.cn/live/schedule?team=gc&season=2019-2020"):
        assert word in joined and not any(word in line.text for line in body), word
        start = joined.index(word)
        offset = 0
        for line in body:
            length = len(line.text) - line.hyphenated
            end = offset + length
            if start < end < start + len(word):        # the line ends inside the word
                before, after = word[:end - start], word[end - start:]
                assert not line.hyphenated, line.text
                good = before.endswith("/") and not after.startswith("/") or after[0] in ".?#&=-_@"
                assert good or line.cut, (word, before, after)
            offset = end
    for line in body:
        assert not (line.text.endswith("#") and line.text[-2:-1].isascii()), line.text


def test_lists_of_numbers_break_at_their_spaces(reading, mixed):
    """前区 05 11 19 27 33 and 2　7　0　9 (full-width spaces): broken only at their spaces — read from
    the PDF, no number is split, the lines are flush."""
    _, rendered = mixed
    lottery = [placed.line for page in rendered.flow.pages for block in page.blocks if block.story == "lottery"
               for placed in block.lines if placed.kind == "body"]
    digit_breaks = [(a, b) for a, b in zip(lottery, lottery[1:]) if a.text[-1].isdigit() and b.text[0].isdigit()]
    assert digit_breaks and all(a.space_after for a, _ in digit_breaks)
    assert not [f for page in reading.values() for f in page.splits if f.what.startswith("number split")]


def _told(result: subprocess.CompletedProcess) -> set[str]:
    """The faults a command told (its errors, one a line), without what is not a fault of the edition."""
    lines = [re.sub(r"^error: ", "", line) for line in result.stderr.splitlines()]
    return {line for line in lines if line and not line.startswith(("warning:", "a proof marked", "underset by"))
            and "alone, marked not for print" not in line}


def test_fit_render_page_and_render_find_the_same_faults(project):
    """One check, run by all three: copy that once only the full render refused (numbers a space
    apart, a web address, a long code, a byline wider than its column) passes all three; an overset
    story is found by all three alike."""
    story = project.editions / SAMPLE / "stories" / "awards.md"
    text = story.read_text(encoding="utf-8").replace("byline: 张军", "byline: 本报记者 王小明　通讯员 李强")
    story.write_text(text + "\n本期体育彩票开奖结果：前区 05 11 19 27 33，后区 03 09；七星彩号码为：2　7　0　9　4　1　6。"
                     "详见 https://www.example.com/lottery/2020/results?id=20053&lang=zh 和型号XJ2000ProMaxUltraSuperWide。"
                     "全市PM₂.₅平均浓度为24 μg/m³，采用LiNi₀.₈Co₀.₁Mn₀.₁O₂正极；主教练Miguel Ángel Fernández-Castellanos"
                     "说，Łukasz Fabiański和Çağlar Söyüncü已归队，球队以96-95反超。\n", encoding="utf-8")
    drop_images(project, 1)
    change_block(project, 1, "awards", lines=59)

    def run(*command):
        return subprocess.run([sys.executable, "-m", "layout.cli", "--root", str(project.root), *command, SAMPLE],
                              capture_output=True, text=True, cwd=REPO)

    results = [run("fit"), run("render", "--page", "1"), run("render")]
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert [_told(r) for r in results] == [set()] * 3
    warnings = [{line for line in r.stderr.splitlines() if line.startswith("warning:")} for r in results]
    assert warnings[0] == warnings[1] == warnings[2] and any("ends inside a word" in w for w in warnings[0])
    change_block(project, 1, "congress", lines=15)
    results = [run("fit"), run("render", "--page", "1"), run("render")]
    assert [r.returncode for r in results] == [2, 2, 2]
    told = [_told(r) for r in results]
    assert told[0] == told[1] == told[2] and len(told[0]) == 1 and "'congress' is overset" in next(iter(told[0]))


def test_layout_check_reads_the_same_figures_from_the_files(mixed, metrics):
    """`layout check` reads only the files (and the manifest, which says where a line ends at a space
    of the copy): it finds no fault in the lottery's number lists, and the same figures as the render."""
    from layout.check.pdftext import check_typography
    from layout.pipeline import page_file_glyphs
    _, rendered = mixed
    read = check_typography(page_file_glyphs(rendered.deliverables, rendered.geometry, metrics),
                            rendered.deliverables.manifest, rendered.style, rendered.geometry, metrics)
    # The widest gap is read from where the glyphs are painted: two neighbours each within the
    # painter's tolerance of where they were composed (layout/page.py, tests/test_painted_positions.py).
    slack = 2 * GLYPH_TOLERANCE_PT / rendered.style.text["body"].size_pt
    composed = rendered.deliverables.manifest["typography"]
    assert [{**r.as_json(), "widest_gap": None} for r in read] == [{**c, "widest_gap": None} for c in composed]
    for r, c in zip(read, composed):
        assert r.widest_gap == pytest.approx(c["widest_gap"], abs=slack + 0.0005), (r.story, r.page)
    assert not [fault for r in read for fault in r.faults()]


def test_the_preview_counts_wrapped_bylines_and_broken_words_as_the_fit_does(mixed):
    """Each story's block in the preview says the lines its fit counts (a wrapped byline's lines
    and a broken word's among them), and every line the engine warns of is marked where it is."""
    project, rendered = mixed
    page = (project.output(rendered.style.proof_folder.format(date=MIXED)) / "index.html").read_text(encoding="utf-8")
    for fit in rendered.flow.fits:
        where = "，".join(f"第{b.page}版 {b.lines_used}/{b.lines} 行" for b in fit.blocks)
        assert where in page, fit.story
        last = fit.blocks[-1]
        if last.lines > last.lines_used:
            assert re.search(rf'data-story="{fit.story}"><span class="label">{fit.story} <b>−{last.lines - last.lines_used} 行',
                             page), fit.story
    marks = re.findall(r'<div class="loose" title="([^"]*)"', page)
    assert len([m for m in marks if "ends inside a word" in m]) >= len(rendered.flow.broken)
    assert len([m for m in marks if "is set loose" in m]) >= len(rendered.flow.loose)
