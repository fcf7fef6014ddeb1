"""Rules between the blocks of a page (分隔线): where two blocks meet, a rule along the edge they
share — a light one between two stories, a heavy one between an advertisement and anything — on
the grid: in the middle of the gutter between columns, and across a column in the middle of the
white line that opens the lower story's headline group (GR-6). Pure: page plan in, rules out."""
from __future__ import annotations

from typing import Collection

from .geometry import PageGeometry, Rule
from .plan import AdBlock, Block, PagePlan, StoryBlock
from .style import HouseStyle


def _weight(a: Block, b: Block, boxed: Collection[int], style: HouseStyle) -> float:
    """The rule between two blocks that meet (0: none)."""
    if isinstance(a, AdBlock) or isinstance(b, AdBlock):
        return style.rule_around_ads_pt
    if isinstance(a, StoryBlock) and isinstance(b, StoryBlock) and a.story != b.story \
            and not (id(a) in boxed or id(b) in boxed):
        return style.rule_between_stories_pt
    return 0.0


def block_rules(page: PagePlan, opens_white: Collection[int], boxed: Collection[int], style: HouseStyle,
                geometry: PageGeometry) -> tuple[Rule, ...]:
    """The rules between the blocks of `page`, relative to the trim box. `opens_white`: id() of the
    story blocks whose first grid line is white (a headline group's white above it); `boxed`: of
    those with a box of their own (a notice, box: true), which is their rule."""
    left, top, half_gutter = geometry.type_left, geometry.type_top, geometry.gutter / 2
    vertical, horizontal = [], []
    for a in page.blocks:
        for b in page.blocks:
            weight = _weight(a, b, boxed, style)
            if a is b or not weight:
                continue
            ra, rb = a.area, b.area
            if ra.col + ra.cols == rb.col:                   # b to the right of a
                first, last = max(ra.line, rb.line), min(ra.line + ra.lines, rb.line + rb.lines)
                if first < last:
                    shared = geometry.grid_rect(rb.col, 1, first, last - first)
                    x = left + shared.x - half_gutter
                    vertical.append(Rule(x, top + shared.y, x, top + shared.bottom, weight, style.text_color))
            if ra.line + ra.lines == rb.line:                # b below a
                first, last = max(ra.col, rb.col), min(ra.col + ra.cols, rb.col + rb.cols)
                if first < last:
                    span = geometry.grid_rect(first, last - first, rb.line, style.headline_white_above)
                    white = id(b) in opens_white and not isinstance(a, AdBlock)
                    # In the middle of the white above the lower story's headline, or on the edge.
                    y = top + (span.y + span.bottom) / 2 if white else top + span.y
                    horizontal.append(Rule(left + span.x, y, left + span.right, y, weight, style.text_color))
    joined = [_joined(rule, vertical, half_gutter) for rule in horizontal]
    return tuple(_snapped(rule, joined, geometry.pitch / 2) for rule in vertical) + tuple(joined)


def _joined(rule: Rule, vertical: list[Rule], reach: float) -> Rule:
    """A horizontal rule carried across the half gutter to a vertical rule it would otherwise stop
    short of, so that the two meet."""
    def meets(x: float, outward: int) -> float:
        return next((v.x1 for v in vertical if abs(v.x1 - (x + outward * reach)) < 0.01 and v.y1 <= rule.y1 <= v.y2),
                    x)

    return Rule(meets(rule.x1, -1), rule.y1, meets(rule.x2, 1), rule.y2, rule.width, rule.color)


def _snapped(rule: Rule, horizontal: list[Rule], reach: float) -> Rule:
    """A vertical rule whose end lies within `reach` of a horizontal rule across it ends on that rule
    (a T, not a cross with a stub)."""
    def end(y: float) -> float:
        return next((h.y1 for h in horizontal if h.x1 - 0.01 <= rule.x1 <= h.x2 + 0.01 and abs(h.y1 - y) <= reach + 0.01),
                    y)

    return Rule(rule.x1, end(rule.y1), rule.x2, end(rule.y2), rule.width, rule.color)
