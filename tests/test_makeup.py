"""Page make-up (issue 13), read from the rendered PDF: pictures cropped to fill their frame around
a focus, or fitted whole."""
from __future__ import annotations

import io

import pypdfium2 as pdfium
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
