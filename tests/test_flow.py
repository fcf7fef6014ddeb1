"""Flow without a PDF: threads, jump lines, whole-line headline groups and subheads, fit report."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from layout.errors import LayoutError
from layout.flow import SettingFault, flow_edition, lunar_date
from layout.geometry import grid_baseline
from layout.geometry import page_geometry
from layout.plan import Edition, GridArea, ImageBlock, IndexBlock, PagePlan, StoryBlock, load_edition
from layout.text import Names, Paragraph, Story, Subhead, Verse
from tests.conftest import SAMPLE, change_block


def _story(paragraphs: int, chars: int = 130, subhead_after: int | None = None, kind=None) -> Story:
    items = []
    for n in range(paragraphs):
        items.append(Paragraph(text="新" * (chars - 1) + "。", number=n + 1, line=n + 1))
        if subhead_after == n:
            items.append(Subhead(text="小标题", line=0))
    return Story(id="s", path=Path("stories/s.md"), headline="标题文字", kicker=None, deck=None, byline="记者",
                 jump_headline=None, kind=kind, items=tuple(items))


def _edition(story: Story, blocks: list[tuple[int, GridArea]]) -> Edition:
    pages = []
    for number in sorted({page for page, _ in blocks}):
        pages.append(PagePlan(number=number, section=None, editor=None, blocks=tuple(
            StoryBlock(story=story.id, area=area, text_columns=area.cols, headline_size=None, source_line=1)
            for page, area in blocks if page == number)))
    return Edition(root=Path("."), plan_path=Path("edition.yaml"), paper="测试报", date=dt.date(2020, 5, 15),
                   issue=None, code="t", format="broadsheet", pages=tuple(pages), stories={story.id: story})


def _flow(style, metrics, story, blocks):
    return flow_edition(_edition(story, blocks), style, page_geometry(style), metrics)


def test_a_thread_jumps_with_real_page_numbers(style, metrics):
    result = _flow(style, metrics, _story(6), [(1, GridArea(1, 2, 17, 20)), (2, GridArea(1, 2, 1, 40))])
    first, second = result.pages[0].blocks[0], result.pages[1].blocks[0]
    jump_to = [l for l in first.lines if l.kind == "jump-line"]
    jump_from = [l for l in second.lines if l.kind == "jump-line"]
    assert [l.line.text for l in jump_to] == ["（下转第2版）"]
    assert [l.line.text for l in jump_from] == ["（上接第1版）"]
    # 下转 sits on the last line of the last column, flush right; 上接 on the first body line.
    last_frame = first.frames[-1]
    assert jump_to[0].baseline == pytest.approx(last_frame.bottom - page_geometry(style).pitch
                                                + grid_baseline(page_geometry(style), 0))
    assert jump_to[0].x + jump_to[0].line.width * 9 / 1000 == pytest.approx(last_frame.right)
    assert [l.kind for l in second.lines[:2]] == ["jump-headline", "jump-line"]
    fit = result.fits[0]
    assert fit.overset_lines == 0
    assert fit.blocks[0].lines_used == fit.blocks[0].lines


def test_no_jump_line_between_blocks_on_the_same_page(style, metrics):
    result = _flow(style, metrics, _story(6), [(1, GridArea(1, 2, 17, 20)), (1, GridArea(3, 2, 17, 40))])
    assert not [l for b in result.pages[0].blocks for l in b.lines if l.kind == "jump-line"]


def test_no_continued_from_line_points_at_a_block_too_low_to_hold_any_text(style, metrics):
    result = _flow(style, metrics, _story(6), [(1, GridArea(1, 2, 17, 3)), (2, GridArea(1, 2, 1, 60))])
    assert "needs" in result.misplaced[0].message()
    assert result.fits[0].blocks[0].lines_used == 0 and result.fits[0].blocks[1].lines_used
    assert not [l for b in result.pages[1].blocks for l in b.lines if l.kind == "jump-line"]


def test_a_block_the_text_does_not_reach_is_an_error_naming_its_plan_line(style, metrics):
    result = _flow(style, metrics, _story(1), [(1, GridArea(1, 2, 17, 30)), (2, GridArea(1, 2, 1, 20))])
    first, second = result.pages[0].blocks[0], result.pages[1].blocks[0]
    assert not [l for l in first.lines if l.kind == "jump-line"]      # no 下转 to an empty block
    assert second.lines == ()                                           # no jump headline, no 上接
    fit = result.fits[0]
    assert fit.blocks[1].lines_used == 0
    assert fit.underset_lines == fit.blocks[0].lines - fit.blocks[0].lines_used + fit.blocks[1].lines
    (fault,) = result.misplaced
    assert fault.message().startswith("edition.yaml:1: page 2: story 's' ends before this block: its text does "
                                      "not reach it, which would print 2 columns × 20 lines of white; take the block")


def test_a_house_style_may_let_an_empty_block_print(style, metrics):
    lenient = replace(style, empty_block="warning")
    result = flow_edition(_edition(_story(1), [(1, GridArea(1, 2, 17, 30)), (2, GridArea(1, 2, 1, 20))]),
                          lenient, page_geometry(lenient), metrics)
    assert not result.misplaced and result.pages[1].blocks[0].lines == ()


def test_a_unit_wider_than_its_column_is_a_setting_fault_naming_file_line_and_page(style, metrics):
    """A unit that no rule may break, wider than its column (—— in a grid of 1-em columns): the
    composer cannot set it flush, and says so with the story file, line and page."""
    narrow = replace(style, column_em=1, first_line_indent_em=0)
    story = Story(id="s", path=Path("stories/s.md"), headline="标", kicker=None, deck=None, byline=None,
                  jump_headline=None, kind=None,
                  items=(Paragraph(text="新" * 30, number=1, line=5), Paragraph(text="新闻——新闻", number=2, line=7)))
    result = flow_edition(_edition(story, [(1, GridArea(1, 1, 17, 90))]), narrow, page_geometry(narrow), metrics)
    (fault,) = result.faults
    assert (fault.story, fault.page, fault.file, fault.line, fault.text) == ("s", 1, Path("stories/s.md"), 7, "——")
    assert fault.width_em > fault.measure_em == 1
    assert fault.message().startswith("stories/s.md:7: story 's', page 1: '——' is ")


def test_a_word_wider_than_its_column_is_broken_and_noted_with_its_file_line_and_page(style, metrics):
    """Issue 19: a product code wider than its column breaks where its parts meet (no hyphen added),
    every line flush, and the flow notes each such line for the editor (a warning, not a fault)."""
    story = Story(id="s", path=Path("stories/s.md"), headline="标题", kicker=None, deck=None, byline=None,
                  jump_headline=None, kind=None,
                  items=(Paragraph(text="新闻发布了XJ2000ProMaxUltraSuperWide型号和新闻。", number=1, line=7),))
    result = _flow(style, metrics, story, [(1, GridArea(1, 1, 17, 30))])
    assert not result.faults and result.broken
    body = [l.line for l in result.pages[0].blocks[0].lines if l.kind == "body"]
    assert "".join(line.text for line in body) == "新闻发布了XJ2000ProMaxUltraSuperWide型号和新闻。"
    assert all(line.width == pytest.approx(13000) for line in body[:-1]) and not any(l.hyphenated for l in body)
    assert all((b.file, b.line, b.page) == (Path("stories/s.md"), 7, 1) for b in result.broken)


def test_ju7_a_loose_line_is_noted_with_its_file_line_and_page(style, metrics):
    story = Story(id="s", path=Path("stories/s.md"), headline="标题", kicker=None, deck=None, byline=None,
                  jump_headline=None, kind=None,
                  items=(Paragraph(text="新闻和" + "Q" * 16 + "新闻。", number=1, line=3),))
    result = _flow(style, metrics, story, [(1, GridArea(1, 1, 17, 30))])
    assert not result.faults
    (loose,) = result.loose
    assert (loose.file, loose.line, loose.page, loose.text) == (Path("stories/s.md"), 3, 1, "新闻和")
    assert loose.message().startswith("stories/s.md:3: story 's', page 1: '新闻和' is set loose (JU-7)")


def test_overset_and_underset_are_counted(style, metrics):
    over = _flow(style, metrics, _story(6), [(1, GridArea(1, 1, 17, 20))]).fits[0]
    # 130 characters at 13 em: 11 on the indented first line, 9 × 13, then "新。": 11 lines each.
    assert over.overset_lines == 6 * 11 + 1 - over.blocks[0].lines
    under = _flow(style, metrics, _story(1), [(1, GridArea(1, 1, 17, 30))]).fits[0]
    assert under.overset_lines == 0
    assert under.underset_lines == under.blocks[0].lines - 12     # 11 lines and the byline


def test_gr6_headline_group_takes_whole_lines(style, metrics):
    result = _flow(style, metrics, _story(1), [(1, GridArea(1, 2, 17, 30))])
    block = result.pages[0].blocks[0]
    geometry = page_geometry(style)
    body = [l for l in block.lines if l.kind == "body"]
    headline_lines = result.fits[0].blocks[0].headline_lines
    assert body[0].baseline == pytest.approx(grid_baseline(geometry, headline_lines))
    steps = [(l.baseline - grid_baseline(geometry, 0)) / geometry.pitch for l in body]
    assert all(abs(step - round(step)) < 1e-9 for step in steps)


def test_gr7_subhead_on_whole_lines_with_white_above(style, metrics):
    filling = replace(style, balance_columns=False)       # the subhead inside a column, not at its top
    result = _flow(filling, metrics, _story(2, subhead_after=0), [(1, GridArea(1, 2, 17, 40))])
    lines = result.pages[0].blocks[0].lines
    pitch = page_geometry(style).pitch
    kinds = [l.kind for l in lines]
    sub = kinds.index("subhead")
    assert lines[sub].baseline - lines[sub - 1].baseline == pytest.approx(pitch * (1 + style.subhead_white_above))
    assert lines[sub + 1].baseline - lines[sub].baseline == pytest.approx(pitch)


def test_notice_is_boxed_and_inset(style, metrics):
    result = _flow(style, metrics, _story(1, kind="notice"), [(1, GridArea(1, 2, 17, 20))])
    block = result.pages[0].blocks[0]
    assert block.boxed
    inset = style.notice_inset_em * style.body_size_pt
    assert block.frames[0].x == pytest.approx(inset)
    assert block.frames[-1].right == pytest.approx(block.rect.width - inset)


def test_gr8_headline_width_is_whole_columns(style, metrics):
    # A 6-column head at 30 pt holds ⌊83 em × 9 / 30⌋ = 24 characters (对开).
    from layout.flow.setter import Setter
    setter = Setter(style, metrics)
    width = page_geometry(style).grid_rect(1, 6, 1, 1).width
    assert len(setter.lines("headline", "标" * 24, width, justify=False, size=30)) == 1
    assert len(setter.lines("headline", "标" * 25, width, justify=False, size=30)) == 2


def test_a_headline_breaks_where_the_editor_broke_it(project, metrics):
    """A newline in the front matter is a manual break (issue 13); each part is still broken where
    it must be."""
    story = project.editions / SAMPLE / "stories" / "frontlines.md"
    story.write_text(story.read_text(encoding="utf-8").replace(
        "headline: 扛起疫情防控经济发展“双肩”担当", 'headline: "扛起疫情防控\\n经济发展“双肩”担当"'), encoding="utf-8")
    edition, style = load_edition(project.editions, SAMPLE, project.styles)
    assert edition.stories["frontlines"].headline == "扛起疫情防控\n经济发展“双肩”担当"
    flow = flow_edition(edition, style, page_geometry(style), metrics)
    lead = next(b for b in flow.pages[0].blocks if b.story == "frontlines")
    assert [l.line.text for l in lead.lines if l.kind == "headline"] == ["扛起疫情防控", "经济发展“双肩”担当"]


def test_a_story_run_on_in_a_second_block_of_the_same_page_has_no_jump_heading(project, metrics):
    """Around a picture a story goes on below on the same page: no jump headline, no jump lines."""
    import yaml

    change_block(project, 1, "sewage", lines=28)
    plan = project.editions / SAMPLE / "edition.yaml"
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["pages"][0]["blocks"].append({"story": "sewage", "col": 1, "cols": 3, "line": 66, "lines": 10})
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    edition, style = load_edition(project.editions, SAMPLE, project.styles)
    flow = flow_edition(edition, style, page_geometry(style), metrics)
    first, second = [b for b in flow.pages[0].blocks if b.story == "sewage"]
    assert {l.kind for l in second.lines} <= {"body", "subhead", "byline"} and second.lines[0].kind == "body"
    assert not [l for l in first.lines if l.kind == "jump-line"]
    fit = next(f for f in flow.fits if f.story == "sewage")
    assert fit.overset_lines == 0 and [b.lines_used > 0 for b in fit.blocks] == [True, True]


def test_a_story_file_no_block_places_is_named(project, capsys):
    from layout import cli

    (project.editions / SAMPLE / "stories" / "orphan.md").write_text("---\nheadline: 无处安放\n---\n正文。\n",
                                                                     encoding="utf-8")
    assert cli.main(["--root", str(project.root), "fit", SAMPLE]) == 0
    assert f"warning: {project.editions / SAMPLE / 'stories' / 'orphan.md'} is placed by no block of " in \
        capsys.readouterr().err


def test_any_story_block_may_be_boxed(project, metrics):
    """`box: true` (issue 13): a rule around the block and its text inset, as a notice's."""
    change_block(project, 1, "awards", box=True)
    edition, style = load_edition(project.editions, SAMPLE, project.styles)
    flow = flow_edition(edition, style, page_geometry(style), metrics)
    awards = next(b for b in flow.pages[0].blocks if b.story == "awards")
    assert awards.boxed
    inset = style.notice_inset_em * style.text["body"].size_pt
    assert all(inset - 0.01 <= frame.x and frame.right <= awards.rect.width - inset + 0.01 for frame in awards.frames)
    change_block(project, 1, "awards", box="yes")
    with pytest.raises(LayoutError) as caught:
        load_edition(project.editions, SAMPLE, project.styles)
    assert "'box' is true or false, not 'yes'" in caught.value.message


def _headlined(headline: str) -> Story:
    return replace(_story(2), headline=headline)


def test_a_headline_word_wider_than_its_block_is_an_error_naming_story_and_block(style, metrics):
    """人大常委会 is 5 em: 130 pt at 一号 (26 pt), wider than one 13-em column (117 pt)."""
    result = _flow(style, metrics, _headlined("区人大常委会召开会议"), [(1, GridArea(1, 1, 17, 60))])
    (fault,) = result.misplaced
    assert "the headline of story 's' has a word, '人大常委会', 46 mm wide at 26 pt; its block (edition.yaml:1) " \
           "is 41 mm" in fault.message()


def test_a_house_style_may_fit_a_headline_down_to_its_minimum(style, metrics):
    fitting = replace(style, headline_min_size=style.hao["二号"])
    result = flow_edition(_edition(_headlined("区人大常委会召开会议"), [(1, GridArea(1, 1, 17, 60))]), fitting,
                          page_geometry(fitting), metrics)
    assert not result.misplaced
    sizes = {line.size for line in result.pages[0].blocks[0].lines if line.kind == "headline"}
    assert sizes == {style.hao["二号"]}
    too_small = replace(style, headline_min_size=style.hao["一号"])
    assert flow_edition(_edition(_headlined("区人大常委会召开会议"), [(1, GridArea(1, 1, 17, 60))]), too_small,
                        page_geometry(too_small), metrics).misplaced


def test_a_newline_in_a_headline_breaks_it_there(style, metrics):
    result = _flow(style, metrics, _headlined("全市疫苗接种\n突破300万剂次"), [(1, GridArea(1, 4, 17, 60))])
    texts = [line.line.text for line in result.pages[0].blocks[0].lines if line.kind == "headline"]
    assert texts == ["全市疫苗接种", "突破300万剂次"]


def test_verse_keeps_its_lines_set_solid_and_names_stand_on_a_grid(style, metrics):
    """Verse: a line per source line, standing in by verse.indent_em, not justified; a long one turns
    over. Names: three cells a 13-em line, 2 em apart, so full lines are flush and cells align;
    a two-character name is spread to three (均排)."""
    story = replace(_story(0), items=(
        Verse(("春风吹绿港闸岸，", "劳动者的歌声在车间田野和工地上久久回荡。"), 1),
        Names(("张三", "李四", "王小明", "赵六", "钱七"), 5)))
    block = _flow(style, metrics, story, [(1, GridArea(1, 1, 17, 60))]).pages[0].blocks[0]
    size = 9 / 1000
    verse = [l for l in block.lines if l.kind == "verse"]
    assert [l.line.text for l in verse][0] == "春风吹绿港闸岸，" and len(verse) == 3
    assert all(l.line.glyphs[0].x == style.verse_indent_em * 1000 for l in verse)
    assert all(b.x - a.x == 1000 for l in verse[:1] for a, b in zip(l.line.glyphs, l.line.glyphs[1:]))
    names = [l.line for l in block.lines if l.kind == "names"]
    assert [n.text for n in names] == ["张三李四王小明", "赵六钱七"]
    first, second = names
    assert [g.x for g in first.glyphs] == [0, 2000, 5000, 7000, 10000, 11000, 12000]
    assert [g.x for g in second.glyphs] == [0, 2000, 5000, 7000]
    assert first.width * size == pytest.approx(block.frames[0].width)


def _column_rows(block) -> list[int]:
    return [len({l.baseline for l in block.lines if l.kind in ("body", "byline") and
                 frame.x - 0.01 <= l.x <= frame.right}) for frame in block.frames]


def test_the_block_a_story_ends_in_shares_its_text_among_its_columns(style, metrics):
    """齐栏: 23 rows over 3 columns of 40 lines are 8, 8 and 7, not 23, 0 and 0 — one line alone in a
    column never happens; a house style may keep filling column by column."""
    story = _story(2, chars=130)          # 11 + 11 lines, and the byline
    result = _flow(style, metrics, story, [(1, GridArea(1, 3, 17, 45))])
    assert _column_rows(result.pages[0].blocks[0]) == [8, 8, 7]
    unbalanced = replace(style, balance_columns=False)
    block = flow_edition(_edition(story, [(1, GridArea(1, 3, 17, 45))]), unbalanced, page_geometry(unbalanced),
                         metrics).pages[0].blocks[0]
    assert _column_rows(block)[1:] == [0, 0]


def test_the_lunar_date_in_the_masthead(style):
    assert lunar_date(dt.date(2020, 5, 15), style.masthead_lunar_format) == "农历庚子年四月廿三"
    assert lunar_date(dt.date(2020, 5, 23), style.masthead_lunar_format) == "农历庚子年闰四月初一"
    assert lunar_date(dt.date(2021, 2, 12), "{ganzhi}年{month}月{day}") == "辛丑年正月初一"


def test_ears_stand_boxed_beside_the_paper_name_and_the_numbers_below_it(style, metrics):
    edition = replace(_edition(_story(2), [(1, GridArea(1, 2, 17, 40))]), ears=("今日天气\n多云", None),
                      serial_numbers=("国内统一连续出版物号 CN32-0000",), issue=7)
    page = flow_edition(edition, style, page_geometry(style), metrics).pages[0]
    geometry = page_geometry(style)
    texts = {line.line.text: line for line in page.furniture}
    ear_width = geometry.grid_rect(1, style.masthead_ear_cols, 1, 1).width
    for text in ("今日天气", "多云"):
        ear = texts[text]
        assert geometry.type_left < ear.x and ear.x + ear.measure < geometry.type_left + ear_width
    title = texts["测试报"]
    assert title.x + title.measure / 2 == pytest.approx(geometry.type_left + geometry.type_width / 2)
    below = [texts[t] for t in texts if "CN32-0000" in t or "第7期" in t]
    assert below and all(line.baseline > title.baseline for line in below)
    boxes = [r for r in page.rules if r.x1 == pytest.approx(geometry.type_left) and r.y1 == r.y2]
    assert len(boxes) >= 2          # the ear's box: its top and bottom (with the masthead rule)


def test_an_index_box_names_headlines_and_the_pages_they_start_on(style, metrics):
    story = _story(6)
    other = replace(_story(1), id="t", headline="第二篇稿件")
    edition = _edition(story, [(1, GridArea(1, 2, 17, 20)), (2, GridArea(1, 2, 1, 60))])
    pages = list(edition.pages)
    pages[1] = replace(pages[1], blocks=pages[1].blocks + (
        StoryBlock(story="t", area=GridArea(3, 2, 1, 30), text_columns=2, headline_size=None, source_line=2),))
    pages[0] = replace(pages[0], blocks=pages[0].blocks + (
        IndexBlock(stories=("t", "s"), area=GridArea(7, 2, 17, 12), source_line=3),))
    edition = replace(edition, pages=tuple(pages), stories={"s": story, "t": other})
    result = flow_edition(edition, style, page_geometry(style), metrics)
    index = result.pages[0].blocks[-1]
    assert index.boxed and not result.misplaced
    assert [line.line.text for line in index.lines] == ["导读", "第二篇稿件", "第2版", "标题文字", "第1版"]


def test_an_index_longer_than_its_box_is_a_fault_and_kept_inside_the_box(style, metrics):
    story = _story(6)
    edition = _edition(story, [(1, GridArea(1, 2, 17, 20))])
    index = IndexBlock(stories=("s",), area=GridArea(7, 2, 17, 4), source_line=3)
    edition = replace(edition, pages=(replace(edition.pages[0], blocks=edition.pages[0].blocks + (index,)),))
    geometry = page_geometry(style)
    result = flow_edition(edition, style, geometry, metrics)
    (fault,) = result.misplaced
    assert "the index takes" in fault.message() and "its block 4" in fault.message()
    block = result.pages[0].blocks[-1]
    inner = block.rect.height - style.notice_inset_lines * geometry.pitch
    assert [line.kind for line in block.lines] == ["index-title"] and block.lines[0].baseline <= inner


def test_a_caption_beside_its_picture_ends_level_with_its_foot(style, metrics, tmp_path):
    """caption-side: right — the picture takes all but the last grid column, the caption and credit
    stand in that column and end on the block's last line."""
    picture = tmp_path / "p.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    image = ImageBlock(image=picture, source="p.svg", area=GridArea(1, 3, 17, 20), caption="图片说明文字",
                       credit="本报记者 摄", source_line=4, caption_side="right")
    edition = _edition(_story(1), [(1, GridArea(4, 2, 17, 20))])
    edition = replace(edition, pages=(replace(edition.pages[0], blocks=edition.pages[0].blocks + (image,)),))
    geometry = page_geometry(style)
    block = flow_edition(edition, style, geometry, metrics).pages[0].blocks[-1]
    assert block.image_rect.width == pytest.approx(geometry.grid_rect(1, 2, 1, 1).width)
    assert block.image_rect.height == pytest.approx(20 * geometry.pitch)
    caption, credit = block.lines
    column = geometry.grid_rect(1, 2, 1, 1).width + geometry.gutter
    assert caption.x == pytest.approx(column) and credit.baseline == pytest.approx(grid_baseline(geometry, 19))
    assert credit.x + credit.line.width * 9 / 1000 == pytest.approx(block.rect.width)


def test_a_caption_too_long_for_its_place_beside_the_picture_is_a_fault_and_kept_inside_the_block(
        style, metrics, tmp_path):
    picture = tmp_path / "p.svg"
    picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8")
    image = ImageBlock(image=picture, source="p.svg", area=GridArea(1, 3, 17, 6), caption="很长的图片说明" * 20,
                       credit=None, source_line=4, caption_side="right")
    edition = _edition(_story(1), [(1, GridArea(4, 2, 17, 20))])
    edition = replace(edition, pages=(replace(edition.pages[0], blocks=edition.pages[0].blocks + (image,)),))
    geometry = page_geometry(style)
    result = flow_edition(edition, style, geometry, metrics)
    (fault,) = result.misplaced
    assert "lines in its column beside the picture, and the block has 6" in fault.message()
    block = result.pages[0].blocks[-1]
    assert len(block.lines) == 6
    assert [line.baseline for line in block.lines] == [grid_baseline(geometry, row) for row in range(6)]


@pytest.mark.parametrize("widths", [(1, 2), (2, 1)], ids=["narrow to wide", "wide to narrow"])
def test_verse_and_names_go_on_where_they_stopped_in_a_column_of_another_width(widths, style, metrics):
    """Each verse line and each name is printed once, in order, when the story jumps to a block
    whose columns are wider or narrower."""
    verse = tuple(f"第{n}行诗句写在这里还要再长一些才会折行" for n in range(12))
    names = tuple(f"张{chr(0x4E00 + n)}" for n in range(40))
    story = replace(_story(0), items=(Verse(verse, 1), Names(names, 20)))
    first, second = widths
    result = _flow(style, metrics, story, [(1, GridArea(1, first, 17, 14)), (2, GridArea(1, second * 2, 1, 60))])
    lines = [l for page in result.pages for b in page.blocks for l in b.lines]
    verse_text = "".join(l.line.text for l in lines if l.kind == "verse")
    assert verse_text == "".join(verse)
    assert "".join(l.line.text for l in lines if l.kind == "names") == "".join(names)
    assert result.fits[0].overset_lines == 0


def test_a_message_quotes_a_long_line_shortened():
    fault = SettingFault(story="s", page=1, file=Path("s.md"), line=8, text="A" * 10000, hyphenating=True,
                         width_em=7182.0, measure_em=13.0)
    message = fault.message()
    assert len(message) < 300 and "…" in message and "(10000 characters)" in message
    assert "allow hyphenation" not in message          # it is allowed already: the advice would mislead
    assert "allow hyphenation" in replace(fault, hyphenating=False).message()


def test_a_byline_wider_than_its_column_wraps_flush_right_and_counts_in_the_fit(style, metrics):
    """Issue 19: 本报记者 王小明　通讯员 李强 in a 13-em column is two lines, each flush right, kept
    together in one column, and the fit counts both."""
    story = replace(_story(2, chars=60), byline="本报记者 王小明　通讯员 李强")
    result = _flow(style, metrics, story, [(1, GridArea(1, 2, 17, 30))])
    block = result.pages[0].blocks[0]
    bylines = [l for l in block.lines if l.kind == "byline"]
    assert [l.line.text for l in bylines] == ["本报记者王小明", "通讯员李强"]
    frame = next(f for f in block.frames if f.x <= bylines[0].x < f.right)
    for line in bylines:
        assert line.x + line.line.width * 9 / 1000 == pytest.approx(frame.right)
        assert frame.x <= line.x
    assert bylines[1].baseline - bylines[0].baseline == pytest.approx(page_geometry(style).pitch)
    body = [l for l in block.lines if l.kind == "body"]
    assert result.fits[0].blocks[0].lines_used == len(body) + 2 and not result.misplaced


def test_a_byline_stays_with_the_text_when_the_columns_are_balanced(style, metrics):
    """齐栏 shares a short story out among its columns; its byline (two lines) follows the last line
    of text in the same column rather than stand alone at the top of the next, and 胡　喆 (a name
    padded by hand) is one name."""
    story = Story(id="s", path=Path("stories/s.md"), headline="标题", kicker=None, deck=None,
                  byline="本报记者　司马光　胡　喆", jump_headline=None, kind=None,
                  items=(Paragraph(text="区委第一时间成立疫情防控工作领导小组和指挥部，由区委书记、区长亲自挂帅、靠前指挥，"
                                        "全区近千名机关干部下沉一线，深入社区和企业开展防控指导工作。", number=1, line=5),))
    block = StoryBlock(story="s", area=GridArea(1, 3, 17, 20), text_columns=4, headline_size=None, source_line=1)
    edition = replace(_edition(story, []), pages=(PagePlan(number=1, section=None, editor=None, blocks=(block,)),))
    placed = flow_edition(edition, style, page_geometry(style), metrics).pages[0].blocks[0]
    body = [l for l in placed.lines if l.kind == "body"]
    bylines = [l for l in placed.lines if l.kind == "byline"]
    column = [f for f in placed.frames if f.x - 0.01 <= body[-1].x < f.right][0]
    assert [l.line.text for l in bylines] == ["本报记者司马光", "胡喆"]
    assert all(column.x <= l.x < column.right for l in bylines)
    assert bylines[0].baseline == pytest.approx(body[-1].baseline + page_geometry(style).pitch)
