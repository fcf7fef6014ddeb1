"""Page: placed pages → one HTML document that WeasyPrint paints without deciding anything.

Every block is absolutely positioned at the rectangle the flow computed on the type area (no CSS
grid: WeasyPrint sizes grid tracks by laying out every item, even when all tracks are fixed). Inside
a block every line is a set of absolutely positioned glyph runs of explicit width: a run is glyphs
that follow each other at one spacing, written with `letter-spacing`; kerning and ligatures are off
so the font cannot move what the composer set. Nothing is left for WeasyPrint to size.
All text is escaped; no plan value reaches the CSS unvalidated.
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Mapping

from .compose import Glyph
from .flow import PlacedBlock, PlacedLine, PlacedPage, line_size
from .fonts import FontMetrics, font_family
from .geometry import UNITS_PER_EM, PageGeometry, Rect, Rule, baseline_to_css_top, css_pt, units_to_pt
from .plan import ImageBlock
from .prepress.finish import GENERATOR
from .style import HouseStyle


# WeasyPrint 70 writes Pango's letter-spacing offset with a 1024/1000 scale error: every glyph after
# the first of a run lands 1.2 % of the spacing too far right (measured: 99 pt spacing → 1.19 pt).
# Runs therefore carry at most this much spacing (error ≤ 0.012 pt); wider gaps split the run.
# (It writes a glyph's own offset with the same error: see _drawn.)
MAX_RUN_SPACING_EM = 0.1
# It also writes each glyph's spacing truncated to whole 1/1000 em (`int(kerning)` in draw/text.py),
# so in a spaced run every glyph lands up to 1/1000 em further left than the one before (measured:
# 0.009 pt a glyph at 9 pt, 0.11 pt at the end of a 14-letter web address). A spaced run therefore
# holds at most this many gaps (≤ 0.027 pt at 9 pt); runs set solid are exact.
MAX_SPACED_RUN_GAPS = 3


def _drawn(glyphs: tuple[Glyph, ...], font: FontMetrics) -> list[Glyph]:
    """The glyphs as they will be drawn: a 1-em closing mark the composer set with its blank half
    cut (PC-3, PC-4) becomes the font's `halt` form where the font has one (½ em, the ink where it
    was), so it need not end a run. Opening marks keep their run break: their `halt` form moves the
    ink, and WeasyPrint 70 writes glyph offsets 1024/1000 too large (0.11 pt at 9 pt)."""
    drawn = list(glyphs)
    for index, glyph in enumerate(glyphs[:-1]):
        if glyph.feature is None and font.half_width.get(glyph.char) == 0 and glyph.advance == UNITS_PER_EM \
                and abs(glyphs[index + 1].x - glyph.x - UNITS_PER_EM / 2) < 1e-6:
            drawn[index] = Glyph(glyph.char, glyph.x, UNITS_PER_EM // 2, "halt")
    return drawn


def _runs(glyphs: tuple[Glyph, ...], font: FontMetrics) -> list[tuple[list[Glyph], float, str | None]]:
    """Split a line into runs, each drawn as one box: glyphs of one font (the role's, or one of its
    fallbacks) with one constant spacing after each (font units; a few gaps at most unless it is 0)
    and one OpenType feature. A `halt` run may hold any glyph the feature leaves alone; an `fwid`
    run holds only its own glyphs."""
    runs: list[tuple[list[Glyph], float, str | None]] = []
    current: list[Glyph] = []
    spacing, feature, plain = 0.0, None, False     # plain: holds a glyph `halt` would change
    limit = MAX_RUN_SPACING_EM * 1000
    for glyph in _drawn(glyphs, font):
        needs_plain = glyph.feature is None and glyph.char in font.halt_changes
        if current:
            gap = glyph.x - (current[-1].x + current[-1].advance)
            if font.fallback.get(glyph.char, 0) != font.fallback.get(current[-1].char, 0):
                fits = False      # Pango spaces a fallback font's glyph on its own: another run
            elif glyph.feature == "fwid" or feature == "fwid":
                fits = glyph.feature == feature
            elif glyph.feature == "halt":
                fits = not plain
            else:
                fits = not (needs_plain and feature == "halt")
            if len(current) == 1:
                fits = fits and abs(gap) <= limit
            else:
                solid = abs(spacing) < 1e-6
                fits = fits and abs(gap - spacing) < 1e-3 and (solid or len(current) <= MAX_SPACED_RUN_GAPS)
            if fits:
                spacing = gap if len(current) == 1 else spacing
                current.append(glyph)
                feature = glyph.feature or feature
                plain = plain or needs_plain
                continue
            runs.append((current, spacing, feature))
        current, spacing, feature, plain = [glyph], 0.0, glyph.feature, needs_plain
    if current:
        runs.append((current, spacing, feature))
    return runs


def _line_html(placed: PlacedLine, dx: float, dy: float, style: HouseStyle,
               metrics: Mapping[str, FontMetrics]) -> str:
    """A line as runs of glyphs; run-in bold glyphs in runs of the bold kind."""
    parts, glyphs = [], placed.line.glyphs
    start = 0
    for end in range(1, len(glyphs) + 1):
        if end == len(glyphs) or glyphs[end].bold != glyphs[start].bold:
            parts.append(_runs_html(placed, glyphs[start:end], "bold" if glyphs[start].bold else placed.kind, dx, dy,
                                    style, metrics))
            start = end
    return "".join(parts)


def _runs_html(placed: PlacedLine, line_glyphs: tuple[Glyph, ...], kind: str, dx: float, dy: float,
               style: HouseStyle, metrics: Mapping[str, FontMetrics]) -> str:
    text_style = style.text[kind]
    size = line_size(placed, style)
    font = metrics[text_style.font]
    # A size the plan asks for (headline-size) overrides the kind's size in the stylesheet.
    size_css = f";font-size:{css_pt(size)};line-height:{css_pt(size)}" if placed.size else ""
    top = baseline_to_css_top(dy + placed.baseline, size, size, font.ascent, font.descent)
    parts = []
    for glyphs, spacing, feature in _runs(line_glyphs, font):
        left = dx + placed.x + units_to_pt(glyphs[0].x, size)
        spacing_css = f";letter-spacing:{css_pt(units_to_pt(spacing, size))}" if abs(spacing) > 1e-6 else ""
        text = escape("".join(g.char for g in glyphs))
        feature_class = f" f-{feature}" if feature else ""
        # The run's own width (letter-spacing follows its last glyph too), so WeasyPrint need not
        # measure it: a positioned box of auto width is shrunk to fit by laying its text out twice.
        width = units_to_pt(glyphs[-1].x + glyphs[-1].advance - glyphs[0].x + spacing, size)
        parts.append(f'<span class="r k-{kind}{feature_class}" style="left:{css_pt(left)};top:{css_pt(top)};'
                     f'width:{css_pt(width)}{spacing_css}{size_css}">{text}</span>')
    return "".join(parts)


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
    inner += [_line_html(placed, 0.0, 0.0, style, metrics) for placed in block.lines]
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
    furniture = "".join(_line_html(p, 0.0, 0.0, style, metrics) for p in page.furniture)
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
        + ".r{position:absolute;white-space:nowrap;font-kerning:none;font-variant-ligatures:none;"
          'font-feature-settings:"kern" 0,"liga" 0,"palt" 0,"locl" 0}'
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
