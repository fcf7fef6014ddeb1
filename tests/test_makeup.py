"""Page make-up (issue 13), read from the rendered PDF: pictures cropped to fill their frame around
a focus, or fitted whole; rules between stories; advertisements delivered as PDF, placed as vector
content at their frame and checked for the press."""
from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
import rjieba
import yaml
from PIL import Image

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject, NullObject, NumberObject

from layout import cli
from layout.check.pdftext import pdf_glyphs
from layout.flow import flow_edition
from layout.geometry import page_geometry
from layout.pipeline import render_edition
from layout.prepress.ads import ad_problems
from layout.plan import AdBlock, Edition, GridArea, PagePlan, StoryBlock
from layout.rules import block_rules
from layout.proof.snapshot import trim_picture
from layout.text import Paragraph, Story
from tests.ads import (ad_pdf, blank_page, declaring_a_huge_stream, encrypted, page_box, rotated, with_a_huge_picture,
                       written)
from tests.conftest import SAMPLE

RED, BLUE = (220, 0, 0), (0, 0, 220)


def _wide_picture() -> bytes:
    """4:1, red on the left half, blue on the right: where a crop cut shows in the colour."""
    picture = Image.new("RGB", (4000, 1000), RED)
    picture.paste(BLUE, (2000, 0, 4000, 1000))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def _add_blocks(project, blocks: list[dict]) -> int:
    """The sample with a page 3 of its own holding `blocks`; its page number."""
    path = project.editions / SAMPLE / "edition.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["pages"].append({"page": len(data["pages"]) + 1, "section": "测试", "blocks": blocks})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return len(data["pages"])


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
    page = _add_blocks(project, [dict(image="images/wide.png", cols=2, line=80, lines=20, **frame) for frame in frames])
    rendered = render_edition(project, SAMPLE, jobs=1)
    geometry = page_geometry(style)
    manifest = rendered.deliverables.manifest
    pdf = pdfium.PdfDocument(rendered.deliverables.files[manifest["pages"][page - 1]["file"]])
    picture = trim_picture(pdf[0], geometry, 72)
    rects = [(geometry.type_left + b["rect"][0], geometry.type_top + b["rect"][1], b["rect"][2], b["rect"][3])
             for b in manifest["pages"][page - 1]["blocks"] if "wide.png" in b["label"]]
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


@pytest.mark.parametrize("edition", ["sample", "narrow", "makeup"])
def test_a_rule_runs_between_stories_that_meet(edition, request, style):
    """Read from the page: along every edge two different stories share, in the middle of the
    gutter or of the white line above the lower story's headline, a rule of the house style's
    weight, none along a boxed block; along an advertisement's edge the heavier rule, on the edge,
    and no text on the story's grid line next to it."""
    _, rendered = request.getfixturevalue(edition)
    geometry = page_geometry(style)
    manifest = rendered.deliverables.manifest
    glyphs = _page_glyphs(rendered, style)
    left, top, pitch = geometry.type_left, geometry.type_top, geometry.pitch
    checked = 0
    for entry, page in zip(manifest["pages"], rendered.flow.pages):
        pdf = pdfium.PdfDocument(rendered.deliverables.files[entry["file"]])
        paths = _thin_paths(pdf[0], geometry)
        blocks = [b for b in page.blocks if b.story or b.ad]
        for a in blocks:
            for b in blocks:
                if a is b or (a.story == b.story and not a.ad):
                    continue
                ad = bool(a.ad or b.ad)
                ra, rb = a.rect, b.rect
                if abs(ra.right + geometry.gutter - rb.x) < 0.01 and max(ra.y, rb.y) < min(ra.bottom, rb.bottom):
                    x = left + ra.right + geometry.gutter / 2
                    span = (x, top + max(ra.y, rb.y) + pitch, x, top + min(ra.bottom, rb.bottom))
                elif abs(ra.bottom - rb.y) < 0.01 and max(ra.x, rb.x) < min(ra.right, rb.right):
                    y = top + rb.y + (0 if ad else pitch / 2)
                    span = (left + max(ra.x, rb.x), y, left + min(ra.right, rb.right), y)
                    if b.ad and a.story:       # the story's last grid line, above the ad, stays white
                        band = (left + ra.x, top + ra.bottom - pitch, ra.width, pitch)
                        assert not [g for g in glyphs[page.number] if _inside(g, band)], (page.number, a.label)
                else:
                    continue
                if ad:
                    assert _covered(paths, *span, style.rule_around_ads_pt), (page.number, a.label, b.label)
                else:
                    boxed = a.boxed or b.boxed
                    assert _covered(paths, *span, style.rule_between_stories_pt) != boxed, (page.number, a.label,
                                                                                            b.label)
                checked += 1
    assert checked >= 3


def _with_ad(project, style, data_of, area=(1, 4, 77, 24)) -> tuple:
    """The sample with an ad block on a page 3 of its own; the geometry, the ad's frame, its page."""
    geometry = page_geometry(style)
    frame = geometry.grid_rect(*area)
    (project.editions / SAMPLE / "ads").mkdir()
    (project.editions / SAMPLE / "ads" / "shop.pdf").write_bytes(data_of(frame.width, frame.height))
    col, cols, line, lines = area
    page = _add_blocks(project, [dict(ad="ads/shop.pdf", col=col, cols=cols, line=line, lines=lines)])
    return geometry, frame, page


@pytest.mark.parametrize("turn", [False, True], ids=["upright", "rotate-90"])
def test_a_pdf_ad_is_placed_as_vector_content_at_its_frame(turn, project, style):
    """Read from the page file: the ad is a form of its own (vector paths, its type and picture),
    its text lies inside the frame, and two other readers (Ghostscript, pdfium) print its panel there;
    the page passes the print preflight (the render gives print files)."""
    geometry, frame, number = _with_ad(project, style,
                                       lambda w, h: rotated(ad_pdf(h, w)) if turn else ad_pdf(w, h))
    rendered = render_edition(project, SAMPLE, jobs=1)
    data = rendered.deliverables.files[rendered.deliverables.manifest["pages"][number - 1]["file"]]
    page = PdfReader(io.BytesIO(data)).pages[0]
    (form,) = [x.get_object() for name, x in page["/Resources"]["/XObject"].items() if name.startswith("/LayoutAd")]
    assert form["/Subtype"] == "/Form" and b" re" in form.get_data() and "/Font" in form["/Resources"]
    left, top = geometry.type_left + frame.x, geometry.type_top + frame.y
    pdf = pdfium.PdfDocument(data)
    text = pdf[0].get_textpage()
    found = text.search("ADVERT").get_next()
    assert found, "the ad's text is not on the page"
    l, b, r, t = text.get_charbox(found[0])
    assert left < l and r < left + frame.width and top < geometry.trim_height - t < top + frame.height
    # The panel (C0 M80 Y90) covers the ad's left part: orange in both renderers, at the frame.
    panel = (left + frame.width * 0.1, top + frame.height * 0.3, frame.width * 0.2, frame.height * 0.4)
    if turn:      # drawn for a turned page: its panel lies along the frame's top
        panel = (left + frame.width * 0.3, top + frame.height * 0.05, frame.width * 0.4, frame.height * 0.2)
    pictures = [trim_picture(pdf[0], geometry, 36)]
    pictures += [gs_picture(data, geometry, 36)]
    for picture in pictures:
        assert _colours(picture, 0.5, panel, inset=0) == {"red"}, picture


def gs_picture(data: bytes, geometry, dpi: int) -> Image.Image:
    """A page file as Ghostscript prints it, cut to the trim."""
    result = subprocess.run(["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=png16m", f"-r{dpi}",
                             "-sOutputFile=-", "-"], input=data, capture_output=True, check=True)
    picture = Image.open(io.BytesIO(result.stdout)).convert("RGB")
    slug = round(geometry.slug * dpi / 72)
    return picture.crop((slug, slug, picture.width - slug, picture.height - slug))


BAD_ADS = {
    "rgb": (lambda w, h: ad_pdf(w, h, rgb=True), "RGB colour (rg 0.9"),
    "font not embedded": (lambda w, h: ad_pdf(w, h, embed=False), "font /Helvetica-Bold is not embedded"),
    "ink over the limit": (lambda w, h: ad_pdf(w, h, ink="1 1 1 1"), "total ink reaches 400% as printed"),
    "wrong size": (lambda w, h: ad_pdf(w + 20, h), "its frame "),
    "a page of 5 m": (lambda w, h: page_box(ad_pdf(w, h), (0, 0, 14400, 14400)), "is 5080.0 × 5080.0 mm (MediaBox)"),
    "a stream of 80 MB": (lambda w, h: declaring_a_huge_stream(ad_pdf(w, h)),
                          "holds more data than this engine reads in one piece (a stream over 75 MB)"),
    "a picture of 80 MB": (lambda w, h: with_a_huge_picture(ad_pdf(w, h)),
                           "image /Huge is too large to decode here (over 75 MB unpacked: finer than a press needs)"),
}


@pytest.mark.parametrize("case", BAD_ADS, ids=list(BAD_ADS))
def test_an_ad_the_press_cannot_print_is_named_with_its_plan_line(case, project, style, capsys):
    make, expected = BAD_ADS[case]
    _with_ad(project, style, make)
    code = cli.main(["--root", str(project.root), "fit", SAMPLE])
    err = capsys.readouterr().err
    plan = project.editions / SAMPLE / "edition.yaml"
    line = next(n for n, text in enumerate(plan.read_text(encoding="utf-8").splitlines(), 1) if "ad: ads/shop.pdf" in text)
    assert code == 2
    messages = [m for m in err.splitlines() if "ads/shop.pdf" in m]
    assert all(m.startswith(f"error: {plan}:{line}: page 3: ad 'ads/shop.pdf' ") for m in messages), messages
    assert any(expected in m for m in messages), messages


@pytest.mark.parametrize("case, make, expected", [
    ("encrypted", lambda w, h: encrypted(ad_pdf(w, h)), "is encrypted; ask for the ad without a password"),
    ("two pages", lambda w, h: ad_pdf(w, h, pages=2), "has 2 pages; an ad is one page"),
    ("not a pdf", lambda w, h: b"GIF89a", "is not a PDF"),
    ("no size", lambda w, h: page_box(ad_pdf(w, h), (0, 0, 0, 0)), "has a page of no size"),
    ("cut off", lambda w, h: ad_pdf(w, h)[:2000], "cannot be read as a PDF"),
])
def test_an_ad_file_that_cannot_be_placed_is_refused_with_the_plan(case, make, expected, project, style, capsys,
                                                                    caplog):
    _with_ad(project, style, make)
    assert cli.main(["--root", str(project.root), "fit", SAMPLE]) == 2
    err = capsys.readouterr().err
    assert f"ad 'ads/shop.pdf' {expected}" in err and "Traceback" not in err
    # The PDF reader's own log ("EOF marker not found") would reach the terminal beside the message.
    assert not [record.message for record in caplog.records if record.name.startswith("pypdf")]


@pytest.mark.parametrize("contents", [None, NullObject()], ids=["no /Contents", "/Contents null"])
def test_a_placeholder_ad_with_no_content_is_placed_blank(contents, project, style):
    geometry, frame, number = _with_ad(project, style, lambda w, h: blank_page(w, h, contents))
    rendered = render_edition(project, SAMPLE, jobs=1)
    data = rendered.deliverables.files[rendered.deliverables.manifest["pages"][number - 1]["file"]]
    (form,) = [x.get_object() for name, x in PdfReader(io.BytesIO(data)).pages[0]["/Resources"]["/XObject"].items()
               if name.startswith("/LayoutAd")]
    assert form.get_data() == b""


def test_text_keeps_a_white_line_above_an_ad_under_a_heavy_rule(style, metrics):
    """GR: a story block standing on an ad leaves its last grid line white; the rule between them is
    the heavier one, on the edge they share."""
    geometry = page_geometry(style)
    story = StoryBlock(story="s", area=GridArea(1, 2, 17, 20), text_columns=2, headline_size=None, source_line=1)
    ad = AdBlock(ad=Path("ad.pdf"), source="ad.pdf", area=GridArea(1, 3, 37, 10), source_line=2)
    page = PagePlan(number=1, section=None, editor=None, blocks=(story, ad))
    text = Story(id="s", path=Path("stories/s.md"), headline="标题", kicker=None, deck=None, byline=None,
                 jump_headline=None, kind=None, items=(Paragraph(text="新" * 2000, number=1, line=1),))
    edition = Edition(root=Path("."), plan_path=Path("edition.yaml"), paper="测试报", date=dt.date(2020, 5, 15),
                      issue=None, code="t", format="broadsheet", pages=(page,), stories={"s": text})
    (fit,) = flow_edition(edition, style, geometry, metrics).fits
    free = fit.blocks[0]
    assert free.lines == 2 * (20 - free.headline_lines - 1)
    (rule,) = block_rules(page, {id(story)}, set(), style, geometry)
    y = geometry.type_top + 36 * geometry.pitch
    assert (rule.y1, rule.y2, rule.width) == (y, y, style.rule_around_ads_pt)
    assert rule.x2 - rule.x1 == pytest.approx(geometry.grid_rect(1, 2, 1, 1).width)


def _page_glyphs(rendered, style) -> dict[int, list]:
    """Every page's glyphs as pdfium reads them from the page files: (char, x, baseline, font role)."""
    geometry = page_geometry(style)
    roles = tuple(rendered.metrics)
    glyphs = {}
    for entry in rendered.deliverables.manifest["pages"]:
        pdf = pdfium.PdfDocument(rendered.deliverables.files[entry["file"]])
        glyphs[entry["page"]] = pdf_glyphs(pdf, 0, geometry.trim_height, roles)
    return glyphs


def _inside(glyph, rect) -> bool:
    x, y, w, h = rect
    return x - 0.5 <= glyph.x <= x + w + 0.5 and y <= glyph.baseline <= y + h


def _blocks_on_trim(entry, geometry):
    for block in entry["blocks"]:
        x, y, w, h = block["rect"]
        yield block, (geometry.type_left + x, geometry.type_top + y, w, h)


KEEP_TOGETHER = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万亿两]$")


@pytest.mark.parametrize("edition", ["sample", "torture", "narrow", "makeup"])
def test_no_headline_line_breaks_inside_a_word_or_a_number_and_its_unit(edition, request, style):
    """Read from the page: the headline lines of each block (the headline font, above the body);
    where one line ends and the next begins is a word boundary for rjieba (the library, not the
    engine's rules), and no line ends in a digit or numeral."""
    _, rendered = request.getfixturevalue(edition)
    geometry = page_geometry(style)
    headline_font = style.text["headline"].font
    glyphs = _page_glyphs(rendered, style)
    breaks = 0
    for entry in rendered.deliverables.manifest["pages"]:
        for block, rect in _blocks_on_trim(entry, geometry):
            if not block["story"] or not block["frames"]:
                continue
            body_top = rect[1] + block["frames"][0][1]
            rows: dict[float, list] = {}
            for glyph in glyphs[entry["page"]]:
                if glyph.role == headline_font and _inside(glyph, rect) and glyph.baseline < body_top:
                    rows.setdefault(round(glyph.baseline, 1), []).append(glyph)
            lines = ["".join(g.char for g in sorted(row, key=lambda g: g.x)) for _, row in sorted(rows.items())]
            for before, after in zip(lines, lines[1:]):
                text = before + after
                edges, offset = set(), 0
                for word in rjieba.cut(text):
                    edges.add(offset)
                    offset += len(word)
                assert len(before) in edges and not KEEP_TOGETHER.search(before), (entry["page"], lines)
                breaks += 1
    if edition == "sample":
        assert breaks >= 2        # 区第十届人大常委会 / 第五十次主任会议召开, and the awards headline


@pytest.mark.parametrize("edition", ["sample", "torture", "narrow", "makeup"])
def test_every_jump_line_points_at_a_page_where_its_story_goes_on(edition, request, style):
    """Read from the page: each （下转第N版） in a story's block has body text of that story on page
    N, and each （上接第N版） text of it on page N."""
    _, rendered = request.getfixturevalue(edition)
    geometry = page_geometry(style)
    glyphs = _page_glyphs(rendered, style)
    body_font = style.text["body"].font
    pages = {entry["page"]: entry for entry in rendered.deliverables.manifest["pages"]}

    def has_text(page: int, story: str) -> bool:
        return any(glyph.role == body_font and _inside(glyph, rect) for block, rect in
                   _blocks_on_trim(pages[page], geometry) if block["story"] == story for glyph in glyphs[page])

    jumps = 0
    for number, entry in pages.items():
        for block, rect in _blocks_on_trim(entry, geometry):
            text = "".join(g.char for g in glyphs[number] if _inside(g, rect))
            for target in map(int, re.findall(r"[下上](?:转|接)第(\d+)版", text)):
                assert target in pages and has_text(target, block["story"]), (number, block["story"], target)
                jumps += 1
    assert jumps >= 2


def test_run_in_bold_is_drawn_in_the_bold_font_and_the_lines_stay_flush(project, style):
    """Read from the page: 本报讯 and the Q&A label in the bold role's font, the rest of the line in
    the body's; the typographic preflight of the page finds every line flush (the render gives
    print files)."""
    story = project.editions / SAMPLE / "stories" / "sewage.md"
    text = story.read_text(encoding="utf-8")
    first = text.split("---\n", 2)[2].lstrip("\n")
    story.write_text(text.replace(first, "**本报讯**" + first.replace("。", "。**问：**", 1), 1), encoding="utf-8")
    rendered = render_edition(project, SAMPLE, jobs=1)
    glyphs = _page_glyphs(rendered, style)[1]
    bold_role = style.text["bold"].font
    bold = "".join(g.char for g in glyphs if g.role == bold_role)
    assert bold == "本报讯问：", bold
    assert not [r for r in rendered.typography if r.fault_items()]


def test_an_svg_fills_its_frame_around_its_focus_as_a_photo_does(tmp_path):
    """A 4:1 graphic in a square frame: the focus a third of the way across stays nearest the centre
    (0.3 × 4 − ½ of the 3 frames' overhang: 23.3 % cut off the left), as for a raster of that shape."""
    from layout.geometry import Rect
    from layout.images import svg_size
    from layout.page import _fill_css
    from layout.plan import ImageBlock
    graphic = tmp_path / "wide.svg"
    graphic.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="400pt" height="100pt" viewBox="0 0 400 100"/>',
                       encoding="utf-8")
    frame = Rect(0, 0, 100, 100)
    svg = ImageBlock(image=graphic, source="wide.svg", area=GridArea(1, 1, 1, 1), caption=None, credit=None,
                     source_line=1, crop="fill", focus=(0.3, 0.5), natural=svg_size(graphic))
    photo = replace(svg, pixels=(4000, 1000), natural=(4000, 1000))
    assert _fill_css(svg, frame) == _fill_css(photo, frame) == ";object-fit:cover;object-position:23.333% 50.000%"


def test_an_ads_ink_is_measured_on_its_trim_not_its_whole_media(style):
    """A MediaBox of 5 m around a TrimBox of the frame's size: Ghostscript rendered all 5 m for the
    ink (and Pillow refused the picture); what is placed is the trim."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(ad_pdf(300, 200))))
    writer.pages[0][NameObject("/MediaBox")] = ArrayObject(NumberObject(v) for v in (0, 0, 14400, 14400))
    assert ad_problems(written(writer), 300, 200, style.print) == []
