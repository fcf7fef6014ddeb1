"""Compositions kept between flows (compose.kept): a flow that takes an earlier flow's lines is the
flow that composes them anew, and the kept file is named by everything that decides them."""
from __future__ import annotations

from layout.compose import kept
from layout.compose.kept import Compositions
from layout.flow import flow_edition
from layout.fonts import load_fonts
from layout.geometry import page_geometry
from layout.plan import load_edition
from tests.conftest import MIXED, REPO, SAMPLE


def test_a_flow_from_kept_compositions_is_the_flow_composed_anew(project, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    faces, metrics = load_fonts(REPO / "fonts")
    for date in (SAMPLE, MIXED):
        edition, style = load_edition(project.editions, date, project.styles)
        geometry = page_geometry(style)
        first = Compositions()
        fresh = flow_edition(edition, style, geometry, metrics, first)
        kept.store(first, date, style, faces)
        again = kept.load(date, style, faces)
        assert again.earlier.keys() == first.now.keys()
        assert flow_edition(edition, style, geometry, metrics, again) == fresh
        assert again.now.keys() == first.now.keys()      # what the next flow keeps: what this one used


def test_kept_compositions_are_named_by_the_house_style_and_the_edition(project, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    edition, style = load_edition(project.editions, SAMPLE, project.styles)
    compositions = Compositions()
    compositions.composed(("body", "正文"), lambda: "set")
    kept.store(compositions, SAMPLE, style)
    assert kept.load(SAMPLE, style).earlier == {("body", "正文"): "set"}
    assert not kept.load(MIXED, style).earlier
    looser = type(style)(**{**{f: getattr(style, f) for f in style.__dataclass_fields__},
                            "underset_tolerance_lines": style.underset_tolerance_lines + 1})
    assert not kept.load(SAMPLE, looser).earlier


def test_a_damaged_or_forged_file_is_composed_anew(project, tmp_path, monkeypatch):
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    compositions = Compositions()
    compositions.composed("key", lambda: "set")
    kept.store(compositions, SAMPLE)
    [path] = (tmp_path / "cache" / "compositions").iterdir()
    path.write_bytes(path.read_bytes()[:-3])
    assert not kept.load(SAMPLE).earlier
    # A well-formed entry whose lines are not lines (a glyph's advance as text) is not taken either.
    from layout.cachefile import write_cache_file
    write_cache_file(path, b'[["key", ["lines", [[[["a", 0, "500", null, false]], 0, 1, 500, true, false, false, '
                           b'false, false, "", false]]]]]')
    assert not kept.load(SAMPLE).earlier
