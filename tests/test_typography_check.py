"""The typographic preflight finds each kind of fault in a real PDF, and nothing in a good one."""
from __future__ import annotations

from dataclasses import replace


from layout.compose import compose_paragraph
from layout.flow import PlacedBlock, PlacedLine, PlacedPage
from layout.geometry import grid_baseline
from layout.fonts import load_font_faces, subset_fonts
from layout.geometry import Rect, page_geometry
from layout.check.pdftext import check_typography, glyphs_of_pages
from layout.page import document_html, page_html, stylesheet
from tests.conftest import REPO, write_pdf

GOOD = "区委第一时间成立疫情防控工作领导小组和指挥部，由区委书记、区长亲自挂帅、靠前指挥，全区近千名机关干部下沉一线。"


def _compose(style, metrics, text):
    return compose_paragraph(text, 13000, metrics["body"], style.punctuation)


def _check(style, metrics, rows):
    """Render composed body lines (line, baseline shift in pt) into one 13-em frame and preflight them."""
    geometry = page_geometry(style)
    rect = geometry.grid_rect(1, 1, 20, 30)
    frame = Rect(0, 0, rect.width, rect.height)
    placed = []
    for number, (line, shift) in enumerate(rows):
        placed.append(PlacedLine(kind="body", x=0, baseline=grid_baseline(geometry, number) + shift, line=line,
                                 measure=frame.width))
    page = PlacedPage(number=1, blocks=(PlacedBlock(label="t", rect=rect, story="t", frames=(frame,),
                                                    lines=tuple(placed)),), furniture=(), rules=())
    chars = {g.char for p in placed for g in p.line.glyphs}
    fonts = subset_fonts({"body": chars}, load_font_faces(REPO / "fonts"))
    css = stylesheet(geometry, style, {family: subset.url for family, subset in fonts.items()},
                     style.print.profile.path.as_uri())
    pdf = write_pdf(document_html([page_html(page, geometry, style, metrics, {})], "t", "2020-05-15T00:00:00+08:00",
                                  css), fonts.values(), roots=(style.print.profile.path,))
    on_trim = [geometry.type_left + rect.x, geometry.type_top + rect.y, frame.width, frame.height]
    manifest = {"stories": [{"story": "t", "blocks": [{"page": 1, "frames": [on_trim]}]}]}
    [report] = check_typography(glyphs_of_pages(pdf, 1, geometry, metrics), manifest, style, geometry, metrics)
    return report


def _solid(style, metrics, text):
    """One line set solid, as the composer never would inside a paragraph."""
    return _compose(style, metrics, text)[0]


def test_a_well_set_paragraph_passes(style, metrics):
    lines = _compose(style, metrics, GOOD)
    report = _check(style, metrics, [(line, 0) for line in lines])
    assert report.lines == len(lines) and report.violations == 0 and not report.loose


def test_ju1_a_short_line_inside_a_paragraph_is_not_flush(style, metrics):
    lines = _compose(style, metrics, GOOD)
    rows = [(line, 0) for line in lines]
    rows[0] = (_solid(style, metrics, lines[0].text[:-1]), 0)
    report = _check(style, metrics, rows)
    assert len(report.not_flush) == 1 and "from the column edge" in report.not_flush[0]


def test_lb1_a_line_starting_with_a_stop_is_a_kinsoku_break(style, metrics):
    report = _check(style, metrics, [(_solid(style, metrics, "我们今天出发去了南通市港闸"), 0),
                                     (_solid(style, metrics, "。明天到"), 0)])
    assert report.kinsoku_breaks == ["'我们今天出发去了南通市港闸' | '。明天到'"]


def test_lb4_a_number_broken_across_lines_is_a_split_unit(style, metrics):
    report = _check(style, metrics, [(_solid(style, metrics, "工业产值增长了百分之12"), 0),
                                     (_solid(style, metrics, "5%左右"), 0)])
    assert len(report.split_units) == 1


def test_gr5_a_baseline_off_the_grid(style, metrics):
    rows = [(line, 0) for line in _compose(style, metrics, GOOD)]
    rows[1] = (rows[1][0], 2.0)
    report = _check(style, metrics, rows)
    assert len(report.off_grid) == 1


def test_ju7_a_loose_line_is_flagged(style, metrics):
    # Two characters, then a 12-em number that cannot join them: the line spreads 11 em over one gap.
    lines = _compose(style, metrics, "新新" + "1" * 25 + "新")
    assert lines[0].loose
    report = _check(style, metrics, [(line, 0) for line in lines])
    assert len(report.loose) == 1 and report.violations == 0


def test_lb4_two_numbers_a_space_apart_may_break_at_the_space(style, metrics):
    """前区 05 11 19 27 33 (a lottery draw, ASCII or full-width spaces): the composer breaks at the
    spaces, and the preflight judging the composed lines knows the copy has a space there — no split
    unit (it once stopped print). Two digits broken apart with no space between them still are."""
    import datetime as dt
    from pathlib import Path
    from layout.check.typography import judge_lines
    from layout.flow import flow_edition
    from layout.plan import Edition, GridArea, PagePlan, StoryBlock
    from layout.prepare import composed_lines
    from layout.text import Paragraph, Story, normalise
    draw = normalise("本期开奖结果：前区 05 11 19 27 33，后区 03 09；七星彩号码为：2　7　0　9　4　1　6。" * 4, style)
    story = Story(id="s", path=Path("s.md"), headline="开奖", kicker=None, deck=None, byline=None, jump_headline=None,
                  kind=None, items=(Paragraph(text=draw, number=1, line=3),))
    block = StoryBlock(story="s", area=GridArea(1, 2, 17, 40), text_columns=3, headline_size=None, source_line=1)
    edition = Edition(root=Path("."), plan_path=Path("edition.yaml"), paper="报", date=dt.date(2020, 6, 6), issue=None,
                      code="t", format="broadsheet", pages=(PagePlan(number=1, section=None, editor=None,
                                                                     blocks=(block,)),), stories={"s": story})
    geometry = page_geometry(style)
    lines = composed_lines(flow_edition(edition, style, geometry, metrics), style, geometry)
    between_digits = [(a, b) for a, b in zip(lines["s"], lines["s"][1:])
                      if a.glyphs[-1].char.isdigit() and b.glyphs[0].char.isdigit()]
    assert between_digits and all(a.space_after for a, _ in between_digits)
    [report] = judge_lines(lines, style, geometry, metrics)
    assert report.lines == len(lines["s"]) and report.violations == 0
    a, b = between_digits[0]
    glued = {"s": [replace(a, space_after=False), b]}
    assert judge_lines(glued, style, geometry, metrics)[0].split_units
