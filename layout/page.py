"""Page: placed pages → one HTML document that WeasyPrint paints without deciding anything.

Every block is absolutely positioned at the rectangle the flow computed on the type area (no CSS
grid: WeasyPrint sizes grid tracks by laying out every item, even when all tracks are fixed). Inside
a block, the lines of a column (one left edge, kind and size, one pitch) are one block of
preformatted text, a line of text per grid line: WeasyPrint pays per box, and a line of plain
text is the cheapest box it has. A line is plain text where the composer set it solid; a span only
where glyphs need their own letter-spacing, OpenType feature, face, or a margin to stand where the
composer put them. The spacing of each box is chosen from what WeasyPrint is known to write for it
(render/written.py), so that every glyph lands within GLYPH_TOLERANCE_PT of its place and a line's
end within EDGE_TOLERANCE_PT; kerning and ligatures are off so the font cannot move what the
composer set. All text is escaped; no plan value reaches the CSS unvalidated.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Mapping, NamedTuple, Sequence

from .compose import Glyph
from .flow import PlacedBlock, PlacedLine, PlacedPage, line_size
from .fonts import FontMetrics, font_family
from .geometry import UNITS_PER_EM, PageGeometry, Rect, Rule, baseline_to_css_top, css_pt, rounded_pt, units_to_pt
from .plan import ImageBlock
from .prepress.finish import GENERATOR
from .render.written import (LEAD, PANGO_SCALE, PX_PER_PT, pango_size, pango_to_pt, pango_width, spacing_css,
                             written_pitch, written_positions, written_size_pt)
from .style import HouseStyle


# How far a painted glyph may stand from where the composer set it, and the end of a line's last
# glyph (its right edge). Within these, what matters most is that each gap between two glyphs is
# painted as it was composed (the typographic figures are read back from the files): a box takes
# the spacing whose written gaps come closest, and the next box starts where the painted line
# leaves off, plus the composer's gap, not where the composer put it.
GLYPH_TOLERANCE_PT = 0.025
EDGE_TOLERANCE_PT = 0.005
# A box starts where the one before ends in Pango's layout; a margin moves it only when that is
# further than this from where it should start (the margin is written to 0.001 pt).
MARGIN_PT = 0.002
# Spacings tried around the one nearest the composer's (in 1/1024 px): WeasyPrint's truncation makes
# a neighbour write closer; the first whose gaps are written within GAP_PT of the composer's is taken.
SPACING_SEARCH = 24
GAP_PT = 0.001
SPACINGS_TRIED = 6          # of those, written out in full
_STEPS = sorted(range(-SPACING_SEARCH, SPACING_SEARCH + 1), key=abs)


def _drawn(glyphs: tuple[Glyph, ...], font: FontMetrics) -> list[Glyph]:
    """The glyphs as they will be drawn: a 1-em closing mark the composer set with its blank half
    cut (PC-3, PC-4) becomes the font's `halt` form where the font has one (½ em, the ink where it
    was), so it need not end a box. Opening marks are left as they are: their `halt` form moves the
    ink by a glyph offset, which WeasyPrint 70 writes 1024/1000 too large (0.11 pt at 9 pt)."""
    drawn = list(glyphs)
    for index, glyph in enumerate(glyphs[:-1]):
        if glyph.feature is None and font.half_width.get(glyph.char) == 0 and glyph.advance == UNITS_PER_EM \
                and abs(glyphs[index + 1].x - glyph.x - UNITS_PER_EM / 2) < 1e-6:
            drawn[index] = Glyph(glyph.char, glyph.x, UNITS_PER_EM // 2, "halt")
    return drawn


class Box(NamedTuple):
    """Glyphs drawn as one box: one font, one OpenType feature, one letter-spacing (Pango units),
    and how far WeasyPrint writes each glyph, and the end of the last, from where the composer put
    it (pt)."""
    glyphs: tuple[Glyph, ...]
    spacing: int
    feature: str | None
    lead: bool                  # starts with render.written.LEAD
    origin: float               # pt from the box's left edge to where its first glyph is written
    errors: tuple[float, ...]   # of each glyph, once the first is written at its place
    edge: float                 # of the last glyph's end, likewise

    def fits(self, drift: float, line_end: bool) -> bool:
        """Whether every glyph stays within the tolerance when the box starts `drift` pt from its
        place (and, ending a line, the line's right edge)."""
        return max(abs(drift + e) for e in self.errors) <= GLYPH_TOLERANCE_PT and \
            (not line_end or abs(drift + self.edge) <= EDGE_TOLERANCE_PT)

    @property
    def gap_error(self) -> float:
        """The worst difference between a gap as written and as composed (pt)."""
        return max((abs(b - a) for a, b in zip(self.errors, self.errors[1:])), default=0.0)


def _segments(glyphs: tuple[Glyph, ...], font: FontMetrics) -> list[tuple[list[Glyph], str | None]]:
    """Split a line where one box cannot go on: at a change of font (the role's, or one of its
    fallbacks), of OpenType feature, or of the gap between glyphs. A `halt` segment may hold any
    glyph the feature leaves alone; an `fwid` segment holds only its own glyphs."""
    segments: list[tuple[list[Glyph], str | None]] = []
    current: list[Glyph] = []
    gap_of, feature, plain = 0.0, None, False     # plain: holds a glyph `halt` would change
    for glyph in _drawn(glyphs, font):
        needs_plain = glyph.feature is None and glyph.char in font.halt_changes
        if current:
            gap = glyph.x - (current[-1].x + current[-1].advance)
            if font.fallback.get(glyph.char, 0) != font.fallback.get(current[-1].char, 0):
                fits = False      # Pango spaces a fallback font's glyph on its own: another box
            elif glyph.feature == "fwid" or feature == "fwid":
                fits = glyph.feature == feature
            elif glyph.feature == "halt":
                fits = not plain
            else:
                fits = not (needs_plain and feature == "halt")
            if fits and (len(current) == 1 or abs(gap - gap_of) < 1e-3):
                gap_of = gap
                current.append(glyph)
                feature = glyph.feature or feature
                plain = plain or needs_plain
                continue
            segments.append((current, feature))
        current, gap_of, feature, plain = [glyph], 0.0, glyph.feature, needs_plain
    if current:
        segments.append((current, feature))
    return segments


def _written_box(glyphs: Sequence[Glyph], feature: str | None, spacing: int, size: float, written: int) -> Box:
    """A spaced box starts with a LEAD: its glyphs' gaps are then all written alike."""
    lead = spacing != 0 and len(glyphs) > 1
    scale, to_pt = size / UNITS_PER_EM, written_size_pt(written) / UNITS_PER_EM
    positions = written_positions([g.advance for g in glyphs], spacing, written, lead)
    origin = positions[0] * to_pt
    errors = tuple((p - positions[0]) * to_pt - (g.x - glyphs[0].x) * scale for p, g in zip(positions, glyphs))
    return Box(tuple(glyphs), spacing, feature, lead, origin, errors,
               errors[-1] + glyphs[-1].advance * (to_pt - scale))


def _boxes(glyphs: list[Glyph], feature: str | None, size: float, written: int, drift: float,
           line_end: bool) -> list[tuple[Box, float]]:
    """A segment as few boxes as WeasyPrint can write within the tolerances, each with the drift
    (pt from its first glyph's place) it starts at: one box, starting `drift` from its place so the
    gap before it is as composed, at the first spacing (nearest the composer's first) whose written
    gaps are within GAP_PT, or else the closest; where no spacing keeps the glyphs within the
    tolerance from there, the box starts at its place; where none does even then, the segment is
    split in two and each part fitted again."""
    if len(glyphs) == 1:          # no gap to write: at the drift if the glyph may stand there
        box = _written_box(glyphs, feature, 0, size, written)
        return [(box, drift if box.fits(drift, line_end) else 0.0)]
    gap = glyphs[1].x - glyphs[0].x - glyphs[0].advance
    nearest = round(gap * size / UNITS_PER_EM * PX_PER_PT * PANGO_SCALE)
    # A gap inside a box is set by the glyph before it alone: a few advances to look at.
    scale, to_pt = size / UNITS_PER_EM, written_size_pt(written) / UNITS_PER_EM
    advances = {g.advance for g in glyphs[:-1]}
    errors = []             # (how far the gaps are written from the composer's, spacing), nearest first

    def spacings():
        yield from errors
        for step in _STEPS[len(errors):]:          # worked out only as far as they are looked at
            spacing = nearest + step
            errors.append((max(abs(written_pitch(a, spacing, written) * to_pt - (a + gap) * scale)
                               for a in advances), spacing))
            yield errors[-1]

    for start in (drift, 0.0):
        for error, spacing in spacings():      # the nearest spacing whose gaps are written within GAP_PT
            if error <= GAP_PT:
                box = _written_box(glyphs, feature, spacing, size, written)
                if box.fits(start, line_end):
                    return [(box, start)]
        closest = sorted(e for e in errors if e[0] > GAP_PT)[:SPACINGS_TRIED]
        fitting = [box for box in (_written_box(glyphs, feature, spacing, size, written) for _, spacing in closest)
                   if box.fits(start, line_end)]
        if fitting:
            return [(min(fitting, key=lambda box: box.gap_error), start)]
    half = len(glyphs) // 2
    first = _boxes(glyphs[:half], feature, size, written, drift, False)
    box, start = first[-1]
    return first + _boxes(glyphs[half:], feature, size, written, start + box.errors[-1], line_end)


def _line_html(placed: PlacedLine, style: HouseStyle, metrics: Mapping[str, FontMetrics]) -> str:
    """A line as the text of its column block."""
    plain = _solid_line_text(placed, style, metrics)
    return plain if plain is not None else _boxed_line_html(placed, style, metrics)


def _solid_line_text(placed: PlacedLine, style: HouseStyle, metrics: Mapping[str, FontMetrics]) -> str | None:
    """The line as plain text when it is em-wide glyphs of the column's own face set solid from its
    start edge, at a size whose em WeasyPrint writes exactly: then _boxed_line_html gives the same
    text (its first spacing tried, 0, writes every glyph in place), and most lines of a page are
    such lines (tests/test_painted_positions.py holds the two to the same answer)."""
    glyphs = placed.line.glyphs
    size = line_size(placed, style)
    written = pango_size(rounded_pt(size))
    if abs(written_pitch(UNITS_PER_EM, 0, written) * written_size_pt(written) / UNITS_PER_EM - size) > 1e-9:
        return None
    fallback = metrics[style.text[placed.kind].font].fallback
    for index, glyph in enumerate(glyphs):
        if glyph.bold or glyph.feature is not None or glyph.advance != UNITS_PER_EM \
                or glyph.x != index * UNITS_PER_EM or fallback.get(glyph.char):
            return None
    return escape("".join(glyph.char for glyph in glyphs))


def _boxed_line_html(placed: PlacedLine, style: HouseStyle, metrics: Mapping[str, FontMetrics]) -> str:
    """A line as the text of its column block: its glyphs in boxes (render/written.py) that follow
    each other in the line; a box is a span only where it needs its own spacing, OpenType feature,
    font (run-in bold) or a margin to stand where the composer put it, plain text otherwise."""
    size = line_size(placed, style)
    written = pango_size(rounded_pt(size))          # the size as the HTML gives it
    glyphs = placed.line.glyphs
    parts, end, start, drift = [], 0.0, 0, 0.0
    for stop in range(1, len(glyphs) + 1):
        if stop < len(glyphs) and glyphs[stop].bold == glyphs[start].bold:
            continue
        bold = glyphs[start].bold
        font = metrics[style.text["bold" if bold else placed.kind].font]
        segments = _segments(glyphs[start:stop], font)
        for index, (segment, feature) in enumerate(segments):
            line_end = stop == len(glyphs) and index == len(segments) - 1
            # The drift the next box starts at: the painted line so far, plus the composer's gap.
            for box, start_drift in _boxes(segment, feature, size, written, drift, line_end):
                place = units_to_pt(box.glyphs[0].x, size)
                margin = place + start_drift - box.origin - end
                margin = rounded_pt(margin) if abs(margin) > MARGIN_PT else 0.0
                drift = end + margin + box.origin - place + box.errors[-1]      # where its last glyph is painted
                text = (LEAD if box.lead else "") + escape("".join(g.char for g in box.glyphs))
                declarations = ([f"margin-left:{css_pt(margin)}"] if margin else []) + \
                    ([f"letter-spacing:{spacing_css(box.spacing)}"] if box.spacing else [])
                # A fallback face's glyphs go in a span too: only the column's own face may size a line.
                classes = (["k-bold"] if bold else []) + ([f"f-{box.feature}"] if box.feature else []) + \
                    (["fallback"] if font.fallback.get(box.glyphs[0].char) else [])
                attributes = (f' class="{" ".join(classes)}"' if classes else "") + \
                    (f' style="{";".join(declarations)}"' if declarations else "")
                parts.append(f"<span{attributes}>{text}</span>" if attributes else text)
                end += margin + pango_to_pt(pango_width([g.advance for g in box.glyphs], box.spacing, written, box.lead))
        start = stop
    return "".join(parts)


def _column_groups(lines: Sequence[PlacedLine]) -> list[list[PlacedLine]]:
    """Lines that one block of text can hold: one after another at one pitch (a line left empty
    between them at most twice), at one left edge, in one kind and size."""
    groups: list[list[PlacedLine]] = []
    for placed in lines:
        if not placed.line.glyphs:
            continue
        if groups:
            group = groups[-1]
            last = group[-1]
            step = placed.baseline - last.baseline
            pitch = group[1].baseline - group[0].baseline if len(group) > 1 else step
            if (last.x, last.kind, last.size) == (placed.x, placed.kind, placed.size) and pitch > 0 \
                    and any(abs(step - k * pitch) < 1e-6 for k in (1, 2, 3)):
                group.append(placed)
                continue
        groups.append([placed])
    return groups


def _group_html(group: list[PlacedLine], style: HouseStyle, metrics: Mapping[str, FontMetrics]) -> str:
    """Lines of one column as one block of preformatted text, a line of text for each grid line."""
    first = group[0]
    size = line_size(first, style)
    font = metrics[style.text[first.kind].font]
    pitch = group[1].baseline - first.baseline if len(group) > 1 else size
    top = baseline_to_css_top(first.baseline, pitch, size, font.ascent, font.descent)
    text, previous = [], None
    for placed in group:
        if previous is not None:
            text.append("\n" * round((placed.baseline - previous.baseline) / pitch))
        text.append(_line_html(placed, style, metrics))
        previous = placed
    size_css = f";font-size:{css_pt(size)}" if first.size else ""
    width = max(placed.measure for placed in group)
    return (f'<div class="c k-{first.kind}" style="left:{css_pt(first.x)};top:{css_pt(top)};'
            f'width:{css_pt(width)};line-height:{css_pt(pitch)}{size_css}">{"".join(text)}</div>')


def _block_html(block: PlacedBlock, style: HouseStyle,
                metrics: Mapping[str, FontMetrics], image_url: Mapping[Path, str]) -> str:
    r = block.rect
    story = f' data-story="{escape(block.story)}"' if block.story else ""
    # The box rule is its own element, so the block's lines keep their coordinates.
    inner = ['<div class="box"></div>'] if block.boxed else []
    if block.image is not None and block.image_rect is not None:
        i = block.image_rect
        inner.append(f'<img src="{escape(image_url[block.image.image])}" alt="" style="left:{css_pt(i.x)};'
                     f'top:{css_pt(i.y)};width:{css_pt(i.width)};height:{css_pt(i.height)}'
                     f'{_fill_css(block.image, i) if block.image.crop == "fill" else _fit_css(block.image)}">')
    inner += [_group_html(group, style, metrics) for group in _column_groups(block.lines)]
    return (f'<div class="block"{story} style="left:{css_pt(r.x)};top:{css_pt(r.y)};width:{css_pt(r.width)};'
            f'height:{css_pt(r.height)}">' + "".join(inner) + "</div>")


def _fit_css(image: ImageBlock) -> str:
    """A fitted picture with its caption beside it stands on the block's foot, where the caption ends."""
    return ";object-position:left bottom" if image.caption_side == "right" else ""


def _fill_css(image: ImageBlock, frame: Rect) -> str:
    """CSS that fills the frame with the picture and keeps its focus as near the frame's centre as
    the picture's edges allow (object-position p: the overhang's share cut off the left or top)."""
    positions = []
    for focus, box, natural in zip(image.focus, (frame.width, frame.height), image.natural or (None, None)):
        if natural is None:      # an SVG that does not say its size: the focus where it lies in the frame
            positions.append(focus)
            continue
        scaled = natural * max(frame.width / image.natural[0], frame.height / image.natural[1])
        overhang = scaled - box
        positions.append(min(1.0, max(0.0, (focus * scaled - box / 2) / overhang)) if overhang > 1e-6 else 0.5)
    return f";object-fit:cover;object-position:{positions[0] * 100:.3f}% {positions[1] * 100:.3f}%"


def _rule_html(rule: Rule) -> str:
    if rule.y1 == rule.y2:
        return (f'<div class="rule" style="left:{css_pt(rule.x1)};top:{css_pt(rule.y1 - rule.width / 2)};'
                f'width:{css_pt(rule.x2 - rule.x1)};border-top:{css_pt(rule.width)} solid {rule.color}"></div>')
    return (f'<div class="rule" style="left:{css_pt(rule.x1 - rule.width / 2)};top:{css_pt(rule.y1)};'
            f'height:{css_pt(rule.y2 - rule.y1)};border-left:{css_pt(rule.width)} solid {rule.color}"></div>')


def page_html(page: PlacedPage, geometry: PageGeometry, style: HouseStyle, metrics: Mapping[str, FontMetrics],
              image_url: Mapping[Path, str]) -> str:
    blocks = "".join(_block_html(b, style, metrics, image_url) for b in page.blocks)
    furniture = "".join(_group_html(group, style, metrics) for group in _column_groups(page.furniture))
    rules = "".join(_rule_html(r) for r in page.rules)
    logo = ""
    if page.logo is not None:
        path, box, position = page.logo
        logo = (f'<img class="logo" src="{escape(image_url[path])}" alt="" style="left:{css_pt(box.x)};'
                f'top:{css_pt(box.y)};width:{css_pt(box.width)};height:{css_pt(box.height)};'
                f'object-position:{position}">')
    return (f'<section class="page" id="page-{page.number}"><div class="type-area">{blocks}</div>'
            f"{furniture}{logo}{rules}</section>")


def stylesheet(geometry: PageGeometry, style: HouseStyle, font_urls: Mapping[str, str], profile_url: str) -> str:
    color = style.text_color
    faces = "".join(f'@font-face{{font-family:"{family}";src:url("{url}")}}'
                    for family, url in sorted(font_urls.items()))

    def families(role: str) -> str:
        """The role's font, then those of its fallbacks the page uses (a fallback sets only what
        the fonts before it lack)."""
        fallbacks = sorted((f for f in font_urls if f.startswith(font_family(role) + "-fallback-")),
                           key=lambda f: int(f.rsplit("-", 1)[1]))
        return ",".join(f'"{f}"' for f in [font_family(role), *fallbacks])

    kinds = "".join(f'.k-{kind}{{font-family:{families(ts.font)};font-size:{css_pt(ts.size_pt)};'
                    f"line-height:{css_pt(ts.size_pt)}}}" for kind, ts in sorted(style.text.items()))
    return (
        faces
        + f'@color-profile device-cmyk{{src:url("{profile_url}");components:c,m,y,k}}'
        + f"@page{{size:{css_pt(geometry.trim_width)} {css_pt(geometry.trim_height)};margin:0;"
          f"bleed:{css_pt(geometry.slug)}}}"
        + f"html,body{{margin:0;padding:0;color:{color}}}"
        + f".page{{position:relative;width:{css_pt(geometry.trim_width)};height:{css_pt(geometry.trim_height)};"
          "break-after:page}"
        + ".page:last-child{break-after:auto}"
        + f".type-area{{position:absolute;left:{css_pt(geometry.type_left)};top:{css_pt(geometry.type_top)}}}"
        + ".block{position:absolute}"
        + f".box{{position:absolute;left:0;top:0;right:0;bottom:0;"
          f"border:{css_pt(style.notice_rule_pt)} solid {color}}}"
        + ".c{position:absolute;white-space:pre;font-kerning:none;font-variant-ligatures:none;"
          'font-feature-settings:"kern" 0,"liga" 0,"palt" 0,"locl" 0}'
        # A span's own face (bold, a fallback) may be taller than the column's: it must not move the
        # line's baseline, which the column's face and line-height alone decide.
        + ".c span{line-height:0}"
        + '.f-fwid{font-feature-settings:"kern" 0,"liga" 0,"palt" 0,"locl" 0,"fwid" 1}'
        + '.f-halt{font-feature-settings:"kern" 0,"liga" 0,"palt" 0,"locl" 0,"halt" 1}'
        + ".block>img,.logo{position:absolute;object-fit:contain}"
        + ".rule{position:absolute}"
        + kinds
    )


def document_html(pages: list[str], title: str, timestamp: str, css: str) -> str:
    """An HTML document of pages; `timestamp` (W3C, with zone) becomes its creation and modification date."""
    return ('<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title>"
            f'<meta name="dcterms.created" content="{timestamp}"><meta name="dcterms.modified" content="{timestamp}">'
            f'<meta name="generator" content="{GENERATOR}"><style>{css}</style></head><body>'
            + "".join(pages) + "</body></html>")
