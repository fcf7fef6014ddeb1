"""The preview page (预览): every page as a picture at screen size with what an editor reads at a
glance laid over it — each block outlined and labelled with its story and fit (overset in red,
underset in amber), empty grid areas shaded, loose lines and lines that cannot be set flush marked
where they are, jump lines linked
to the page they point at, the errors listed with file and line, and each story's file and
paragraphs a click away. A plain HTML file with its page pictures: it needs no server, and every
render writes it beside the proof."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from dataclasses import dataclass
from html import escape
from typing import Sequence

import pypdfium2 as pdfium

from ..cachefile import cache_dir, read_cache_file, write_cache_file
from ..check.typography import StoryTypography
from ..flow import FlowResult, PlacedBlock, PlacedLine, PlacedPage, SettingFault, StoryFit, line_size
from ..geometry import PageGeometry, Rect, units_to_pt
from ..plan import Edition, empty_areas
from .snapshot import trim_picture
from ..style import HouseStyle
from ..text import Paragraph

DPI = 50                    # a broadsheet page about 770 pixels wide: a screen's height for a page
JPEG_QUALITY = 80


@dataclass(frozen=True)
class Mark:
    """A line to mark where it is: a loose line (amber) or a fault (red) of a story on a page."""
    story: str
    page: int
    text: str             # the line's text, or part of it (spaces aside)
    message: str
    fault: bool


def line_marks(flow: FlowResult, typography: Sequence[StoryTypography]) -> list[Mark]:
    """Loose lines (JU-7), lines the composer could not set flush, and what the typographic preflight
    found on the rendered pages (as the messages tell them), each by the text of its line."""
    marks = [Mark(n.story, n.page, n.text, n.message(), isinstance(n, SettingFault))
             for n in (*flow.loose, *flow.broken, *flow.faults)]
    known = {fault.story for fault in flow.faults}      # its overfull line disturbs the preflight's reading
    for result in (r for r in typography if r.story not in known):
        for what, item in result.fault_items():
            quoted = re.match(r"'([^']*)'", item)
            if quoted:
                marks.append(Mark(result.story, result.page, quoted.group(1), f"{what}: {item}", True))
    return marks


@dataclass(frozen=True)
class Preview:
    files: dict[str, bytes]     # index.html and the page pictures, by name


def page_picture(pdf: bytes, geometry: PageGeometry) -> bytes:
    """A page file's trim box as a JPEG at DPI; cached by the file's hash (an edit re-renders a
    page or two, and only their pictures are made again)."""
    cached = cache_dir() / "previews" / f"{hashlib.sha256(pdf).hexdigest()}-{DPI}-{geometry.slug:.3f}.jpg"
    picture = read_cache_file(cached)
    if picture is None:
        out = io.BytesIO()
        trim_picture(pdfium.PdfDocument(pdf)[0], geometry, DPI).convert("RGB").save(out, format="JPEG",
                                                                                   quality=JPEG_QUALITY)
        picture = out.getvalue()
        write_cache_file(cached, picture)
    return picture


def build_preview(edition: Edition, style: HouseStyle, geometry: PageGeometry, flow: FlowResult,
                  pictures: Sequence[tuple[str, bytes]], problems: Sequence[str], pdf_folder: str,
                  made: dt.datetime, marks: Sequence[Mark] = (), painting: frozenset[int] | None = None) -> Preview:
    """index.html and a picture per page. `pictures` are (the page file's name, its picture) in page
    order; `pdf_folder` is where the page files are, relative to the preview; `problems` the messages
    that keep the edition from print (none: it may go to print). A draft, made from the flow alone
    before the render is done, gives `painting`: the pages still being painted, shown meanwhile by
    a sketch drawn from their composition."""
    files = {}
    fits = {fit.story: fit for fit in flow.fits}
    sections = []
    for page, (name, data) in zip(flow.pages, pictures):
        picture = f"page-{page.number:02d}.jpg"
        files[picture] = data
        # The picture's URL names its content: a browser reloading the page does not show an old one.
        sections.append(_page_html(page, picture, data, f"{pdf_folder}{name}", edition, style, geometry, fits,
                                   [mark for mark in marks if mark.page == page.number],
                                   frozenset(p.number for p in flow.pages), page.number in (painting or ())))
    files["index.html"] = _document(edition, flow, sections, problems, made, painting is not None).encode("utf-8")
    return Preview(files)


def _box(rect: Rect, geometry: PageGeometry) -> str:
    """CSS position of a rectangle on the trim box, in percent of the page (the picture scales)."""
    return (f"left:{rect.x / geometry.trim_width:.3%};top:{rect.y / geometry.trim_height:.3%};"
            f"width:{rect.width / geometry.trim_width:.3%};height:{rect.height / geometry.trim_height:.3%}")


def _on_trim(block: PlacedBlock, geometry: PageGeometry) -> Rect:
    return Rect(geometry.type_left + block.rect.x, geometry.type_top + block.rect.y, block.rect.width,
                block.rect.height)


def _line_rect(block: PlacedBlock, line: PlacedLine, geometry: PageGeometry, style: HouseStyle) -> Rect:
    size = line_size(line, style)
    top = _on_trim(block, geometry)
    return Rect(top.x + line.x, top.y + line.baseline - size, max(units_to_pt(line.line.width, size), size),
                size * 1.2)


def _fit_label(block_index: int, block_fit, fit: StoryFit) -> tuple[str, str]:
    """(CSS class, label) of a story's block: overset on its last block in red, empty lines in amber."""
    last = block_index == len(fit.blocks) - 1
    if last and fit.overset_lines:
        return "over", f"+{fit.overset_lines} 行 ≈ {fit.overset_chars} 字"
    empty = block_fit.lines - block_fit.lines_used
    if empty and not fit.overset_lines:
        return "under", f"−{empty} 行"
    return "fits", ""


def _page_html(page: PlacedPage, picture: str, picture_data: bytes, pdf: str, edition: Edition, style: HouseStyle,
               geometry: PageGeometry, fits: dict[str, StoryFit], marks: Sequence[Mark], shown: frozenset[int],
               painting: bool = False) -> str:
    """One page's picture and overlays; a jump line links to its page where this preview shows it.
    A page `painting` shows a sketch drawn from its composition, marked as such."""
    overlays = [f'<div class="empty" style="{_box(rect, geometry)}"></div>'
                for rect in _empty_areas(page, edition, style, geometry)]
    if painting:
        overlays.append('<div class="painting">草图：按排版结果绘出，正在印刷排版</div>')
    seen: dict[str, int] = {}
    for block in page.blocks:
        box = _box(_on_trim(block, geometry), geometry)
        if block.story is None:
            overlays.append(f'<div class="block picture" style="{box}"><span class="label">'
                            f'{escape(block.image.source if block.image else block.label)}</span></div>')
            continue
        fit = fits[block.story]
        index = [b.page for b in fit.blocks].index(page.number, seen.get(block.story, 0))
        seen[block.story] = index + 1
        kind, figure = _fit_label(index, fit.blocks[index], fit)
        overlays.append(f'<a class="block {kind}" style="{box}" href="#story-{escape(block.story)}" '
                        f'data-story="{escape(block.story)}"><span class="label">{escape(block.story)}'
                        f'{" <b>" + figure + "</b>" if figure else ""}</span></a>')
        for line in block.lines:
            if line.kind == "jump-line" and (target := re.search(r"\d+", line.line.text)) \
                    and int(target.group()) in shown:
                overlays.append(f'<a class="jump" href="#page-{target.group()}" '
                                f'style="{_box(_line_rect(block, line, geometry, style), geometry)}" '
                                f'title="第{target.group()}版"></a>')
        for mark in marks:
            for line in block.lines:
                if mark.story == block.story and line.kind == "body" and \
                        re.sub(r"\s|-$", "", mark.text) in line.line.text.replace(" ", ""):
                    overlays.append(f'<div class="{"fault" if mark.fault else "loose"}" title="{escape(mark.message)}" '
                                    f'style="{_box(_line_rect(block, line, geometry, style), geometry)}"></div>')
    return (f'<figure class="page" id="page-{page.number}"><figcaption>第{page.number}版 · '
            f'<a href="{escape(pdf)}">PDF</a></figcaption><div class="sheet">'
            f'<img src="{picture}?{hashlib.sha256(picture_data).hexdigest()[:12]}" alt="第{page.number}版" '
            f'onerror="this.classList.add(\'missing\')">'
            f'{"".join(overlays)}</div></figure>')


def _empty_areas(page: PlacedPage, edition: Edition, style: HouseStyle, geometry: PageGeometry) -> list[Rect]:
    plan = next(p for p in edition.pages if p.number == page.number)
    return [Rect(geometry.type_left + cell.x, geometry.type_top + cell.y, cell.width, cell.height)
            for cell in (geometry.grid_rect(area.col, area.cols, area.line, area.lines)
                         for area in empty_areas(plan, style))]


def _stories_html(edition: Edition, flow: FlowResult) -> str:
    out = []
    for fit in flow.fits:
        story = edition.stories[fit.story]
        paragraphs = "".join(f"<li>第{item.line}行：{escape(item.text[:40])}{'…' * (len(item.text) > 40)}</li>"
                             for item in story.items if isinstance(item, Paragraph))
        where = "，".join(f"第{b.page}版 {b.lines_used}/{b.lines} 行" for b in fit.blocks)
        out.append(f'<details class="story" id="story-{escape(fit.story)}"><summary>{escape(fit.story)} · '
                   f'{escape(story.headline)} · {where}</summary><p><code>{escape(str(story.path))}</code></p>'
                   f"<ol>{paragraphs}</ol></details>")
    return "".join(out)


STYLE = """
body{font-family:"Noto Sans CJK SC",sans-serif;margin:0;background:#eee;color:#222}
header{position:sticky;top:0;background:#fff;padding:.5em 1em;border-bottom:1px solid #ccc;z-index:2}
header .state{font-weight:bold} header .proof{color:#c00} header .print{color:#070} header .painting{color:#b60}
nav a{margin-right:1em}
section{padding:0 1em}
ul.problems li{color:#c00;font-family:monospace;white-space:pre-wrap}
.pages{display:flex;flex-wrap:wrap;gap:1em;padding:1em}
figure.page{margin:0;background:#fff;padding:.5em;box-shadow:0 1px 3px #999}
.sheet{position:relative;width:min(90vw,770px)}
.sheet img{display:block;width:100%}
.sheet img.missing{min-height:20em;outline:3px solid #d00}
.sheet .block{position:absolute;box-sizing:border-box;border:1px solid #36c;text-decoration:none}
.sheet .block.over{border:3px solid #d00;background:rgba(220,0,0,.08)}
.sheet .block.under{border:2px solid #e90;background:rgba(240,150,0,.08)}
.sheet .block.picture{border-style:dashed}
.sheet .label{position:absolute;left:0;top:0;background:rgba(255,255,255,.9);font-size:11px;padding:0 3px;color:#036}
.sheet .over .label b{color:#d00} .sheet .under .label b{color:#b60}
.sheet .empty{position:absolute;
  background:repeating-linear-gradient(45deg,rgba(120,120,120,.25) 0 4px,transparent 4px 8px)}
.sheet .loose{position:absolute;border-bottom:2px solid #e90}
.sheet .fault{position:absolute;outline:2px solid #d00;background:rgba(220,0,0,.15)}
.sheet .jump{position:absolute;outline:2px solid #36c}
.sheet .painting{position:absolute;right:0;top:0;background:#b60;color:#fff;font-size:13px;padding:2px 6px;z-index:1}
details.story{background:#fff;margin:.3em 0;padding:.3em .6em}
details.story:target{outline:2px solid #36c}
"""


# A click on a block opens its story's file and paragraphs.
OPEN_STORY = ("function openStory(){var t=document.getElementById(decodeURIComponent(location.hash.slice(1)));"
              "if(t&&t.tagName==='DETAILS'){t.open=true}}addEventListener('hashchange',openStory);openStory();")


def _document(edition: Edition, flow: FlowResult, sections: list[str], problems: Sequence[str],
              made: dt.datetime, draft: bool = False) -> str:
    title = f"{edition.paper} {edition.date.isoformat()}"
    state = ('<span class="state proof">校样 · 不得付印</span>' if problems
             else '<span class="state painting">排版中</span>' if draft
             else '<span class="state print">可付印</span>')
    listed = "".join(f"<li>{escape(problem)}</li>" for problem in problems)
    nav = "".join(f'<a href="#page-{page.number}">第{page.number}版</a>' for page in flow.pages)
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)} 预览</title>'
            f"<style>{STYLE}</style></head><body><header><b>{escape(title)}</b> · 共{len(edition.pages)}版 · "
            f"生成于 {made.strftime('%Y-%m-%d %H:%M:%S')} · {state}<nav>{nav}</nav></header>"
            + (f'<section><h2>问题</h2><ul class="problems">{listed}</ul></section>' if problems else "")
            + f'<div class="pages">{"".join(sections)}</div>'
            f"<section><h2>稿件</h2>{_stories_html(edition, flow)}</section><script>{OPEN_STORY}</script>"
            "</body></html>")
