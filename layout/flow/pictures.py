"""A picture block: the picture scaled into its frame, its caption and credit below or beside it."""
from __future__ import annotations

import math
from pathlib import Path

from ..compose import Line
from ..geometry import PageGeometry, Rect, pt_to_mm
from ..plan import ImageBlock
from .placed import PlacedBlock, PlacementFault
from .setter import Setter, inside, row_line, too_wide


def place_image(block: ImageBlock, page: int, plan: Path, geometry: PageGeometry, setter: Setter,
                 misplaced: list[PlacementFault]) -> PlacedBlock:
    """The picture with its caption and credit below it, or beside it on the right ending level with
    its foot; scaled to fit its frame or to fill it (`crop`)."""
    area = block.area
    rect = geometry.grid_rect(area.col, area.cols, area.line, area.lines)
    beside = block.caption_side == "right"
    caption_cols = min(setter.style.caption_beside_cols, area.cols - 1) if beside else area.cols
    picture_width = geometry.grid_rect(1, area.cols - caption_cols, 1, 1).width if beside else rect.width
    caption_frame = Rect(x=picture_width + geometry.gutter if beside else 0.0, y=0,
                         width=geometry.grid_rect(1, caption_cols, 1, 1).width, height=rect.height)
    caption_rows: list[tuple[Line, bool]] = []
    if block.caption:
        caption_rows += [(line, False) for line in setter.lines("caption", block.caption, caption_frame.width)]
    if block.credit:
        credit = setter.one_line("caption", block.credit)
        caption_rows.append((credit, True))
        if width := too_wide(credit, setter.size("caption"), caption_frame.width):
            misplaced.append(PlacementFault(plan, block.source_line, page,
                                            f"the credit of image '{block.source}' is {pt_to_mm(width):.0f} mm wide, "
                                            f"its caption's column {pt_to_mm(caption_frame.width):.0f} mm",
                                            "shorten the credit"))
    gap = 0 if beside or not caption_rows else setter.style.caption_gap_lines
    image_lines = area.lines if beside else area.lines - gap - len(caption_rows)
    if beside and len(caption_rows) > area.lines:
        misplaced.append(PlacementFault(plan, block.source_line, page,
                                        f"the caption of image '{block.source}' takes {len(caption_rows)} lines in "
                                        f"its column beside the picture, and the block has {area.lines}",
                                        "shorten the caption or give the block more lines"))
    elif image_lines < 1:
        misplaced.append(PlacementFault(plan, block.source_line, page,
                                        f"the caption of image '{block.source}' takes {gap + len(caption_rows)} "
                                        f"lines of the block's {area.lines}, leaving none for the picture",
                                        "shorten the caption or give the block more lines"))
    image_rect = Rect(x=0, y=0, width=picture_width, height=max(0, image_lines) * geometry.pitch)
    if block.pixels and image_rect.height:
        pixels_w, pixels_h = block.pixels
        scale = (max if block.crop == "fill" else min)(image_rect.width / pixels_w,
                                                        image_rect.height / pixels_h)      # pt per pixel
        dpi, wanted = 72 / scale, setter.style.print.min_image_dpi
        if dpi < wanted - 0.5:
            placed_w, placed_h = pixels_w * scale, pixels_h * scale
            misplaced.append(PlacementFault(
                plan, block.source_line, page,
                f"image '{block.source}' is {dpi:.0f} dpi as placed ({pixels_w} × {pixels_h} pixels over "
                f"{pt_to_mm(placed_w):.0f} × {pt_to_mm(placed_h):.0f} mm), under the house style's {wanted:.0f} dpi",
                f"use a picture of at least {math.ceil(placed_w / 72 * wanted)} × "
                f"{math.ceil(placed_h / 72 * wanted)} pixels, or give it a smaller block"))
    first_row = max(0, area.lines - len(caption_rows) if beside else image_lines + gap)
    lines = inside([row_line("caption", line, right, True, caption_frame, first_row + n, geometry, setter)
                     for n, (line, right) in enumerate(caption_rows)], rect.height)
    return PlacedBlock(label=block.label, rect=rect, story=None, frames=(), lines=tuple(lines), image=block,
                       image_rect=image_rect)
