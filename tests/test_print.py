"""Print-shop deliverables: PDF/X pages a plant accepts, and a preflight that proves it."""
from __future__ import annotations

import dataclasses
import hashlib
import io
import re
import subprocess
from pathlib import Path

import pytest
import weasyprint
import yaml
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from layout.check.preflight import check_pdf
from layout.check.renderers import separations
from layout.geometry import css_pt, page_geometry
from layout.pipeline import render_edition
from layout.prepress.finish import Finisher
from tests.conftest import SAMPLE, copy_project, drop_images, set_pdf_variant

RGB_OPERATOR = re.compile(rb"(?:^|\s)(?:[-\d.]+\s+){3}(?:rg|RG)(?=\s|$)")


def _streams(reader: PdfReader):
    """Every content stream of every page and form, and every image, decoded."""
    for page in reader.pages:
        yield "content", page.get_contents().get_data()
        pending = [page.get("/Resources")]
        while pending:
            resources = pending.pop()
            if resources is None:
                continue
            for xobject in (resources.get_object().get("/XObject") or {}).values():
                xobject = xobject.get_object()
                if xobject["/Subtype"] == "/Form":
                    yield "content", xobject.get_data()
                    pending.append(xobject.get("/Resources"))
                else:
                    yield "image", xobject


def test_no_rgb_anywhere_on_the_sample_pages(sample):
    _, rendered = sample
    for name, data in rendered.deliverables.files.items():
        for kind, item in _streams(PdfReader(io.BytesIO(data))):
            if kind == "content":
                assert not RGB_OPERATOR.search(item), name
                assert b"/DeviceRGB" not in item, name
            else:
                assert item.get("/ColorSpace") != "/DeviceRGB", name


def test_qpdf_finds_no_error(sample):
    project, rendered = sample
    for page in rendered.deliverables.manifest["pages"]:
        result = subprocess.run(["qpdf", "--check", str(project.output(SAMPLE) / page["file"])],
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_pdfx4_identification_and_output_intent(sample):
    _, rendered = sample
    manifest = rendered.deliverables.manifest
    reader = PdfReader(io.BytesIO(rendered.deliverables.files[manifest["pages"][0]["file"]]))
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFX"
    assert intent["/OutputConditionIdentifier"] == "CGATS TR 002"
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in \
        reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert manifest["pdf_variant"] == "pdf/x-4"
    assert manifest["output_profile"]["condition"] == "CGATS TR 002"
    assert all(page["bytes"] > 0 and len(page["sha256"]) == 64 for page in manifest["pages"])


def _xmp(reader: PdfReader, name: str) -> str:
    data = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    return re.search(f"<{name}>([^<]*)<", data).group(1)


def test_pdfx4_files_say_what_older_preflights_read_and_what_they_are(sample):
    """GTS_PDFXVersion in the Info dictionary too; the print master, not a proof; dates with time and
    zone (the edition's date, 00:00 in the house style's zone) equal in Info and XMP."""
    _, rendered = sample
    for data in rendered.deliverables.files.values():
        reader = PdfReader(io.BytesIO(data))
        info = reader.metadata
        assert info["/GTS_PDFXVersion"] == "PDF/X-4" and "/GTS_PDFXConformance" not in info
        assert _xmp(reader, "xmpMM:RenditionClass") == "default"
        assert info["/CreationDate"] == info["/ModDate"] == "D:20200515000000+08'00"
        assert _xmp(reader, "xmp:CreateDate") == _xmp(reader, "xmp:ModifyDate") == "2020-05-15T00:00:00+08:00"
        assert _xmp(reader, "pdf:Producer") == info["/Producer"] and _xmp(reader, "xmp:CreatorTool") == info["/Creator"]


def test_every_file_embeds_the_very_profile_the_manifest_hashes(sample, x1a):
    for _, rendered in [sample] + [(None, r) for r in x1a[1].values()]:
        manifest = rendered.deliverables.manifest
        for data in rendered.deliverables.files.values():
            intent = PdfReader(io.BytesIO(data)).trailer["/Root"]["/OutputIntents"][0].get_object()
            profile = intent["/DestOutputProfile"].get_object().get_data()
            assert hashlib.sha256(profile).hexdigest() == manifest["output_profile"]["sha256"]


def test_pdfx1a_files_are_pdfx1a_2003(x1a):
    """PDF 1.4, font programs PDF 1.4 allows, the 2003 identification, no device-independent colour."""
    _, renders = x1a
    for rendered in renders.values():
        for name, data in rendered.deliverables.files.items():
            assert data.startswith(b"%PDF-1.4\n"), name
            reader = PdfReader(io.BytesIO(data))
            info = reader.metadata
            assert info["/GTS_PDFXVersion"] == "PDF/X-1a:2003" and "/GTS_PDFXConformance" not in info
            assert "/ID" in reader.trailer and info["/Trapped"] == "/False" and info["/Title"]
            for page in reader.pages:
                resources = page["/Resources"]
                assert not resources["/ColorSpace"].get_object(), name
                for font in resources["/Font"].values():
                    descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                    file3 = descriptor.get("/FontFile3")
                    assert file3 is None or file3.get_object()["/Subtype"] == "/CIDFontType0C", name
    result = subprocess.run(["pdffonts", "-"], input=renders[SAMPLE].deliverables.files["gzb-20200515-01.pdf"],
                            capture_output=True)
    assert b"(OT)" not in result.stdout and b"CID Type 0C" in result.stdout


def test_a_pdfx1a_as_weasyprint_writes_it_fails_the_preflight(style):
    """OpenType font program, Lab and ICC colour spaces declared on the page, PDF 1.4 header kept."""
    x1a_style = dataclasses.replace(style.print, pdf_variant="pdf/x-1a")
    messages = [p.message for p in check_pdf(_html_pdf(style, "<p>正文</p>", variant="pdf/x-1a", finished=False), "bad.pdf",
                                              page_geometry(style), 1, None, x1a_style)]
    assert any("is embedded as OpenType (FontFile3 /OpenType), which PDF 1.4 and so PDF/X-1a do not allow" in m
               for m in messages), messages
    assert any(m.startswith("colour space /lab-d50 (Lab) is declared") for m in messages), messages
    assert any(m.startswith("colour space /device-cmyk (ICCBased) is declared") for m in messages), messages


@pytest.mark.parametrize("variant", ["pdf/x-4", "pdf/x-1a"])
def test_two_renders_are_byte_identical(variant, tmp_path):
    results = []
    for run in ("a", "b"):
        project = copy_project(tmp_path / run)
        set_pdf_variant(project, variant)
        results.append(render_edition(project, SAMPLE).deliverables)
    assert results[0].files == results[1].files
    assert results[0].manifest["pdf_variant"] == variant
    if variant == "pdf/x-1a":
        info = PdfReader(io.BytesIO(results[0].files[results[0].manifest["pages"][0]["file"]])).metadata
        assert info["/GTS_PDFXVersion"].startswith("PDF/X-1a")


# Broken PDFs: each must fail the preflight with a message naming the problem.

def _html_pdf(style, body: str, *, size=None, profile=True, variant="pdf/x-4", base_url=None,
              finished=True) -> bytes:
    """A one-page PDF/X of `body`, finished as the engine finishes its pages (unless not `finished`);
    with no `profile`, a plain PDF."""
    geometry = page_geometry(style)
    width, height = size or (geometry.trim_width, geometry.trim_height)
    intent = (f'@color-profile device-cmyk{{src:url("{style.print.profile.path.as_uri()}");'
              "components:c,m,y,k}") if profile else ""
    html = (f"<html lang=zh-CN><title>测试</title><style>{intent}@page{{size:{css_pt(width)} {css_pt(height)};"
            f"margin:0;bleed:{css_pt(geometry.bleed)}}}body{{margin:0;color:device-cmyk(0 0 0 1)}}</style>{body}</html>")
    spec = dataclasses.replace(style.print, pdf_variant=variant)
    finisher = Finisher(geometry.bleed, spec, "test.pdf") if profile and finished else None
    return weasyprint.HTML(string=html, base_url=base_url).write_pdf(pdf_variant=variant if profile else None,
                                                                      finisher=finisher)


def _messages(style, data: bytes) -> list[str]:
    return [p.message for p in check_pdf(data, "bad.pdf", page_geometry(style), 1, None, style.print)]


def test_a_good_minimal_pdf_passes(style):
    assert _messages(style, _html_pdf(style, "<p>正文</p>")) == []


def test_rgb_text_fails(style):
    messages = _messages(style, _html_pdf(style, '<p style="color:#c00">红字</p>'))
    assert any("RGB colour" in m for m in messages)
    assert any("text drawn in RGB" in m for m in messages)


def test_wrong_page_size_fails(style):
    messages = _messages(style, _html_pdf(style, "<p>正文</p>", size=(595.28, 841.89)))
    assert any(m.startswith("TrimBox is 595.28 × 841.89 pt") for m in messages)


def test_missing_output_intent_fails(style):
    messages = _messages(style, _html_pdf(style, "<p>正文</p>", profile=False))
    assert "no PDF/X output intent with a CMYK profile" in messages
    assert any(m.startswith("not identified as PDF/X-4") for m in messages)
    assert "the Info dictionary has no CreationDate, which PDF/X requires" in messages


def test_another_printing_condition_than_the_house_style_fails(style):
    other = dataclasses.replace(style.print.profile, path=Path("/usr/share/color/icc/ghostscript/ps_cmyk.icc"))
    data = _html_pdf(dataclasses.replace(style, print=dataclasses.replace(style.print, profile=other)), "<p>正文</p>")
    messages = _messages(style, data)
    assert any(m.startswith("output intent '") and "is not the house style's printing condition" in m
               for m in messages), messages


def test_a_72_dpi_image_fails(style, tmp_path):
    Image.new("L", (100, 100), 128).save(tmp_path / "grey.png")
    body = '<p>图</p><img src="grey.png" style="width:100pt;height:100pt">'     # 100 px over 100 pt
    messages = _messages(style, _html_pdf(style, body, base_url=str(tmp_path) + "/"))
    assert any(re.match(r"image /\S+ is 72 dpi as placed, under 200 dpi", m) for m in messages), messages


def test_an_rgb_image_fails(style, tmp_path):
    Image.new("RGB", (1000, 1000), (200, 30, 30)).save(tmp_path / "red.png")
    body = '<p>图</p><img src="red.png" style="width:100pt;height:100pt">'
    messages = _messages(style, _html_pdf(style, body, base_url=str(tmp_path) + "/"))
    assert any(m.startswith("RGB image") for m in messages), messages


def test_no_trim_box_and_an_unembedded_font_fail(style):
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 0 0 0 1 k 72 720 Td (Hello) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    messages = _messages(style, buffer.getvalue())
    assert "no TrimBox" in messages
    assert "font /Helvetica is not embedded" in messages


def test_layout_check_json_output(sample, capsys):
    import json

    from layout.cli import main
    project, _ = sample
    assert main(["--root", str(project.root), "check", SAMPLE, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is True and report["problems"] == []
    assert {t["story"] for t in report["typography"]} >= {"frontlines", "livestream"}


def test_the_house_style_refuses_colours_over_the_ink_limit(project):
    from layout.errors import LayoutError
    from layout.style import load_style
    path = project.styles / "broadsheet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('marks_color: "device-cmyk(0 0 0 1)"',
                                                             'marks_color: "device-cmyk(1 1 1 1)"'),
                    encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_style(project.styles, "broadsheet")
    assert "400% total ink, over the 240% limit" in caught.value.message


def test_an_rgb_photo_in_an_edition_is_printed_in_cmyk(project):
    import pypdfium2 as pdfium
    Image.new("RGB", (1200, 800), (200, 40, 30)).save(project.editions / SAMPLE / "images" / "photo.png")
    plan = project.editions / SAMPLE / "edition.yaml"
    drop_images(project, 2)
    data = yaml.safe_load(plan.read_text(encoding="utf-8"))
    data["pages"][1]["blocks"].append({"image": "images/photo.png", "col": 4, "cols": 3, "line": 13,
                                       "lines": 30, "caption": "图片说明", "credit": "本报记者 摄"})
    plan.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    rendered = render_edition(project, SAMPLE)           # the preflight inside found no RGB image
    page = rendered.deliverables.files[rendered.deliverables.manifest["pages"][1]["file"]]
    images = [item for kind, item in _streams(PdfReader(io.BytesIO(page))) if kind == "image"]
    assert images and all(image["/ColorSpace"] == "/DeviceCMYK" for image in images)
    # The colour survives the conversion (not inverted): the photo still looks red.
    geometry = rendered.geometry
    rect = geometry.grid_rect(4, 3, 13, 20)
    bitmap = pdfium.PdfDocument(page)[0].render(scale=1, crop=(geometry.slug,) * 4).to_pil().convert("RGB")
    r, g, b = bitmap.getpixel((int(geometry.type_left + rect.x + rect.width / 2),
                               int(geometry.type_top + rect.y + rect.height / 2)))
    assert r > 150 and g < 110 and b < 110, (r, g, b)


@pytest.mark.parametrize("overprint", [True, False])
def test_black_text_and_rules_overprint_on_the_plates_a_rip_makes(style, overprint):
    """100 % K type and rules over a cyan box leave the Cyan plate whole (no white halo when the
    plates are out of register); a 50 % K tint knocks out as usual. Read from Ghostscript's
    separations, not from our own content streams."""
    body = ('<div style="position:absolute;left:100pt;top:100pt;width:300pt;height:230pt;'
            'background:device-cmyk(1 0 0 0)">'
            '<p style="margin:0;font-size:80pt;line-height:100pt">黑字</p>'
            '<p style="margin:0;font-size:80pt;line-height:100pt;color:device-cmyk(0 0 0 .5)">灰字</p>'
            '<div style="margin-top:12pt;border-top:6pt solid device-cmyk(0 0 0 1)"></div></div>')
    finished = dataclasses.replace(style, print=dataclasses.replace(style.print, black_overprint=overprint))
    dpi = 36
    plates = separations(_html_pdf(finished, body), dpi=dpi)[0]
    media_offset = page_geometry(style).bleed          # the plates show the media box

    def area(ink: str, left: float, top: float, right: float, bottom: float) -> tuple[int, int]:
        """(least, most) coverage of an ink within a rectangle of the page, in pt."""
        box = [round((v + media_offset) * dpi / 72) for v in (left, top, right, bottom)]
        return plates[ink].crop(tuple(box)).getextrema()

    black_type, grey_type, rule = (100, 102, 400, 198), (100, 202, 400, 298), (100, 313, 400, 317)
    assert area("Black", *black_type)[1] > 250 and area("Black", *grey_type)[1] > 100
    assert area("Black", *rule)[0] > 250
    # Under 100 % K type and rules the cyan stays where they overprint, is knocked out where not.
    assert (area("Cyan", *black_type)[0] > 250) is overprint
    assert (area("Cyan", *rule)[0] > 250) is overprint
    assert area("Cyan", *grey_type)[0] < 5             # a tint always knocks out


def test_the_house_style_time_zone_must_be_an_offset(project):
    from layout.errors import LayoutError
    from layout.style import load_style
    path = project.styles / "broadsheet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('time_zone: "+08:00"', 'time_zone: "Beijing"'),
                    encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_style(project.styles, "broadsheet")
    assert "'time_zone' must be an offset like +08:00, not 'Beijing'" in caught.value.message
