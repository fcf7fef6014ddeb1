"""Photos and ink, read from the plates Ghostscript makes and from the images in the PDF: grey stays
on K, 16-bit pictures are scaled to 8 bits (never clipped), every colour image and every page stays
within the house style's total ink limit, and `layout check` measures ink on images and vector
colours of any PDF."""
from __future__ import annotations

import dataclasses
import io
import re

import pypdfium2 as pdfium
import pytest
import weasyprint
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader

from layout.check.preflight import check_pdf
from layout.check.renderers import TOLERANCE, cell_means, separations
from layout.geometry import css_pt, page_geometry
from layout.check.content import max_ink
from layout.prepress.colour import convert_raster
from tests.photo_edition import PHOTO_DATE, photo_files, scene


def _images(rendered) -> dict[str, Image.Image]:
    """The images of the photo page, by the file name of the block that placed them."""
    manifest = rendered.deliverables.manifest
    reader = PdfReader(io.BytesIO(rendered.deliverables.files[manifest["pages"][0]["file"]]))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]
    return {name: xobject.get_object().decode_as_image() for name, xobject in xobjects.items()}


def test_grey_pictures_stay_grey_and_colour_ones_become_cmyk(photos):
    _, rendered = photos
    modes = sorted(image.mode for image in _images(rendered).values())
    assert modes == ["CMYK"] * 5 + ["L"] * 2


def test_a_16_bit_grey_photo_is_scaled_to_8_bits_not_clipped(photos):
    """Both grey images on the page — 8-bit and 16-bit of the same scene — are the same picture."""
    _, rendered = photos
    greys = [image for image in _images(rendered).values() if image.mode == "L"]
    assert len(greys) == 2
    difference = ImageChops.difference(*greys)
    assert difference.getextrema()[1] <= 1
    assert 90 < ImageStat.Stat(greys[1]).mean[0] < 200          # not 99.6 % white


def test_a_16_bit_rgb_photo_prints_like_its_8_bit_self(style):
    files = photo_files()
    out = io.BytesIO()
    scene().save(out, format="PNG")
    eight, sixteen = (Image.open(io.BytesIO(convert_raster(data, style.print)[0]))
                      for data in (out.getvalue(), files["rgb16.png"]))
    assert eight.mode == sixteen.mode == "CMYK"
    difference = ImageStat.Stat(ImageChops.difference(eight, sixteen)).mean
    assert max(difference) < 1, difference


def test_a_grey_photo_saved_as_rgb_prints_on_k_only(style):
    out = io.BytesIO()
    scene().convert("L").convert("RGB").save(out, format="JPEG", quality=90)
    data, mime = convert_raster(out.getvalue(), style.print)
    assert mime == "image/png" and Image.open(io.BytesIO(data)).mode == "L"


def test_a_picture_converts_without_reading_the_output_profile_file_again(style, tmp_path):
    """Page workers are forked after the first conversion and share the open profile file's read
    position: a transform that went back to the file for each picture failed at random in one of
    them ("Could not get profile"). Once built, the transform must not need the file at all."""
    profile = tmp_path / "press.icc"
    profile.write_bytes(style.print.profile.path.read_bytes())
    spec = dataclasses.replace(style.print, profile=dataclasses.replace(style.print.profile, path=profile))
    out = io.BytesIO()
    scene().save(out, format="PNG")
    first = convert_raster(out.getvalue(), spec)
    profile.write_bytes(b"")
    assert convert_raster(out.getvalue(), spec) == first


@pytest.mark.parametrize("edition", ["sample", "torture", "mini", "photos", "makeup"])
def test_no_pixel_of_any_page_exceeds_the_ink_limit(edition, request, figures):
    _, rendered = request.getfixturevalue(edition)
    limit = rendered.style.print.ink_limit_percent
    for name, data in rendered.deliverables.files.items():
        for number, plates in enumerate(separations(data, dpi=50), start=1):
            ink = max_ink(plates.values())
            figures.append(f"total ink: {name} page {number}: at most {ink:.0f}% (limit {limit:g}%)")
            assert ink <= limit, (name, number, ink)


def test_no_pixel_exceeds_the_ink_limit_in_pdfx1a_either(x1a):
    _, renders = x1a
    rendered = renders[PHOTO_DATE]
    for data in rendered.deliverables.files.values():
        assert all(max_ink(plates.values()) <= rendered.style.print.ink_limit_percent
                   for plates in separations(data, dpi=50))


# Ghostscript's separations are drawn without anti-aliasing, so a plate's cells differ a little more
# from an anti-aliased render than two renders do; a missing line of text differs by about 100.
PLATE_TOLERANCE = TOLERANCE + 16
PDFIUM_BLACK = 32        # pdfium draws 100 % K as this grey (its table of Adobe's SWOP conversion)


@pytest.mark.parametrize("edition", ["torture", "narrow"])
def test_the_black_plate_alone_carries_every_page(edition, request):
    """Body text, headlines and masthead are legible on the Black plate alone: C, M and Y are empty,
    and the K plate holds, cell by cell, the ink that pdfium draws (on editions of text only: the
    sample's house ads are in colour)."""
    _, rendered = request.getfixturevalue(edition)
    dpi = 150
    for name, data in rendered.deliverables.files.items():
        for number, plates in enumerate(separations(data, dpi=dpi)):
            assert all(plates[ink].getextrema()[1] == 0 for ink in ("Cyan", "Magenta", "Yellow")), name
            drawn = pdfium.PdfDocument(data)[number].render(scale=dpi / 72).to_pil().convert("L")
            ink = drawn.point(lambda grey: min(255, round((255 - grey) * 255 / (255 - PDFIUM_BLACK))))
            black = plates["Black"].resize(drawn.size)
            difference = ImageChops.difference(cell_means(black, drawn.size, dpi), cell_means(ink, drawn.size, dpi))
            assert difference.getextrema()[1] <= PLATE_TOLERANCE, (name, number, difference.getextrema())


def test_neutral_greys_of_a_colour_photo_print_mostly_on_k(photos):
    """GCR: the grey ramp of the RGB photo goes on the Black plate as far as the profile allows."""
    _, rendered = photos
    geometry = rendered.geometry
    data = rendered.deliverables.files[rendered.deliverables.manifest["pages"][0]["file"]]
    plates = separations(data, dpi=50)[0]
    block = next(b for b in rendered.flow.pages[0].blocks if b.image is not None and b.image.image.name == "rgb.jpg")
    r = block.image_rect
    scale = 50 / 72
    left = (geometry.slug + geometry.type_left + block.rect.x + r.x) * scale
    top = (geometry.slug + geometry.type_top + block.rect.y + r.y) * scale
    width, height = r.width * scale, r.height * scale
    ramp = (round(left + width * 0.3), round(top + height * 0.55), round(left + width * 0.7),
            round(top + height * 0.7))        # the middle greys of the ramp
    means = {ink: ImageStat.Stat(plate.crop(ramp)).mean[0] for ink, plate in plates.items()}
    assert means["Black"] > 2 * max(means["Cyan"], means["Magenta"], means["Yellow"]), means


def _plain_pdf(style, body: str, tmp_path) -> bytes:
    geometry = page_geometry(style)
    html = (f'<html><style>@color-profile device-cmyk{{src:url("{style.print.profile.path.as_uri()}");'
            f"components:c,m,y,k}}@page{{size:{css_pt(geometry.trim_width)} {css_pt(geometry.trim_height)};"
            f"margin:0}}body{{margin:0}}</style>{body}</html>")
    return weasyprint.HTML(string=html, base_url=str(tmp_path) + "/").write_pdf(pdf_variant="pdf/x-4")


def test_layout_check_measures_ink_on_images_and_vector_colours(style, tmp_path):
    # 314 % ink: read inverted (a Decode array ignored) it would be 86 % and pass.
    Image.new("CMYK", (400, 300), (200, 200, 200, 200)).save(tmp_path / "rich.jpg", quality=95)
    body = ('<p style="color:device-cmyk(0 0 0 1)">图</p>'
            '<div style="width:50pt;height:50pt;background:device-cmyk(1 1 1 1)"></div>'
            '<img src="rich.jpg" style="width:100pt">')
    messages = [p.message for p in check_pdf(_plain_pdf(style, body, tmp_path), "ad.pdf", page_geometry(style),
                                             1, None, style.print)]
    limit = f"{style.print.ink_limit_percent:g}%"
    assert f"colour 1 1 1 1 has 400% total ink, over the {limit} limit" in messages, messages
    image = [m for m in messages if m.startswith("image /") and f"total ink, over the {limit} limit" in m]
    assert image and 310 <= int(re.search(r"pixels with (\d+)% total ink", image[0]).group(1)) <= 318, messages


def test_the_rendered_photos_are_within_the_limit_as_the_pdf_holds_them(photos):
    _, rendered = photos
    limit = rendered.style.print.ink_limit_percent
    for image in _images(rendered).values():
        if image.mode == "CMYK":
            assert max_ink(image.split()) <= limit
