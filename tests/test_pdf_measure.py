"""The PDF typography instrument (tests/pdf_measure.py) reads what is on small pages made here with
WeasyPrint — glyphs placed one by one, no engine involved — and finds each fault it is shown."""
from __future__ import annotations

from pathlib import Path

import pytest
import weasyprint

from tests.pdf_measure import measure_pdf

SERIF, SANS = "Noto Serif CJK SC", "Noto Sans CJK SC"
EM = 9.0
PITCH = 11.25
A = (20.0, 110.0)                   # a 10-em column
B = (119.0, 209.0)                  # the next one, across a 1-em gutter
OPENING, CLOSING = "“《", "，。”"
HAN = ("港闸区认真落实中央省市各项决策部署全区上下联动在两新组织开展党旗飘在一线堡垒筑在一线党员冲在"
       "一线突击行动以敢想敢拼敢闯的精气神构筑港闸防疫安全壁垒为推动全区高质量发展保驾护航")


class Page:
    """A page of absolutely placed glyphs, 9 pt unless told; rows are a line pitch apart."""

    def __init__(self):
        self.spans: list[str] = []

    def put(self, x: float, row: int, text: str, family: str = SERIF, size: float = EM,
            right_aligned: bool = False) -> None:
        """text at x (its left edge, or its right edge when right_aligned: for Latin of unknown width)."""
        box = f"left:{x - 80}pt;width:80pt;text-align:right" if right_aligned else f"left:{x}pt"
        self.spans.append(f'<span style="{box};top:{20 + row * PITCH}pt;font-family:\'{family}\';'
                          f'font-size:{size}pt">{text}</span>')

    def line(self, row: int, text: str, column=A, indent: float = 0, solid: bool = False,
             compress: bool = True) -> None:
        """Full-width characters from the column's left edge (plus indent em), spread to its right edge
        unless solid. As a composer would, an opening mark at the start and a closing mark at the end
        count half (compress=False leaves the opening mark its full em)."""
        left, right = column
        start = left + indent * EM - (EM / 2 if text[0] in OPENING and compress else 0)
        last = EM / 2 if text[-1] in CLOSING else EM
        gap = 0 if solid else (right - start - (len(text) - 1) * EM - last) / (len(text) - 1)
        for i, ch in enumerate(text):
            self.put(start + i * (EM + gap), row, ch)

    def write(self, path: Path) -> Path:
        html = ('<html lang="zh-Hans"><style>@page{size:240pt 200pt;margin:0} body{margin:0} '
                'span{position:absolute;line-height:9pt;white-space:pre}</style><body>'
                + "".join(self.spans) + "</body></html>")
        weasyprint.HTML(string=html).write_pdf(path)
        return path


def measure(page: Page, tmp_path: Path, sources=()):
    [measured] = measure_pdf(page.write(tmp_path / "page.pdf"), sources)
    return measured


def test_flush_columns_are_read_with_their_edges_and_paragraph_ends(tmp_path):
    page = Page()
    a = [(HAN[0:8], 2), (HAN[8:17] + "，", 0), ("“" + HAN[17:26], 0), (HAN[26:30] + "。", 0),
         (HAN[30:38], 2), (HAN[38:42] + "。", 0)]
    for row, (text, indent) in enumerate(a):
        page.line(row, text, indent=indent, solid=row in (3, 5))
    b = [("“" + HAN[42:49], 2), ("“" + HAN[49:58], 0), (HAN[58:68], 0)]
    for row, (text, indent) in enumerate(b):
        page.line(row, text, B, indent=indent)
    measured = measure(page, tmp_path)

    assert "Serif" in measured.body_font
    # Row 1 ends with ， in A and starts with “ in B: their advance boxes touch, their inks do not.
    assert [line.text for line in measured.lines] == [t for t, _ in a] + [t for t, _ in b]
    assert [(round(c.left, 2), round(c.right, 2), len(c.lines)) for c in measured.columns] == [(*A, 6), (*B, 3)]
    # A's bottom line ends a paragraph because B (same top) opens with an indented line; B's bottom
    # line has nothing to continue in.
    assert [line.role for line in measured.lines] == ["inner", "inner", "inner", "last", "inner", "last",
                                                      "inner", "inner", "undetermined"]
    assert measured.not_flush == [] and measured.kinsoku == [] and measured.splits == []
    assert 0 < measured.widest_han_gap < 0.1


def test_a_short_line_and_an_uncompressed_opening_mark_inside_a_paragraph_are_not_flush(tmp_path):
    page = Page()
    page.line(0, HAN[0:8], indent=2)
    page.line(1, HAN[8:17], solid=True)                      # one em short of the edge
    page.line(2, "“" + HAN[17:26], compress=False)           # starts half an em in
    page.line(3, HAN[26:29] + "。", solid=True)              # a paragraph's last line: may be short
    page.line(4, HAN[29:37], indent=2)
    page.line(5, HAN[37:47])
    measured = measure(page, tmp_path)

    assert [line.text for line in measured.not_flush] == [HAN[8:17], "“" + HAN[17:26]]
    assert measured.lines[3].role == "last"


def test_kinsoku_faults_are_found_inside_a_column_and_across_columns(tmp_path):
    page = Page()
    page.line(0, HAN[0:8], indent=2)
    page.line(1, HAN[8:18])
    page.line(2, "，" + HAN[18:27])                          # a line starting with ，
    page.line(0, "。" + HAN[27:36], B)                       # continues A's bottom line, with 。
    page.line(1, HAN[36:45] + "《", B)                       # a line ending with 《
    page.line(2, HAN[45:48] + "》。", B, solid=True)
    measured = measure(page, tmp_path)

    assert [(f.what, f.before.text, f.after.text) for f in measured.kinsoku] == [
        ("line starts with '，'", HAN[8:18], "，" + HAN[18:27]),
        ("line starts with '。'", "，" + HAN[18:27], "。" + HAN[27:36]),
        ("line ends with '《'", HAN[36:45] + "《", HAN[45:48] + "》。"),
    ]
    assert measured.not_flush == []


@pytest.mark.parametrize("below", ["headline", "inset box"])
def test_lines_below_white_lines_start_another_column_after_a_headline_or_at_another_edge(tmp_path, below):
    page = Page()
    page.line(0, HAN[0:8], indent=2)
    page.line(1, HAN[8:18])
    page.line(2, HAN[18:28])                                 # continues at B's top, not below
    if below == "headline":
        page.put(A[0], 3, "简讯", SANS, size=14)              # another story's headline
        lower = A
    else:
        lower = (A[0] + EM / 2, A[1] - EM / 2)               # a box half an em in, under white lines
    page.line(5, HAN[40:47], lower, indent=2)
    page.line(6, HAN[47:56], lower)
    page.line(0, "，" + HAN[28:37], B)
    page.line(1, HAN[37:40] + "。", B, solid=True)
    measured = measure(page, tmp_path)

    assert [len(c.lines) for c in measured.columns] == [3, 2, 2]
    assert [(f.what, f.before.text) for f in measured.kinsoku] == [("line starts with '，'", HAN[18:28])]


def test_wide_han_gaps_are_measured_on_justified_lines_only(tmp_path):
    page = Page()
    page.line(0, HAN[0:8], indent=2)
    page.line(1, HAN[8:16])                                  # 8 characters over 10 em: 2/7 em apart
    page.line(2, HAN[16:22])                                 # 6 characters: 0.8 em apart
    page.put(A[0], 3, HAN[22])                               # a last line with a 0.7-em gap: not counted
    page.put(A[0] + 1.7 * EM, 3, HAN[23] + "。")
    page.line(4, HAN[24:32], indent=2)
    page.line(5, HAN[32:42])
    measured = measure(page, tmp_path)

    assert measured.lines[3].role == "last" and measured.lines[3].han_gap == pytest.approx(0.7, abs=0.01)
    assert measured.widest_han_gap == pytest.approx(0.8, abs=0.01)
    assert [line.text for line in measured.lines_with_han_gap_over(0.25)] == [HAN[8:16], HAN[16:22]]
    assert [line.text for line in measured.lines_with_han_gap_over(0.5)] == [HAN[16:22]]
    assert measured.not_flush == []


def test_headlines_subheads_and_bylines_are_not_body_lines_but_a_run_in_is(tmp_path):
    page = Page()
    page.put(A[0], 0, "大会召开", SANS, size=18)
    page.put(A[0] + 2 * EM, 2, "本报讯", SANS)                # a run-in in another face
    page.put(A[0] + 5 * EM, 2, HAN[0:5])
    page.line(3, HAN[5:15])
    page.line(4, HAN[15:18] + "。", solid=True)              # last: a white line follows
    page.put(A[0], 5, "小标题", SANS)                         # a subhead: another face, a line of its own
    page.line(6, HAN[18:28])                                 # not indented, yet a new paragraph
    page.put(A[1], 7, "张军", SANS, right_aligned=True)       # a byline, likewise
    measured = measure(page, tmp_path)

    assert [line.text for line in measured.lines] == ["本报讯" + HAN[0:5], HAN[5:15], HAN[15:18] + "。", HAN[18:28]]
    assert [line.role for line in measured.lines] == ["inner", "inner", "last", "undetermined"]
    assert measured.not_flush == []


def _break_between(page: Page, tail: str, head: str) -> None:
    """A paragraph whose first line ends with tail and whose second line starts with head (Latin of
    unknown width: the first line is set against the right edge, the second from the left)."""
    page.put(A[1], 0, HAN[0:5] + tail, right_aligned=True)
    page.put(A[0], 1, head + HAN[5:10])


@pytest.mark.parametrize("tail, head, source, split", [
    ("05", "11", None, "number split 05|11"),
    ("05", "11", "年05 11日", None),
    ("05", "11", "年05\u300011日", None),
    ("05", "11", "年0511日", "number split 05|11"),
    ("Open", "OS", None, None),                     # a break between two words, for all one knows
    ("Open", "OS", "用OpenOS系统", "word split Open|OS"),
    ("Open", "OS", "用Open OS系统", None),
])
def test_a_unit_split_at_a_line_end_is_found_against_the_sources(tmp_path, tail, head, source, split):
    page = Page()
    _break_between(page, tail, head)
    sources = []
    if source is not None:
        sources = [tmp_path / "story.md"]
        sources[0].write_text(f"测试{source}。\n", encoding="utf-8")
    measured = measure(page, tmp_path, sources)

    assert measured.kinsoku == []
    assert [f.what for f in measured.splits] == ([split] if split else [])


def test_word_spaces_are_read_and_measured(tmp_path):
    page = Page()
    page.line(0, HAN[0:8], indent=2)
    # Two Latin words 0.4 em apart, then 0.05 em apart (no word space), each row followed by a flush
    # line so that it is inside its paragraph. The first word is set against x, the second from x + space.
    for row, space in ((1, 0.4 * EM), (3, 0.05 * EM)):
        page.put(A[0] + 60, row, HAN[8:10] + "Open", right_aligned=True)
        page.put(A[0] + 60 + space, row, "OS" + HAN[10:12])
        page.line(row + 1, HAN[12:22])
    measured = measure(page, tmp_path)

    spaced, solid = measured.lines[1], measured.lines[3]
    assert spaced.role == solid.role == "inner"
    assert spaced.text == HAN[8:10] + "Open OS" + HAN[10:12] and spaced.word_space == pytest.approx(0.4, abs=0.01)
    assert solid.text == HAN[8:10] + "OpenOS" + HAN[10:12] and solid.word_space == 0
    assert measured.widest_word_space == pytest.approx(0.4, abs=0.01)
