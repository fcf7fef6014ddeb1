"""The torture edition: every hard case of the typography spec, threaded over three pages with a
破栏 block, set with no fault the house style forbids — measured on the PDF."""
from __future__ import annotations

from tests.conftest import TORTURE


def test_the_torture_story_runs_over_three_pages_through_a_re_columned_block(torture):
    _, rendered = torture
    fit = next(f for f in rendered.flow.fits if f.story == "torture")
    assert [b.page for b in fit.blocks] == [1, 2, 3] and fit.overset_lines == 0
    first = fit.blocks[0]
    assert first.text_columns == 4                         # 6 columns set in 4 (GR-4)
    assert [round(w / 9) for _, _, w, _ in first.frames] == [20, 20, 20, 20]


def test_the_preflight_finds_no_fault(torture):
    _, rendered = torture
    assert rendered.typography and all(r.violations == 0 for r in rendered.typography)
    assert sum(r.lines for r in rendered.typography) > 80
    manifest = rendered.deliverables.manifest
    assert manifest["edition"] == TORTURE and len(manifest["pages"]) == 3
    assert all(t["not_flush"] == t["kinsoku_breaks"] == t["split_units"] == t["off_grid"] == 0
               for t in manifest["typography"])
