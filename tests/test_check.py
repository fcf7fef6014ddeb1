"""`layout check`: the preflight passes the sample's files and names what is wrong in a bad PDF."""
from __future__ import annotations

import io
import json
import shutil

import weasyprint
from pypdf import PdfWriter

from layout.check.preflight import check_pdf
from layout.cli import main
from layout.geometry import css_pt, page_geometry
from tests.conftest import SAMPLE


def test_check_passes_the_rendered_sample(sample, capsys):
    project, _ = sample
    assert main(["--root", str(project.root), "check", SAMPLE]) == 0
    assert "check: ok" in capsys.readouterr().out


def test_check_names_each_problem_of_a_bad_pdf(style, tmp_path, capsys):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)        # A4, no TrimBox, no text
    buffer = io.BytesIO()
    writer.write(buffer)
    problems = [p.message for p in check_pdf(buffer.getvalue(), "bad.pdf", page_geometry(style), 2)]
    assert "has 1 pages, the plan has 2" in problems
    assert "no TrimBox" in problems
    assert "has no text" in problems
    path = tmp_path / "bad.pdf"
    path.write_bytes(buffer.getvalue())
    assert main(["check", str(path)]) == 1
    assert "bad.pdf page 1: no TrimBox" in capsys.readouterr().out


def test_check_without_a_render_says_what_to_do(project, capsys):
    assert main(["--root", str(project.root), "check", SAMPLE]) == 2
    assert "run `layout render 2020-05-15` first" in capsys.readouterr().err


def test_check_flags_a_fallback_font(style):
    geometry = page_geometry(style)
    html = (f"<style>@page{{size:{css_pt(geometry.trim_width)} {css_pt(geometry.trim_height)};margin:0;"
            f"bleed:{css_pt(geometry.bleed)}}}body{{color:device-cmyk(0 0 0 1)}}</style><p lang=zh-CN>中文</p>")
    data = weasyprint.HTML(string=html).write_pdf()
    assert check_pdf(data, "p.pdf", geometry, 1) == []
    problems = check_pdf(data, "p.pdf", geometry, 1, font_family_prefix="layout-")
    assert problems and "a fallback font was used" in problems[0].message


def test_check_a_page_file_beside_its_manifest_includes_typography(sample, capsys):
    project, rendered = sample
    page2 = project.output(SAMPLE) / rendered.deliverables.manifest["pages"][1]["file"]
    assert main(["--root", str(project.root), "check", str(page2)]) == 0
    out = capsys.readouterr().out
    assert "livestream  2" in out and "check: ok" in out


def test_check_fails_when_the_set_text_does_not_match_its_columns(sample, tmp_path, capsys):
    project, _ = sample
    out = project.output(SAMPLE)
    copy = tmp_path / "output" / SAMPLE
    shutil.copytree(out, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    for story in manifest["stories"]:
        for block in story["blocks"]:
            block["frames"] = [[x + 4, y, w, h] for x, y, w, h in block["frames"]]   # columns 4 pt off
    (copy / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False))
    for name in ("styles", "fonts"):
        shutil.copytree(project.root / name, tmp_path / name)
    assert main(["--root", str(tmp_path), "check", SAMPLE]) == 1
    out = capsys.readouterr().out
    assert "story 'frontlines' page 1: not flush: " in out and "problems" in out.splitlines()[-1]
