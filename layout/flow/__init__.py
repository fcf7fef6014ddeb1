"""Flow: thread each story through its blocks → placed lines on every page + the fit report.

A block is laid out top-down on whole grid lines: (notice inset) headline group or jump headline,
then the body frames (the block's text columns), filled one after another. The thread's text runs
on into its next block; a part that continues on a later page ends with a jump line (下转), a part
that continues an earlier page starts with one (上接). Page furniture (masthead, running head) is
placed here too, so the page stage only paints.

The parts: `placed` (what the flow gives: placed lines, blocks, pages, fits and faults), `setter`
(composed lines by text kind, set on a frame's rows), `threads` (stories through their blocks),
`pictures`, `furniture` (masthead, running heads, index box, crop marks), `calendar` (dates, the
农历, Chinese numerals) and `proof` (the not-for-print mark and the proof stamp).
"""
from __future__ import annotations

from typing import Mapping

from ..compose.kept import Compositions
from ..fonts import FontMetrics
from ..geometry import PageGeometry
from ..plan import AdBlock, Edition, IndexBlock, StoryBlock
from ..rules import block_rules
from ..style import HouseStyle
from .calendar import chinese_number, format_date, lunar_date
from .furniture import masthead_info, page_furniture, place_index
from .pictures import place_image
from .placed import (FlowResult, PlacedBlock, PlacedLine, PlacedPage, SettingFault, StoryFit, line_size,
                     wide_word_remedy)
from .proof import proof_of, proof_stamp, stamp_area
from .setter import Setter
from .threads import flow_thread, is_boxed, threads_of

__all__ = ["FlowResult", "PlacedBlock", "PlacedLine", "PlacedPage", "SettingFault", "StoryFit", "chinese_number",
           "flow_edition", "format_date", "line_size", "lunar_date", "masthead_info", "proof_of", "proof_stamp",
           "stamp_area", "threads_of", "wide_word_remedy"]


def flow_edition(edition: Edition, style: HouseStyle, geometry: PageGeometry,
                 metrics: Mapping[str, FontMetrics], compositions: Compositions | None = None) -> FlowResult:
    """Place every page; the lines composed are added to `compositions`, and taken from what it
    holds of an earlier flow."""
    setter = Setter(style, metrics, compositions)
    threads = threads_of(edition)
    placed: dict[tuple[int, int], PlacedBlock] = {}
    fits, faults, loose, misplaced, broken = [], [], [], [], []
    for story_id, parts in threads.items():
        blocks, fit = flow_thread(edition.stories[story_id], edition.plan_path, parts, style, geometry, setter,
                                   faults, loose, misplaced, broken)
        for (page, block), placed_block in zip(parts, blocks):
            placed[(page.number, id(block))] = placed_block
        fits.append(fit)
    # Blocks that open with a headline group, whose white line above it a rule may take (GR-6).
    opens_white = {id(block) for parts in threads.values() for index, (page, block) in enumerate(parts)
                   if style.headline_white_above and (index == 0 or parts[index - 1][0].number != page.number)}
    boxed = {id(block) for parts in threads.values() for _, block in parts
             if is_boxed(block, edition.stories[block.story])}
    pages = []
    for page in edition.pages:
        page_blocks = []
        for block in page.blocks:
            if isinstance(block, StoryBlock):
                page_blocks.append(placed[(page.number, id(block))])
            elif isinstance(block, IndexBlock):
                page_blocks.append(place_index(block, page.number, edition, threads, style, geometry, setter,
                                                misplaced))
            elif isinstance(block, AdBlock):
                page_blocks.append(PlacedBlock(label=block.label, story=None, frames=(), lines=(), ad=block,
                                               rect=geometry.grid_rect(block.area.col, block.area.cols,
                                                                       block.area.line, block.area.lines)))
            else:
                page_blocks.append(place_image(block, page.number, edition.plan_path, geometry, setter, misplaced))
        furniture, rules, logo = page_furniture(edition, page, style, geometry, setter, misplaced)
        pages.append(PlacedPage(number=page.number, blocks=tuple(page_blocks), furniture=furniture,
                                rules=rules + block_rules(page, opens_white, boxed, style, geometry), logo=logo))
    return FlowResult(pages=tuple(pages), fits=tuple(fits), faults=tuple(faults), loose=tuple(loose),
                      misplaced=tuple(misplaced), broken=tuple(broken))
