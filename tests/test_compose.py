"""Composer rules, named after spec/typography.md, with the spec's own examples."""
from __future__ import annotations

from dataclasses import replace

import re

import pytest

from layout.compose import byline_lines, compose_paragraph
from layout.compose.headline import word_starts
from layout.compose.justify import Places, plan_spread
from layout.fonts import FontMetrics
from layout.style import kinsoku_rules
from layout.yamlsource import LocatedDict


class _Advances(dict):
    """Han and full-width marks 1 em, ASCII half an em: the spec's examples assume this."""

    def __missing__(self, ch):
        return 500 if ch.isascii() else 1000

    def __contains__(self, ch):
        return True


GRID = FontMetrics(role="body", family="test", advances=_Advances(), ascent=0.88, descent=0.12)


def lines(text, measure_em, style, indent_em=0, justify=True):
    return compose_paragraph(text, measure_em * 1000, GRID, style.punctuation, first_indent=indent_em * 1000,
                             justify=justify)


def texts(result):
    return [line.text for line in result]


def test_lb5_push_in_before_push_out(style):
    result = lines("他说，我们走。", 6, style)
    assert texts(result) == ["他说，我们走。"]
    assert result[0].width == pytest.approx(6000)


def test_lb5_push_out_spreads_the_short_line(style):
    result = lines("我们今天出发。明天到", 6, style)
    assert texts(result) == ["我们今天出", "发。明天到"]
    xs = [g.x for g in result[0].glyphs]
    assert xs == pytest.approx([0, 1250, 2500, 3750, 5000])     # +0.25 em per gap
    assert result[0].width == pytest.approx(6000)


def test_lb2_opening_mark_not_at_line_end_and_pc5_line_start(style):
    result = lines("我们读了《红楼梦》", 5, style)
    assert texts(result) == ["我们读了", "《红楼梦》"]
    assert result[1].glyphs[0].x == pytest.approx(-500)          # 《 loses its leading half


def test_lb1_no_line_starts_with_a_closing_mark(style):
    text = "他说“好”，我们就走了。大家都说“好的”。"
    for measure in range(3, 12):
        for line in lines(text, measure, style):
            assert line.text[0] not in style.punctuation.not_at_line_start


def test_pc4_adjacent_marks(style):
    result = lines("好。”他", 10, style, justify=False)
    # 。 loses its blank before ”: the pair measures 1.5 em
    assert result[0].glyphs[3].x - result[0].glyphs[1].x == pytest.approx(1500)


def test_pc5_line_end_mark_is_half_width(style):
    result = lines("我们今天走。", 6, style)
    assert result[0].width == pytest.approx(5500)     # the last line is set solid (JU-4)


def test_ju1_every_line_but_the_last_is_flush(style):
    text = "区委第一时间成立疫情防控工作领导小组和指挥部，由区委书记、区长亲自挂帅、靠前指挥，全区近千名机关干部下沉一线。"
    result = lines(text, 13, style, indent_em=2)
    assert all(line.width == pytest.approx(13000) for line in result[:-1])
    assert "".join(texts(result)) == text


def test_ju5_no_orphan_character(style):
    assert texts(lines("他们今天下午到。", 6, style)) == ["他们今天下", "午到。"]


def test_ju6_first_line_indent(style):
    result = lines("一" * 30, 13, style, indent_em=2)
    assert len(result[0].glyphs) == 11
    assert result[0].glyphs[0].x == 2000


def test_lb4_numbers_and_units_are_not_split(style):
    for measure in range(4, 10):
        for line in lines("今年增长12.5%，共1,000人参加了3000万元项目", measure, style):
            assert not line.text.startswith(("2.5", ".5", "5%", "%", ",000", "000"))


def test_mx1_han_latin_space(style):
    result = lines("使用GDP数据", 20, style, justify=False)
    xs = [g.x for g in result[0].glyphs]
    assert xs[2] - xs[1] == pytest.approx(1250)                 # 1 em + ¼ em before G
    assert xs[5] - xs[4] == pytest.approx(750)                  # P (½ em) + ¼ em before 数


def _at(style, level):
    """The house style at another LB-3 strictness level."""
    section = LocatedDict(strictness=level, not_at_line_start="".join(style.punctuation.not_at_line_start),
                          not_at_line_end="".join(style.punctuation.not_at_line_end))
    section.line, section.key_lines = 1, {}
    return replace(style, punctuation=replace(style.punctuation, **kinsoku_rules(section, style.path)))


def test_lb3_strictness_levels(style):
    assert texts(lines("他说——不是的", 3, _at(style, "gb"))) == ["他说", "——不", "是的"]
    assert texts(lines("他说——不是的", 3, _at(style, "strict"))) == ["他", "说——", "不是的"]
    assert texts(lines("他来了。好的", 3, _at(style, "none")))[:2] == ["他来了", "。好的"]
    assert texts(lines("他来了。好的", 3, _at(style, "gb")))[0] == "他来"


def test_lb3_basic_drops_only_the_solidus_at_line_end(style):
    basic = _at(style, "basic").punctuation
    assert "/" not in basic.not_at_line_end and "“" in basic.not_at_line_end
    assert "/" in basic.not_at_line_start


class _NotoLike(_Advances):
    """The body font's real quirks: a proportional — (890) with a full-width fwid form, a narrow ·."""

    def __missing__(self, ch):
        return {"—": 890, "·": 327}.get(ch) or super().__missing__(ch)


NOTO_LIKE = FontMetrics(role="body", family="test", advances=_NotoLike(), ascent=0.88, descent=0.12,
                        full_width={"—": 1000})


def _set(style, text, metrics=NOTO_LIKE):
    return compose_paragraph(text, 100_000, metrics, style.punctuation, justify=False)[0]


def test_pc1_two_em_dash_uses_full_width_glyphs(style):
    line = _set(style, "他说——不")
    dashes = [g for g in line.glyphs if g.char == "—"]
    assert [g.feature for g in dashes] == ["fwid", "fwid"]
    assert dashes[1].x - dashes[0].x == 1000 and line.glyphs[-1].x - dashes[0].x == 2000


def test_pc1_interpunct_is_half_an_em_and_centred(style):
    line = _set(style, "诺尔曼·白求恩")
    dot, after = line.glyphs[3], line.glyphs[4]
    assert after.x - line.glyphs[2].x == pytest.approx(1000 + 500)
    assert dot.x == pytest.approx(3000 + (500 - 327) / 2)


def test_pc1_stacked_marks_take_one_em(style):
    line = _set(style, "真的吗？！好", GRID)
    assert line.glyphs[5].x - line.glyphs[3].x == pytest.approx(1000)     # ？！ then 好
    assert _set(style, "啊？？？好", GRID).glyphs[4].x == pytest.approx(3000)


def test_lb4_stacked_marks_are_one_unit(style):
    texts_at_3 = texts(lines("他说真的吗？！", 3, style))
    assert all(not t.startswith("！") for t in texts_at_3)


def _punctuation_style(style, name):
    return replace(style, punctuation=replace(style.punctuation, style=name))


def test_pc6_kaiming(style):
    line = _set(_punctuation_style(style, "kaiming"), "甲、乙，丙。丁", GRID)
    xs = [g.x for g in line.glyphs]
    assert [xs[2] - xs[1], xs[4] - xs[3], xs[6] - xs[5]] == [500, 500, 1000]


def test_pc6_half_and_full(style):
    half = _set(_punctuation_style(style, "half"), "甲、乙。丁", GRID)
    assert [g.x for g in half.glyphs] == [0, 1000, 1500, 2500, 3000]
    # full: a mid-line mark never shrinks to justify, so the mark is carried down instead.
    full = lines("他说，我们走。", 6, _punctuation_style(style, "full"))
    assert texts(full) != ["他说，我们走。"]
    assert texts(lines("他说，我们走。", 6, style)) == ["他说，我们走。"]


def test_mx3_a_web_address_breaks_after_its_separators_by_preference(style):
    """Before or after / . - _ ? & = # (as the Chicago Manual breaks them) wherever that gives a line
    that is not spread."""
    address = "请访问http://www.gangzha.gov.cn/news/2020/index.html了解"
    for measure in (15, 16, 17, 19, 22):
        result = texts(lines(address, measure, style))
        assert "".join(result) == address
        assert len(result) == 2
        assert result[0][-1] in "/.-_?&=#" or result[1][0] in "/.-_?&=#", result


def test_mx3_a_web_address_is_cut_anywhere_rather_than_spread(style):
    """Where no separator makes a good line, the address is cut between two characters, leaving two
    or more of a segment on either side, without a hyphen (which would read as part of it), and the
    lines stay flush."""
    for measure in range(6, 16):
        result = lines("请访问http://www.gangzha.gov.cn/news/2020/index.html了解", measure, style)
        assert "".join(texts(result)) == "请访问http://www.gangzha.gov.cn/news/2020/index.html了解"
        assert all(line.width == pytest.approx(measure * 1000) for line in result[:-1]), measure
        assert not any(line.hyphenated for line in result)
        for line, following in zip(result, result[1:]):
            assert not re.search(r"(^|[/.-])[a-z0-9]$", line.text) and not re.match(r"[a-z0-9]([/.]|$)", following.text)
    # Before a dot where that is enough (issue 19: after / and before . ? # &), not after it.
    assert texts(lines("请访问http://www.gangzha.gov.cn/news/2020/index.html了解", 12, style))[0] == "请访问http://www.gangzha"


def test_lb6_a_pile_of_three_marks_is_never_broken(style):
    for measure in range(3, 9):
        for line in lines("他说：“我们走吧。”）然后大家都走了。”）好", measure, style)[1:]:
            assert line.text[0] not in style.punctuation.not_at_line_start, line.text


def test_lb7_no_hanging_punctuation(style):
    for measure in range(4, 9):
        for line in lines("他们……走。我们也走了。", measure, style):
            assert line.width <= measure * 1000 + 1e-6
            last = line.glyphs[-1]
            assert last.x + last.advance / 2 <= measure * 1000 + 1e-6   # the ink stays inside


def test_pc3_the_blank_half_is_on_the_non_ink_side(style):
    solid = lines("（甲），乙", 20, style, justify=False)[0]
    opening, closing, comma = solid.glyphs[0], solid.glyphs[2], solid.glyphs[3]
    assert opening.x == -500                      # line start: the blank before （ is dropped
    assert comma.x - closing.x == 500             # PC-4: ） loses its blank before ，


def test_ju2_brackets_and_quotes_shrink_before_commas(style):
    # 13.5 em of text (”， is 1.5 em by PC-4) with quotes and a comma, in a 13-em measure.
    result = lines("我们说“好的”，那就这样吧了", 13, style)
    first = result[0]
    assert first.text == "我们说“好的”，那就这样吧了" and first.width == pytest.approx(13000)
    quote_close, comma = first.glyphs[6], first.glyphs[7]
    assert comma.x - quote_close.x == pytest.approx(500)      # ” shrank (its blank went first)
    assert first.glyphs[8].x - comma.x == pytest.approx(1000)  # ， kept its full em


def test_ju3_no_stretch_inside_numbers(style):
    result = lines("今年增长12.5%的幅度很大很大很大", 9, style)
    number = [g for g in result[0].glyphs if g.char in "12.5%"]
    assert [b.x - a.x for a, b in zip(number, number[1:])] == [500] * (len(number) - 1)
    assert result[0].width == pytest.approx(9000)


def test_ju4_last_line_is_set_solid_from_the_start(style):
    last = lines("今天下午我们在区政府大楼召开会议。", 13, style, indent_em=2)[-1]
    assert [g.x for g in last.glyphs] == [1000 * n for n in range(len(last.glyphs))]
    assert last.width == 1000 * len(last.glyphs) - 500 < 13000     # 。 at the end is half wide


def test_ju7_loose_line_is_flagged(style):
    result = lines("新新" + "1" * 24 + "新新", 13, style)
    assert result[0].loose and not result[-1].loose


def test_ju7_a_number_and_a_han_character_alone_are_spread_flush_and_flagged(style):
    # Before a number too wide for the rest of the line, `0元` has one place to stretch: the
    # Han–Latin space between them takes it all, as the gap between two Han characters would.
    result = lines("0元000,000.0元", 8, style, indent_em=2)
    assert texts(result) == ["0元", "000,000.0元"]
    assert result[0].width == pytest.approx(8000) and result[0].loose
    assert texts(lines("新闻000,000.0元", 8, style, indent_em=2))[0] == "新闻"


def _strict_grid(style):
    return replace(style, punctuation=replace(style.punctuation, strict_grid=True))


def test_lb7_strict_grid_hangs_a_line_end_mark(style):
    result = lines("我们今天出发。明天到", 6, _strict_grid(style))
    assert texts(result) == ["我们今天出发。", "明天到"]
    assert result[0].width == pytest.approx(6000) and result[0].glyphs[-1].x == pytest.approx(6000)


def test_mx3_strict_grid_cuts_an_over_long_word(style):
    result = lines("网址" + "a" * 30 + "完", 10, _strict_grid(style))
    assert "".join(texts(result)) == "网址" + "a" * 30 + "完"
    assert all(line.width <= 10000 + 1e-6 for line in result)
    # Without strict grid too (issue 19): a code is cut between two characters as a last resort,
    # flush, no hyphen added, each such line marked for the editor; an English word is hyphenated.
    code = "网址" + "x7" * 15 + "完"
    normal = lines(code, 10, style)
    assert "".join(texts(normal)) == code
    assert all(line.width == pytest.approx(10000) for line in normal[:-1])
    assert not any(line.hyphenated for line in normal) and any(line.cut for line in normal)
    word = lines("网址Pneumonoultramicroscopicsilicovolcanoconiosis完", 10, style)
    assert all(line.width == pytest.approx(10000) for line in word[:-1]) and word[0].hyphenated


def test_pc5_opening_mark_trim_at_line_start_is_a_setting(style):
    kept = replace(style, punctuation=replace(style.punctuation, trim_opening_at_line_start=False))
    assert lines("（记者）", 10, kept, justify=False)[0].glyphs[0].x == 0
    assert lines("（记者）", 10, style, justify=False)[0].glyphs[0].x == -500


def test_lb4_month_day_names_hold_together(style):
    for measure in range(3, 10):
        for line in lines("“一二·九”运动和“5·12”地震都被写进了教材", measure, style)[1:]:
            assert not line.text.startswith(("九", "·", "12", "2”")), line.text
        joined = [l.text for l in lines("“一二·九”运动和“5·12”地震都被写进了教材", measure, style)]
        assert not any(t.endswith("二·") or t.endswith("5·") for t in joined)


# --- Latin inside Chinese copy in narrow columns (issue 19) ---------------------------------------

QUOTED = '他说："We are building a team that can win, we are building for the future (and now)." 主教练Dr. Jan-Willem van der Whitfield-Smith说; "Yes!" 又说.'


def _breaks(result):
    return [(a.copy, b.copy) for a, b in zip(result, result[1:])]


def test_lb1_lb2_latin_punctuation_and_quotes_keep_off_the_wrong_line_edge(style):
    """In English quoted in the copy too: , . ; : ! ? ) never start a line, ( never ends one, an
    ASCII quote stays with the words it opens or closes."""
    for measure in range(5, 16):
        result = lines(QUOTED, measure, style)
        assert "".join(texts(result)).replace("-", "") == QUOTED.replace(" ", "").replace("-", "")
        for before, after in _breaks(result):
            assert after[0] not in ",.;:!?)", (measure, before, after)
            assert before.rstrip()[-1] not in "(", (measure, before, after)
            assert not (before.rstrip().endswith('"') and before.rstrip()[-2:-1] in (" ", "：")), (measure, before)
            assert not (after.startswith('"') and (len(after) == 1 or not after[1].isalnum())), (measure, after)


def test_lb2_a_hashtag_keeps_its_hash(style):
    """Weibo's #话题# keeps both its #s with the topic; #Word its # with the word."""
    text = "网友在话题#港城马拉松#下留言，也有人用#OpenHarmony和#GC2020标签转发，阅读量超过一亿。"
    for measure in range(5, 14):
        for before, after in _breaks(lines(text, measure, style)):
            assert not (before.endswith("#") and not before.endswith("松#")), (measure, before, after)
            assert not (after.startswith("#") and before.endswith("松")), (measure, before, after)


ADDRESS = "https://www.example.com/sports/football/2021/match-report?id=12345&lang=zh"


def test_mx3_a_web_address_breaks_after_its_slashes_and_before_its_dots(style):
    """After / (not inside //, never after https:), before . ? # & = - _ and the like; a cut inside a
    segment only as a last resort (the line says so), two of its characters at least on either side;
    never a hyphen."""
    text = f"详见{ADDRESS}查看赛后报道。"
    for measure in range(6, 16):
        result = lines(text, measure, style)
        assert "".join(texts(result)) == text and not any(line.hyphenated for line in result)
        assert all(line.width == pytest.approx(measure * 1000) for line in result[:-1])
        for line, (before, after) in zip(result, _breaks(result)):
            if not (before[-1] in ADDRESS and after[0] in ADDRESS):
                continue
            assert not (before.endswith(":") or before.endswith("/") and after.startswith("/")), (measure, before)
            good = (before.endswith("/") or after[0] in ".?#&=-_~%@") and not before.endswith(":")
            assert good or line.cut, (measure, before, after)
            if line.cut:
                assert re.search(r"[a-z0-9]{2}$", before) and re.match(r"[a-z0-9]{2}", after), (measure, before)


def test_mx3_addresses_without_a_scheme_and_e_mail_break_as_addresses(style):
    for text in ("源代码托管在github.com/openharmony-sig/devicesoftwarekit上。", "请发邮件至news.desk@example.com.cn联系。"):
        for measure in range(6, 12):
            result = lines(text, measure, style)
            assert "".join(texts(result)) == text and not any(line.hyphenated for line in result), measure
            assert all(line.width == pytest.approx(measure * 1000) for line in result[:-1])


def test_mx3_a_word_wider_than_its_column_breaks_at_its_parts_without_a_hyphen(style):
    """A product code wider than the column: where its parts meet (XJ2000|Pro|Max), every line flush,
    no hyphen added, each such line marked for the editor (Line.cut)."""
    text = "新品型号为XJ2000ProMaxUltraSuperWide的开发板"
    parts = {"XJ2000", "XJ2000Pro", "XJ2000ProMax", "XJ2000ProMaxUltra", "XJ2000ProMaxUltraSuper"}
    for measure in range(7, 10):
        result = lines(text, measure, style)
        assert "".join(texts(result)) == text
        assert all(line.width == pytest.approx(measure * 1000) for line in result[:-1])
        assert not any(line.hyphenated for line in result)
        cut = [line for line in result if line.cut]
        assert cut
        for line, following in zip(result, result[1:]):
            if line.cut:
                word = re.search(r"[A-Za-z0-9]+$", line.text).group()
                assert any(("XJ2000ProMaxUltraSuperWide".split(word, 1)[0] + word).endswith(p) for p in parts) or \
                    word in "XJ2000ProMaxUltraSuperWide", (measure, line.text, following.text)


def test_ju1_a_long_name_is_hyphenated_rather_than_leave_a_loose_line(style):
    """A name the dictionary knows little of is hyphenated between two letters (two before, three
    after at least) where that keeps a line from going loose (JU-7)."""
    text = "两名外援DeAndre Jackson-Whitaker和Aleksandar Kovačević状态出色，分别贡献了24分和19分。"
    for measure in range(7, 12):
        result = lines(text, measure, style, indent_em=2)
        assert not any(line.loose for line in result), (measure, texts(result))
        for line in result:
            if line.hyphenated:
                assert re.search(r"[^\W\d_]{2}-$", line.text), line.text


def test_ju2_stretch_han_latin_space_first_then_word_spaces_then_gaps_and_letters(style):
    """JU-2 stretch, as `plan_spread` orders it: Han–Latin space to its maximum, word spaces to
    theirs, then the gaps and Latin letters alike — letters no more than the house style's
    letter-spacing, Han–Latin space no more than a visible spread beyond its maximum."""
    rules = style.punctuation
    places = Places(glue_room=500, space_room=500, gaps=4, letters=10, digits=0, spaces=2, joints=2)
    plan = plan_spread(300, places, rules)
    assert (plan.glue, plan.space, plan.gap, plan.letter) == (pytest.approx(0.6), 0, 0, 0)
    plan = plan_spread(800, places, rules)
    assert (plan.glue, plan.space, plan.gap) == (1, pytest.approx(0.6), 0)
    plan = plan_spread(1000 + 16 * 40, places, rules)         # letters under their limit: all alike
    assert plan.gap == plan.letter == plan.joint == pytest.approx(40) and not plan.spread
    limit = rules.latin_letter_spacing * 1000
    plan = plan_spread(1000 + 10 * limit + 2 * 250 + 4 * 300, places, rules)
    assert (plan.letter, plan.joint, plan.gap) == (pytest.approx(limit), pytest.approx(250), pytest.approx(300))
    assert plan.spread
    assert not plan.loose and plan_spread(1000 + 10 * limit + 6 * 600, places, rules).loose


def test_ju2_a_lone_word_letter_spaces_then_widens_its_word_spaces_as_a_last_resort(style):
    rules = style.punctuation
    letters = Places(glue_room=0, space_room=0, gaps=0, letters=10, digits=0, spaces=1)
    limit, widest = rules.latin_letter_spacing * 1000, rules.latin_letter_spacing_max * 1000
    plan = plan_spread(10 * limit, letters, rules)
    assert plan.letter == pytest.approx(limit) and not plan.spread
    plan = plan_spread(10 * widest, letters, rules)
    assert plan.letter == pytest.approx(widest) and plan.spread and not plan.loose
    # Past that, the word space to its loose limit (0.6 em), then letters wider still: loose.
    space_limit = (rules.word_space_loose - rules.word_space_max) * 1000
    plan = plan_spread(10 * widest + space_limit + 200, letters, rules)
    assert plan.space_extra == pytest.approx(space_limit) and plan.letter == pytest.approx(widest + 20)
    assert plan.loose
    spaces = Places(glue_room=0, space_room=0, gaps=0, letters=0, digits=0, spaces=2)
    plan = plan_spread(600, spaces, rules)       # no letters to spread: the word spaces take it all
    assert plan.space_extra == pytest.approx(300) and plan.loose and not plan.unfilled


def test_ju2_latin_letters_close_up_a_little_to_fit_a_line(style):
    """Latin letters close up by the house style's squeeze at most (after the word spaces)."""
    squeeze = style.punctuation.latin_letter_squeeze * 1000
    word = "Abcdefghij"                                     # 5 em in the test font
    fits = lines("新" + word, 6 - 9 * squeeze / 1000 + 0.25 - 0.125, style, justify=True)
    assert texts(fits)[0] == "新" + word


def test_mx2_a_full_width_space_between_numbers_is_a_word_space(style, metrics):
    """A lottery draw typed with full-width spaces breaks at its spaces like one typed with ASCII
    spaces, its lines flush (the space does not end a line), and no number is split."""
    from layout.text import normalise
    for raw in ("前区 05 11 19 27 33，后区 03 09。全场比分 3 1。", "号码为：2　7　0　9　4　1　6。我市彩民收获二等奖1注。"):
        text = normalise(raw, style)
        for measure in range(5, 10):
            result = compose_paragraph(text, measure * 1000, metrics["body"], style.punctuation)
            assert all(line.width == pytest.approx(measure * 1000) for line in result[:-1]), (measure, texts(result))
            for line, following in zip(result, result[1:]):
                if line.text[-1].isdigit() and following.text[0].isdigit():
                    assert line.space_after, (measure, line.text, following.text)


BYLINE_ROLES = ("记者", "通讯员", "实习生")


def _starts(style):
    return lambda text: word_starts(text, style.headline_measure_words, style.headline_words)


def test_a_byline_wraps_between_its_parts_first_never_inside_a_name(style):
    """本报记者 王小明　通讯员 李强: before a role first, then between two names, then between a
    role and its name; the fewest lines; a name is never broken."""
    def wrapped(text, measure):
        return [text[l.start:l.end] for l in byline_lines(text, measure * 1000, GRID, style.punctuation, BYLINE_ROLES,
                                                          _starts(style))]

    assert wrapped("本报记者 王小明　通讯员 李强", 20) == ["本报记者 王小明　通讯员 李强"]
    assert wrapped("本报记者 王小明　通讯员 李强", 9) == ["本报记者 王小明", "通讯员 李强"]
    assert wrapped("本报记者 王小明　通讯员 李强", 6) == ["本报记者", "王小明", "通讯员 李强"]
    assert wrapped("本报记者　陈静　李华　通讯员　赵一鸣", 12) == ["本报记者　陈静　李华", "通讯员　赵一鸣"]
    assert wrapped("记者 张伟　实习生 欧阳明月", 8) == ["记者 张伟", "实习生 欧阳明月"]
    for measure in range(4, 20):
        for text in ("本报记者 王小明　通讯员 李强", "记者 张伟　实习生 欧阳明月", "本报记者　陈静　李华　通讯员　赵一鸣"):
            lines_ = wrapped(text, measure)
            assert " ".join(lines_).split() == text.replace("　", " ").split(), (measure, lines_)


def test_a_line_is_quoted_as_the_copy_has_it(style):
    """Messages quote a line with its spaces (`der Whitfield-`, not `derWhitfield-`), and the hyphen
    the composer added."""
    result = lines("主教练Jan-Willem van der Whitfield-Smith也表示满意，球队会继续努力。", 8, style)
    quoted = [line.quoted for line in result]
    assert any(" " in q for q in quoted)
    for line, q in zip(result, quoted):
        assert q.replace(" ", "") == line.text and q == q.strip()


def test_a_byline_word_wider_than_its_column_breaks_between_its_words(style):
    """本报驻乌鲁木齐记者站记者 艾合买提江·阿不都热合曼 in 8 em: the role breaks between its words
    (never inside 记者站), the transliterated name after its ·; the names of one role wrap with the
    earlier lines full."""
    def wrapped(text, measure):
        return [text[l.start:l.end] for l in byline_lines(text, measure * 1000, GRID, style.punctuation, BYLINE_ROLES,
                                                          _starts(style))]

    lines_ = wrapped("本报驻乌鲁木齐记者站记者 艾合买提江·阿不都热合曼", 8)
    assert "".join(lines_) == "本报驻乌鲁木齐记者站记者艾合买提江·阿不都热合曼"
    assert "艾合买提江·" in lines_ and "阿不都热合曼" in lines_
    assert all(not line.startswith(("站", "者")) for line in lines_), lines_
    assert wrapped("本报记者 欧阳明月 上官婉儿 司马相如 诸葛孔明", 10) == \
        ["本报记者 欧阳明月", "上官婉儿 司马相如", "诸葛孔明"]


def test_lb4_formulas_accented_names_scores_and_telephone_numbers_hold_together(style, metrics):
    """A chemical formula with decimals (LiNi0.8Co0.1Mn0.1O2, LiNi₀.₈…), a name with accented
    letters (Fernández, Ozoliņš), a score (96-95, 3∶1), stoppage time (90+3), a telephone number
    (0513-85208888) and a number a space from its unit (31.8 mm, 24 μg/m³) are never parted; a
    word may break only with a hyphen (or where the engine says it cut it)."""
    text = ("采用LiNi0.8Co0.1Mn0.1O2和LiNi₀.₈Co₀.₁Mn₀.₁O₂正极材料，主教练Miguel Ángel Fernández-Castellanos"
            "说，Prokopčuks-Ozoliņš以96-95反超，第90+3分钟比分3∶1，致电0513-85208888咨询，长度31.8 mm，"
            "浓度为24 μg/m³，同比下降。")
    kept = ("LiNi0.8Co0.1Mn0.1O2", "LiNi₀.₈Co₀.₁Mn₀.₁O₂", "96-95", "90+3", "3∶1", "0513-85208888", "31.8 mm",
            "24 μg/m³")
    for measure in range(6, 16):
        result = compose_paragraph(text, measure * 1000, metrics["body"], style.punctuation)
        assert all(line.width == pytest.approx(measure * 1000) for line in result[:-1]), measure
        for line, following in zip(result, result[1:]):
            joined = line.copy.removesuffix("-") + ("" if line.hyphenated else " " if line.space_after else "") \
                + following.copy
            at = len(line.copy) - line.hyphenated
            for unit in kept:          # only one wider than the column may be cut, and the line says so
                start = joined.find(unit)
                assert start < 0 or not (start < at < start + len(unit)) or line.cut, \
                    (measure, unit, line.copy, following.copy)
            if re.match("[A-Za-zÀ-ɏ]", line.text[-1]) and re.match("[A-Za-zÀ-ɏ]", following.text[0]):
                assert line.hyphenated or line.cut or line.space_after, (measure, line.copy, following.copy)


def test_mx3_a_doi_never_breaks_before_a_dot_that_reads_as_a_decimal(style):
    text = "相关论文DOI为10.11646/zootaxa.4970.2.4，详见期刊网站。"
    for measure in range(6, 14):
        for before, after in _breaks(lines(text, measure, style)):
            assert not re.match(r"\.[0-9]", after), (measure, before, after)


def test_ju5_a_hashtag_closing_mark_is_no_character_of_a_last_line(style):
    """A paragraph ending in #江海马拉松我来了#: 了# alone would be a last line of one character."""
    text = "报名的跑友可以在微博上参与话题讨论#江海马拉松我来了#"
    for measure in range(5, 12):
        last = lines(text, measure, style)[-1].text
        assert len(re.sub(r"[#。，]", "", last)) >= 2, (measure, last)


def test_emergency_hyphens_fall_at_syllable_edges(style):
    from layout.compose.units import _break_points, _emergency_hyphens

    def points(word):
        known = dict(_break_points(word, style.punctuation))
        return [word[:k] + "-" + word[k:] for k in _emergency_hyphens(word, known, style.punctuation)]

    assert points("Whitaker") == ["Whi-taker", "Whita-ker"]
    assert points("strength") == [] and points("small") == [] and points("thought") == []    # one syllable
    assert "memb-ers" not in points("members") and "Mon-tgomery" not in points("Montgomery")
    assert "Fit-zpatrick" not in points("Fitzpatrick")
