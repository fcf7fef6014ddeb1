"""Grid arithmetic (GR-1 … GR-5, GR-9)."""
from __future__ import annotations

import pytest

from layout.geometry import page_geometry, split_columns


def test_gr1_gr2_broadsheet_type_area_is_111_em(style):
    geometry = page_geometry(style)
    assert geometry.span_em(8) == 111
    assert geometry.type_width == pytest.approx(999)
    assert geometry.type_height == pytest.approx(123 * 11.25)


def test_gr3_spans(style):
    geometry = page_geometry(style)
    assert [geometry.span_em(n) for n in (2, 3, 5)] == [27, 41, 69]


@pytest.mark.parametrize("span, count, mode, expected", [
    (41, 2, "relative", [(0, 20), (21, 20)]),
    (69, 3, "relative", [(0, 22), (23, 22), (46, 23)]),
    (69, 3, "absolute", [(0, 22), (23.5, 22), (47, 22)]),
    (20, 2, "absolute", [(0, 9), (11, 9)]),
    (20, 2, "relative", [(0, 9), (10, 10)]),
    (20, 2, "free", [(0, 9.5), (10.5, 9.5)]),
])
def test_gr4_gr9_split_modes(span, count, mode, expected):
    got = split_columns(span * 1000, count, 1000, mode)
    assert [(o / 1000, w / 1000) for o, w in got] == expected


def test_gr2_standard_broadsheet_grid(style):
    geometry = page_geometry(style)
    assert (geometry.columns, geometry.column_em, geometry.gutter_em, geometry.body_size) == (8, 13, 1, 9)
    assert geometry.type_width / 72 * 25.4 == pytest.approx(352.4, abs=0.1)


def test_gr9_founder_split_modes_of_a_20_em_block():
    assert split_columns(20000, 2, 1000, "absolute") == ((0, 9000), (11000, 9000))
    assert split_columns(20000, 2, 1000, "relative") == ((0, 9000), (10000, 10000))
    assert split_columns(20000, 2, 1000, "free") == ((0, 9500), (10500, 9500))
