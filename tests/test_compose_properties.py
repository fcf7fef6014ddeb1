"""Property tests over random Chinese text mixed with punctuation, digits and Latin (hypothesis)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.compose import compose_paragraph
from layout.text import is_han
from tests.test_compose import GRID

HAN = "新闻工作者报道港闸区企业发展党员群众社会服务"
MARKS = "，。、；：？！"
PAIRS = ["“{}”", "‘{}’", "（{}）", "《{}》"]
UNBREAKABLE = re.compile(r"[0-9]+(?:[.,][0-9]+)*(?:%|[A-Za-z]+)?|[A-Za-z]+|——|……")

word = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=6),
    # A Han character after each number and word keeps neighbours from merging into longer units.
    st.from_regex(r"[0-9]{1,3}(,[0-9]{3})?(\.[0-9])?%?", fullmatch=True).map(lambda n: n + "元"),
    st.from_regex(r"[A-Za-z]{1,4}", fullmatch=True).map(lambda w: w + "网"),
    st.just("——"), st.just("……"),
)
piece = st.one_of(
    word,
    st.sampled_from(MARKS),
    st.builds(lambda pair, inner: pair.format(inner), st.sampled_from(PAIRS), st.text(alphabet=HAN, min_size=1, max_size=5)),
)
paragraph = st.lists(piece, min_size=1, max_size=40).map("".join)


def _gaps(line) -> int:
    """Gaps between units on a line: glyphs not inside one unbreakable unit."""
    units = UNBREAKABLE.sub("U", line.text)
    return max(0, len(units) - 1)


# Measures start at 8 em so that the longest generated unit (5 em) fits after a 2-em indent; a unit
# longer than its line overflows by design (MX-3) and the preflight reports it.
def _compose(style, text, measure_em, indent_em):
    return compose_paragraph(text, measure_em * 1000, GRID, style.punctuation, first_indent=indent_em * 1000)


@settings(max_examples=300, deadline=None)
@given(text=paragraph, measure_em=st.integers(min_value=8, max_value=20), indent_em=st.sampled_from([0, 2]))
def test_properties_of_composed_lines(style, text, measure_em, indent_em):
    lines = _compose(style, text, measure_em, indent_em)
    rules = style.punctuation
    # Nothing lost, nothing added but spacing.
    assert "".join(line.text for line in lines) == text
    for number, line in enumerate(lines):
        if number > 0:
            assert line.text[0] not in rules.not_at_line_start or line.text.startswith(("——", "……")), line.text
        if number < len(lines) - 1:
            assert line.text[-1] not in rules.not_at_line_end, line.text
            # JU-1: flush on both edges (font units are exact sums), or flagged for the editor (JU-7)
            # when nothing on the line can take the space (one unit before a number that cannot fit).
            if line.loose and abs(line.width - measure_em * 1000) > 1e-6:
                assert line.width < measure_em * 1000 and _gaps(line) == 0, (line.text, line.width)
            else:
                assert abs(line.width - measure_em * 1000) < 1e-6, (line.text, line.width)
    # LB-4: no unbreakable unit is split across lines.
    boundaries = set()
    offset = 0
    for line in lines[:-1]:
        offset += len(line.text)
        boundaries.add(offset)
    for match in UNBREAKABLE.finditer(text):
        assert not any(match.start() < b < match.end() for b in boundaries), match.group()


# Real copy: the body font's own widths, English words the dictionary hyphenates, names with digits,
# numbers with units, word spaces, web addresses and DOIs — at every measure from 6 to 30 em.
LATIN = ["International", "Corporation", "benchmarks", "OpenHarmony", "Android", "Linux", "Hypervisor",
         "RISC-V", "Sv39/Sv48", "SPECint2006", "LiFePO", "IDC", "GCC", "Data Corporation", "open source"]
NUMBERS = ["2.5GHz", "64KB", "-40℃", "3,268", "58.3%", "15μA", "175Wh/kg", "12", "2024", "7.1"]
ADDRESSES = ["https://www.example.org/riscv/benchmarks/2022/index.html", "10.1109/TC.2022.3145678",
             "www.gangzha.gov.cn"]
real_piece = st.one_of(
    st.text(alphabet=HAN, min_size=1, max_size=8),
    st.sampled_from(MARKS),
    st.builds(lambda pair, inner: pair.format(inner), st.sampled_from(PAIRS), st.text(alphabet=HAN, min_size=1, max_size=5)),
    st.sampled_from(LATIN).map(lambda w: w + "的"),
    st.sampled_from(NUMBERS).map(lambda n: n + "元"),
    st.sampled_from(ADDRESSES).map(lambda a: a + " 查阅"),
)
real_paragraph = st.lists(real_piece, min_size=1, max_size=30).map("".join)
REAL_UNITS = re.compile("|".join(re.escape(u) for u in sorted(NUMBERS, key=len, reverse=True)))
UNITS_OF_REAL_COPY = re.compile("|".join(re.escape(u) for u in sorted(LATIN + NUMBERS, key=len, reverse=True))
                                + "|.")


@settings(max_examples=200, deadline=None)
@given(text=real_paragraph, measure_em=st.integers(min_value=6, max_value=30), indent_em=st.sampled_from([0, 2]))
def test_properties_of_real_copy(style, metrics, text, measure_em, indent_em):
    """Every line but the last flush, or short and flagged for the editor (JU-7); nothing lost (a
    hyphen is only added at a line end); numbers with their units never split; a gap between two Han
    characters past the loose limit only on a flagged line; a line wider than the measure only where
    one unit is longer than the line, flagged overfull."""
    rules = style.punctuation
    body = metrics["body"]
    measure = measure_em * 1000
    lines = compose_paragraph(text, measure, body, rules, first_indent=indent_em * 1000)
    kept = "".join(line.text[:-1] if line.hyphenated else line.text for line in lines)
    assert kept == text.replace(" ", "")
    for number, line in enumerate(lines):
        if line.overfull:          # one unit longer than the line (after the indent): flagged
            assert len(UNITS_OF_REAL_COPY.findall(line.text)) == 1, line.text
        elif number < len(lines) - 1 and abs(line.width - measure) > 1e-6:
            assert line.loose and line.width < measure, (line.text, line.width, measure)
        han_gaps = [b.x - (a.x + a.advance) for a, b in zip(line.glyphs, line.glyphs[1:])
                    if is_han(a.char) and is_han(b.char)]
        if han_gaps and max(han_gaps) > rules.loose_gap * 1000 + 1e-6 and number < len(lines) - 1:
            assert line.loose, (line.text, max(han_gaps))
    boundaries, offset = set(), 0
    for line in lines[:-1]:
        offset += len(line.text) - line.hyphenated
        boundaries.add(offset)
    for match in REAL_UNITS.finditer(text.replace(" ", "")):
        assert not any(match.start() < b < match.end() for b in boundaries), match.group()
