"""Page make-up (issue 13), read from the rendered PDF: pictures cropped to fill their frame around
a focus, or fitted whole."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import yaml
from PIL import Image

from layout.geometry import page_geometry
from layout.pipeline import render_edition
from layout.snapshot import trim_picture
from tests.conftest import SAMPLE

RED, BLUE = (220, 0, 0), (0, 0, 220)


def _wide_picture() -> bytes:
    """4:1, red on the left half, blue on the right: where a crop cut shows in the colour."""
    picture = Image.new("RGB", (4000, 1000), RED)
    picture.paste(BLUE, (2000, 0, 4000, 1000))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _add_blocks(project, page: int, blocks: list[dict]) -> None:
    path = project.editions / SAMPLE / "edition.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["pages"][page - 1]["blocks"] += blocks
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _colours(picture: Image.Image, scale: float, rect, inset: float = 3) -> set[str]:
    """Which of red, blue and white the frame `rect` (pt on the trim; `scale` pixels a pt) shows,
    `inset` pt inside its edge."""
    box = [round((v + d) * scale) for v, d in zip((rect[0], rect[1], rect[0] + rect[2], rect[1] + rect[3]),
                                                   (inset, inset, -inset, -inset))]
    seen = set()
    for r, g, b in picture.crop(box).convert("RGB").get_flattened_data():
        # Printed through the newsprint profile, the colours are duller: told apart by hue.
        seen.add("white" if min(r, g, b) > 230 else "red" if r > b + 60 else "blue" if b > r + 60 else "other")
    return seen


def test_a_picture_fills_its_frame_around_its_focus_or_fits_whole(project, style):
    """Three frames 2 columns × 20 lines (taller than wide) with the same 4:1 picture: fill with the
    focus on the left keeps red only, on the right blue only; fit shows both halves and white."""
    (project.editions / SAMPLE / "images" / "wide.png").write_bytes(_wide_picture())
    frames = [dict(col=1, crop="fill", focus="0.1,0.5"), dict(col=3, crop="fill", focus=[0.9, 0.5]),
              dict(col=5)]
    _add_blocks(project, 1, [dict(image="images/wide.png", cols=2, line=80, lines=20, **frame) for frame in frames])
    rendered = render_edition(project, SAMPLE, jobs=1)
    geometry = page_geometry(style)
    manifest = rendered.deliverables.manifest
    pdf = pdfium.PdfDocument(rendered.deliverables.files[manifest["pages"][0]["file"]])
    picture = trim_picture(pdf[0], geometry, 72)
    rects = [(geometry.type_left + b["rect"][0], geometry.type_top + b["rect"][1], b["rect"][2], b["rect"][3])
             for b in manifest["pages"][0]["blocks"] if "wide.png" in b["label"]]
    assert [_colours(picture, 1.0, rect) for rect in rects] == [{"red"}, {"blue"}, {"red", "blue", "white"}]


def _thin_paths(pdf_page, geometry) -> list[tuple[float, float, float, float]]:
    """Rules as drawn: path objects thinner than 2 pt, as (x1, y1, x2, y2) on the trim from its top
    left, and the weight."""
    found = []
    for obj in pdf_page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=5):
        left, bottom, right, top = obj.get_bounds()
        if min(right - left, top - bottom) < 2:
            found.append((left, geometry.trim_height - top, right, geometry.trim_height - bottom))
    return found


def _covered(paths, x1: float, y1: float, x2: float, y2: float, weight: float) -> bool:
    """A drawn rule of `weight` covers the segment (x1, y1)–(x2, y2)."""
    return any(abs((p[3] - p[1] if y1 == y2 else p[2] - p[0]) - weight) < 0.05
               and p[0] - 0.05 <= min(x1, x2) and max(x1, x2) <= p[2] + 0.05
               and p[1] - 0.05 <= min(y1, y2) and max(y1, y2) <= p[3] + 0.05 for p in paths)


@pytest.mark.parametrize("edition", ["sample", "narrow"])
def test_a_rule_runs_between_stories_that_meet(edition, request, style):
    """Read from the page: along every edge two different stories share, in the middle of the
    gutter or of the white line above the lower story's headline, a rule of the house style's
    weight; none along a boxed block."""
    _, rendered = request.getfixturevalue(edition)
    geometry = page_geometry(style)
    manifest = rendered.deliverables.manifest
    checked = 0
    for entry in manifest["pages"]:
        pdf = pdfium.PdfDocument(rendered.deliverables.files[entry["file"]])
        paths = _thin_paths(pdf[0], geometry)
        blocks = [b for b in entry["blocks"] if b["story"]]
        for a in blocks:
            for b in blocks:
                if a["story"] == b["story"]:
                    continue
                (ax, ay, aw, ah), (bx, by, bw, bh) = a["rect"], b["rect"]
                boxed = "notice" in (a["story"], b["story"])
                left, top = geometry.type_left, geometry.type_top
                if abs(ax + aw + geometry.gutter - bx) < 0.01 and max(ay, by) < min(ay + ah, by + bh):
                    x = left + ax + aw + geometry.gutter / 2
                    span = (x, top + max(ay, by) + geometry.pitch, x, top + min(ay + ah, by + bh))
                elif abs(ay + ah - by) < 0.01 and max(ax, bx) < min(ax + aw, bx + bw):
                    y = top + by + geometry.pitch / 2
                    span = (left + max(ax, bx), y, left + min(ax + aw, bx + bw), y)
                else:
                    continue
                assert _covered(paths, *span, style.rule_between_stories_pt) != boxed, (entry["page"], a, b)
                checked += 1
    assert checked >= 3
