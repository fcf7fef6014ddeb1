"""Property tests over random Chinese text mixed with punctuation, digits and Latin (hypothesis)."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from layout.compose import compose_paragraph
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
