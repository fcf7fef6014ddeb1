"""The typographic preflight finds each kind of fault in a real PDF, and nothing in a good one."""
from __future__ import annotations

import weasyprint

from layout.compose import compose_paragraph
from layout.flow import PlacedBlock, PlacedLine, PlacedPage, grid_baseline
from layout.fonts import load_font_faces, subset_fonts
from layout.geometry import Rect, page_geometry
from layout.check.typography import check_typography, glyphs_of_pages
from layout.page import document_html, page_html, stylesheet
from tests.conftest import REPO

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
    pdf = weasyprint.HTML(string=document_html([page_html(page, geometry, style, metrics, {})], "t",
                                               "2020-05-15T00:00:00+08:00", css)).write_pdf()
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
