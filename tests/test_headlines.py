"""Headline lines (issue 13): broken only between words — never inside a word, a name or a number
with its unit — into the fewest lines, as even as the words allow; a newline breaks by hand; a word
wider than the block is an error naming story and block, or is fitted down where the house style
allows. Unit tests: no PDF (tests/test_makeup.py reads the lines from rendered pages)."""
from __future__ import annotations

from dataclasses import replace

import pytest

from layout.compose.headline import compose_headline, word_starts
from layout.geometry import UNITS_PER_EM


def _lines(style, metrics, text: str, chars: float) -> list[str]:
    starts = word_starts(text, style.headline_measure_words, style.headline_words)
    lines = compose_headline(text, chars * UNITS_PER_EM, metrics[style.text["headline"].font], style.punctuation,
                             starts)
    return [line.text for line in lines]


# The headlines that had to be reworded, and the sample's: where a break must never fall.
KEPT = {
    "全市疫苗接种突破300万剂次": ["300万剂次", "疫苗", "接种", "突破"],
    "项目落户科技城": ["落户", "科技城"],
    "最美教师评选结果揭晓": ["教师", "最美"],
    "区第十届人大常委会第五十次主任会议召开": ["第十届", "第五十次", "主任", "会议", "召开", "常委会"],
    "5G基站建设提速 年内新增1200个": ["5G", "1200个", "基站", "提速"],
    "科技城管委会主任张伟调研重点项目": ["张伟", "主任", "调研", "科技城"],
    "气温将降至-5℃ 市民注意防寒保暖": ["-5℃", "防寒", "保暖"],
    "2020年度“最美科技工作者”名单公布": ["2020年度", "名单", "公布"],
}


@pytest.mark.parametrize("text", KEPT)
@pytest.mark.parametrize("chars", [6, 7, 8, 9, 10, 12])
def test_a_headline_breaks_only_between_words(text, chars, style, metrics):
    lines = _lines(style, metrics, text, chars)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    edges = [len("".join(lines[:n])) for n in range(1, len(lines))]
    joined = "".join(lines)
    for word in KEPT[text]:
        start = joined.find(word)
        assert not any(start < edge < start + len(word) for edge in edges), (word, lines)


def test_a_headline_is_balanced_not_greedy(style, metrics):
    """19 characters at 14 a line: 9 and 10, not 14 and 5."""
    assert _lines(style, metrics, "区第十届人大常委会第五十次主任会议召开", 14) == ["区第十届人大常委会", "第五十次主任会议召开"]
    assert _lines(style, metrics, "项目落户科技城", 20) == ["项目落户科技城"]


def test_a_house_word_is_kept_whole(style, metrics):
    """rjieba cuts 云|招聘|直播; the house's word list keeps 云招聘直播 on one line."""
    text = "港闸区举办云招聘直播带岗活动"
    plain = replace(style, headline_words=())
    house = replace(style, headline_words=("云招聘直播",))
    assert {6, 8} <= word_starts(text, plain.headline_measure_words, plain.headline_words)
    assert any("云招聘直播" in line for line in _lines(house, metrics, text, 5))


def test_a_word_wider_than_the_measure_gives_no_lines(style, metrics):
    starts = word_starts("人大常委会", style.headline_measure_words, ())
    assert compose_headline("人大常委会", 3 * UNITS_PER_EM, metrics[style.text["headline"].font], style.punctuation,
                            starts) is None


def test_a_headline_never_breaks_inside_a_date(style):
    """报名通道5月20日开启: 5月 | 20日 would part a date."""
    from layout.compose.headline import word_starts
    text = "报名通道5月20日开启"
    starts = word_starts(text, style.headline_measure_words, style.headline_words)
    assert not starts & set(range(text.index("5") + 1, text.index("日") + 1))
