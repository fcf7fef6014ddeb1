"""A page drawn straight from its composition, for the watch's draft: every glyph where the composer
put it, in its role's font (or the fallback that sets it), rules as lines, pictures and ads as grey
boxes — in a tenth of a second where painting the page takes seconds. It is a picture to look at
while the page is painted, never a proof: the painted page replaces it."""
from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from PIL import Image, ImageDraw, ImageFont

from ..flow import PlacedLine, PlacedPage, line_size
from ..fonts import FontFace, FontMetrics, face_index
from ..geometry import PageGeometry, units_to_pt
from ..style import HouseStyle
from .preview import DPI, JPEG_QUALITY

INK = (40, 40, 40)
BOX = (215, 215, 215)


@lru_cache(maxsize=64)
def _font(path: Path, index: int, pixels: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(path), max(pixels, 1), index=index)


@lru_cache(maxsize=20_000)
def _glyph(path: Path, index: int, pixels: int, char: str) -> tuple[Image.Image, int, int] | None:
    """A glyph's ink as a mask, and where its top-left corner stands from the origin on the baseline:
    drawn once, pasted wherever it stands (drawing each glyph anew took 1.7 s on a dense page)."""
    font = _font(path, index, pixels)
    left, top, right, bottom = font.getbbox(char, anchor="ls")
    if right <= left or bottom <= top:
        return None
    mask = Image.new("L", (right - left, bottom - top), 0)
    ImageDraw.Draw(mask).text((-left, -top), char, font=font, fill=255, anchor="ls")
    return mask, left, top


def sketch_picture(page: PlacedPage, geometry: PageGeometry, style: HouseStyle, faces: Mapping[str, FontFace],
                   metrics: Mapping[str, FontMetrics]) -> bytes:
    """The page's trim box as a JPEG at the preview's DPI, drawn from its placed lines."""
    scale = DPI / 72
    picture = Image.new("RGB", (round(geometry.trim_width * scale), round(geometry.trim_height * scale)), "white")
    draw = ImageDraw.Draw(picture)

    def box(x: float, y: float, width: float, height: float) -> None:
        draw.rectangle([x * scale, y * scale, (x + width) * scale, (y + height) * scale], fill=BOX)

    def text(placed: PlacedLine, left: float, top: float) -> None:
        size = line_size(placed, style)
        for glyph in placed.line.glyphs:
            role = style.text["bold" if glyph.bold else placed.kind].font
            face = faces[role].chain[metrics[role].fallback.get(glyph.char, 0)]
            drawn = _glyph(face.path, face_index(face), round(size * scale), glyph.char)
            if drawn is not None:
                mask, dx, dy = drawn
                x = (left + placed.x + units_to_pt(glyph.x, size)) * scale
                picture.paste(INK, (round(x) + dx, round((top + placed.baseline) * scale) + dy), mask)

    for block in page.blocks:
        left, top = geometry.type_left + block.rect.x, geometry.type_top + block.rect.y
        if block.ad is not None:
            box(left, top, block.rect.width, block.rect.height)
        if block.image_rect is not None:
            box(left + block.image_rect.x, top + block.image_rect.y, block.image_rect.width, block.image_rect.height)
        for placed in block.lines:
            text(placed, left, top)
    for placed in page.furniture:
        text(placed, 0.0, 0.0)
    for rule in page.rules:
        draw.line([rule.x1 * scale, rule.y1 * scale, rule.x2 * scale, rule.y2 * scale], fill=INK,
                  width=max(1, round(rule.width * scale)))
    if page.logo is not None:
        _, logo, _ = page.logo
        box(logo.x, logo.y, logo.width, logo.height)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=JPEG_QUALITY)
    return out.getvalue()
