"""Story parsing and text normalisation (MX-2, MX-4, MX-5)."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.errors import LayoutError
from layout.text import ClosingLines, Names, Paragraph, Subhead, Verse, normalise, parse_story, read_story


@pytest.mark.parametrize("source, expected", [
    ("他说:你好!", "他说：你好！"),
    ("GDP(国内生产总值)", "GDP（国内生产总值）"),
    ("10:30,在3.5号馆", "10:30，在3.5号馆"),
    ("(2020年5月13日通过)", "（2020年5月13日通过）"),
    ("他说\"好的\",然后走了", "他说“好的”，然后走了"),
    ("Yahoo!的网站", "Yahoo!的网站"),
    ("等等...", "等等……"),
    # An ellipsis with text after it (the engine used to fail on the mark after the ……).
    ("他说...好", "他说……好"),
    ("...他说:好", "……他说：好"),
    ("等等...\"好\"", "等等……“好”"),
    ("f(x) = 1", "f(x) = 1"),
])
def test_mx5_ascii_punctuation_in_chinese_context(style, source, expected):
    assert normalise(source, style) == expected


def test_mx4_full_width_digits_and_letters(style):
    assert normalise("２０２４年ＡＢ", style) == "2024年AB"


def test_mx2_space_at_han_latin_boundary_is_absorbed(style):
    assert normalise("使用 iPhone 手机", style) == "使用iPhone手机"


def test_story_parts(style):
    source = "---\nheadline: 标题\nbyline: 记者\n---\n第一段\n接着。\n\n## 小标题\n\n第二段。\n\n::: right\n署名\n日期\n:::\n"
    story = parse_story("s", Path("s.md"), source, style)
    assert story.headline == "标题" and story.byline == "记者"
    assert story.items == (Paragraph("第一段接着。", 1, 5), Subhead("小标题", 8), Paragraph("第二段。", 2, 10),
                           ClosingLines(("署名", "日期"), 12))


def test_verse_and_names_blocks(style):
    """Verse keeps its lines (MX-5 still gives Chinese punctuation); a name list is split however the
    reporter spaced it: spaces, full-width spaces, 、 or ，."""
    source = ("---\nheadline: 标题\n---\n::: verse\n春风吹绿港闸岸,\n  万家灯火映长河。\n:::\n\n"
              "::: names\n张三 李四、王小明\n赵六\u3000钱七，阿依古丽·买买提\n:::\n")
    story = parse_story("s", Path("s.md"), source, style)
    assert story.items == (Verse(("春风吹绿港闸岸，", "万家灯火映长河。"), 4),
                           Names(("张三", "李四", "王小明", "赵六", "钱七", "阿依古丽·买买提"), 9))


def test_run_in_bold_is_marked_by_pairs_of_asterisks(style):
    source = "---\nheadline: 标题\n---\n**本报讯**（记者 张军）5月15日,\n**问：**谁?\n"
    (paragraph,) = parse_story("s", Path("s.md"), source, style).items
    assert paragraph.text == "本报讯（记者 张军）5月15日，问：谁？"
    assert [paragraph.text[s:e] for s, e in paragraph.bold] == ["本报讯", "问："]
    with pytest.raises(LayoutError, match="a '\\*\\*' has no partner"):
        parse_story("s", Path("s.md"), "---\nheadline: 标题\n---\n**本报讯 5月15日\n", style)


def test_markup_is_text(style):
    source = '---\nheadline: 标题\n---\n<style>p{}</style><link rel="attachment" href="file:///etc/passwd">\n'
    story = parse_story("s", Path("s.md"), source, style)
    assert story.items[0].text.startswith("<style>p{}</style><link")


@pytest.mark.parametrize("source, line, words", [
    ("headline: 标题\n---\n正文", 1, "front matter"),
    ("---\ndeck: 副题\n---\n正文\n", 2, "headline"),
    ("---\nheadline: 标题\ncolour: red\n---\n正文\n", 3, "unknown front matter key 'colour'"),
    ("---\nheadline: 标题\n---\n::: right\n署名\n", 4, "not closed"),
    ("---\nheadline: 标题\n---\n::: poem\n春风\n:::\n", 4, "the known ones are ::: right, ::: verse, ::: names"),
    ("---\nheadline: 标题\n---\n::: names\n\n:::\n", 4, "empty '::: names' block"),
    ("---\nheadline: 标题\n---\n::: names\n、、 ，，\u3000\n:::\n", 4, "holds no name, only separators"),
    ("---\nheadline: 标题\n---\n::: names\n::: verse\n床前明月光\n:::\n:::\n", 5,
     "'::: verse' stands inside the '::: names' block opened on line 4, and another block cannot"),
    ("---\nheadline: 标题\n---\n::: names\n## 获奖名单\n张三\n:::\n", 5, "and a subhead cannot"),
    ("---\nheadline: 标题\n---\n::: verse\n春风\n::: right\n:::\n", 6, "close that block with a line ':::' first"),
    ("---\nheadline: 标\n  **题**\n---\n正文\n", 2, "run-in bold (**…**) is for paragraphs; the headline"),
    ("---\nheadline: 标题\ndeck: '**副题**'\n---\n正文\n", 3, "the deck is set in its own face"),
    ("---\nheadline: 标题\ndeck: **副题**\n---\n正文\n", 3, "starts with '*' is read as YAML syntax: put it in "
                                                         "quotes (deck: '**副题**')"),
    ("---\nheadline: 标题\n---\n****本报讯 正文\n", 4, "a pair of '**' holds nothing to set bold"),
])
def test_story_errors_name_file_and_line(style, source, line, words):
    with pytest.raises(LayoutError) as caught:
        parse_story("s", Path("stories/s.md"), source, style)
    assert caught.value.line == line
    assert words in caught.value.message
    assert str(caught.value).startswith(f"stories/s.md:{line}: ")


def test_mx6_interpunct_is_u00b7(style):
    assert normalise("诺尔曼・白求恩", style) == "诺尔曼·白求恩"
    assert normalise("“一二•九”运动", style) == "“一二·九”运动"


def test_mx5_urls_keep_their_punctuation(style):
    assert normalise("访问http://www.gangzha.gov.cn/a?b=1,了解", style) == "访问http://www.gangzha.gov.cn/a?b=1，了解"


@pytest.mark.parametrize("pasted, printed", [
    ("Cafe\u0301和e\u0301与a\u0308", "Café和é与ä"),                 # accents composed with their letter
    ("和\u2060测\u200b试\ufeff", "和测试"),                           # invisible marks dropped
    ("\u1828\u180e\u1820 a\u200db", "\u1828\u180e\u1820 a\u200db"),  # joiners other scripts need are kept
    ("extra\u00adordinary", "extraordinary"),                        # a soft hyphen: the composer hyphenates
    ("Mr.\u00a0Smith说", "Mr. Smith说"),                             # a no-break space measured as a space
    ("\uf900\u5948", "\uf900\u5948"),                                # compatibility ideographs kept (names)
])
def test_pasted_characters_print_as_the_reader_sees_them(pasted, printed, style):
    assert normalise(pasted, style) == printed


def test_line_and_paragraph_separators_end_lines_and_paragraphs(style, tmp_path):
    path = tmp_path / "s.md"
    path.write_text('---\nheadline: "标\\u2028题"\n---\n第一段\u2028接着\u2029第二段\n', encoding="utf-8")
    story = read_story("s", path, style)
    assert story.headline == "标\n题"
    assert [item.text for item in story.items] == ["第一段接着", "第二段"]


def test_a_hashtag_line_in_verse_is_a_line_of_the_poem(style):
    story = parse_story("s", Path("s.md"), "---\nheadline: 标题\n---\n::: verse\n#武汉加油#\n春风\n:::\n", style)
    assert story.items[0].lines == ("#武汉加油#", "春风")


def test_a_two_character_name_padded_by_hand_is_one_name(style):
    """王　明, typed with a full-width space to line up with three-character names, is one name (the
    engine spreads it to three itself); no Chinese name is one character."""
    story = parse_story("s", Path("s.md"), "---\nheadline: 标题\n---\n::: names\n王\u3000明\u3000李四\u3000张\u3000三、"
                        "欧阳晓雯\n:::\n", style)
    assert story.items[0].names == ("王明", "李四", "张三", "欧阳晓雯")


def test_english_wrapped_in_the_source_keeps_its_word_spaces(style):
    """A line inside a paragraph joins the next without a space (Chinese has none), but English
    wrapped in the source file keeps the space between its words (issue 19)."""
    story = parse_story("s", Path("s.md"), "---\nheadline: 标题\n---\n他说：\"We are\nbuilding a team that can\nwin.\"主教练也\n"
                        "表示满意，价格为3\n5元。\n", style)
    assert story.items[0].text == "他说：“We are building a team that can win.”主教练也表示满意，价格为35元。"


def test_mx5_english_quoted_in_chinese_takes_chinese_quotes_at_both_ends(style):
    """A pair of ASCII quotes changes as a pair when either end stands in Chinese context: English
    quoted in Chinese text ends with ” though its closing quote follows a full stop."""
    assert normalise('他说，"The toolchain is open; anyone can contribute."', style) == \
        "他说，“The toolchain is open; anyone can contribute.”"
    assert normalise("球员O'Brien说：'好'", style) == "球员O'Brien说：‘好’"        # an apostrophe is no quote
    assert normalise('He said "yes" twice.', style) == 'He said "yes" twice.'


def test_a_space_beside_a_full_width_mark_is_dropped(style):
    """The mark has its blank half already: `stay." 根据` would print a gap of an em and more."""
    assert normalise('他说："and we will stay." 根据协议', style) == "他说：“and we will stay.”根据协议"
    assert normalise("（ 记者 张三 ）", style) == "（记者 张三）"


def test_mx4_a_full_width_space_between_digits_is_a_word_space(style):
    """Numbers typed in a full-width input mode (２　７　０): digits become ASCII (MX-4), and the
    full-width spaces between them word spaces; beside Han a full-width space is Han–Latin space
    (MX-2), as an ASCII one is."""
    assert normalise("号码为：２　７　０　９。前区　05　11，致电　0513-85208888　咨询", style) == \
        "号码为：2 7 0 9。前区05 11，致电0513-85208888咨询"


def test_mx5_an_ascii_quote_closes_a_chinese_one(style):
    """“We are ready." (a Chinese opening, an ASCII closing, as pasted copy has it): the ASCII quote
    closes that pair, and the pairs after it keep their sides."""
    assert normalise('他说：“We are ready."随后离开了。主教练表示,"防守、篮板,然后进攻会自然到来"。', style) == \
        "他说：“We are ready.”随后离开了。主教练表示，“防守、篮板，然后进攻会自然到来”。"


def test_a_byline_keeps_its_spaces_beside_latin_names(style):
    """A byline's spaces part its words and its parts: beside a Latin name they are not absorbed as
    prose's Han–Latin spaces are (MX-2), so 特约通讯员 Catherine Montgomery-Fitzpatrick　实习生 司马相如
    still breaks between role and name and between its parts."""
    byline = "本报驻伦敦记者 欧阳晓明　特约通讯员 Catherine Montgomery-Fitzpatrick　实习生 司马相如"
    story = parse_story("s", Path("s.md"), f"---\nheadline: 会晤\nbyline: {byline}\n---\n正文。\n", style)
    assert story.byline == byline
    prose = parse_story("s", Path("s.md"), f"---\nheadline: 会晤\n---\n{byline}\n", style)
    assert prose.items[0].text != byline        # prose absorbs them (MX-2)
