"""`layout check <date|pdf>`: the print preflight of a rendered edition or of any PDF, with the
typography of an edition's pages read back and, if asked, the three readers' agreement."""
from __future__ import annotations

import json
import math
import re
from pathlib import Path

from .errors import LayoutError
from .project import Project
from .report import pages_text, table, typography_table


def project_metrics(project: Project) -> dict:
    """The font metrics of a project's fonts (what reading a page back needs), by role."""
    from .fonts import load_fonts
    return load_fonts(project.fonts)[1]


def _one_page_note(path: Path) -> bool:
    """Is this the manifest beside a page painted alone (`render --page N`: its page, no edition PDF),
    which describes no edition? The page is then checked as a lone PDF."""
    try:
        note = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError):
        return False
    return isinstance(note, dict) and "page" in note and "edition_pdf" not in note


def read_manifest(path: Path) -> dict:
    """An output folder's manifest.json, checked before anything in it is trusted: its files are
    plain names in that folder, its frames numbers."""
    def refuse(what: str) -> LayoutError:
        return LayoutError(f"{what}; this is not a manifest `layout render` wrote: render the edition again", path)

    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise refuse(f"cannot be read as JSON ({exc})") from None
    if not isinstance(manifest, dict):
        raise refuse(f"holds a JSON {type(manifest).__name__}, not the object of an edition")

    def name(value) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[^/\\\0]+\.pdf", value) or value.startswith("."):
            raise refuse(f"names {value!r}, which is not a PDF in this folder")
        return value

    def number(value) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

    try:
        name(manifest["edition_pdf"])
        if not isinstance(manifest["format"], str):
            raise refuse("has no format")
        for page in manifest["pages"]:
            name(page["file"])
            if not isinstance(page["page"], int):
                raise refuse(f"gives page {page['page']!r}")
        for story in manifest["stories"]:
            for block in story["blocks"]:
                if not isinstance(block["page"], int) or not all(
                        len(frame) == 4 and all(number(v) for v in frame) for frame in block["frames"]):
                    raise refuse(f"gives story {story.get('story')!r} a frame that is not four numbers")
    except (KeyError, TypeError, AttributeError) as exc:
        raise refuse(f"lacks {exc}") from None
    return manifest


def check_files(args, project: Project) -> int:
    """Preflight a rendered edition by date, or one PDF. A PDF with the edition's manifest.json
    beside it is checked as that edition's page (or whole edition) — typography included."""
    from .assemble import Deliverables
    from .check.preflight import UNREADABLE, check_pdf
    from .check.problem import Problem
    from .check.renderers import TOLERANCE, agreement
    from .check.pdftext import check_typography, glyphs_of_pages
    from .fonts import FAMILY_PREFIX
    from .geometry import page_geometry
    from .pipeline import check_deliverables, manifest_mismatches, page_file_glyphs
    from .plan import plan_file
    from .style import load_style
    target = Path(args.target)
    typography = []
    if target.suffix.lower() == ".pdf" or target.is_file():       # a file given by path, .pdf or not
        if not target.is_file():
            raise LayoutError("is a folder, not a PDF file" if target.is_dir() else "no such PDF", target)
        manifest_path = target.parent / "manifest.json"
        manifest = read_manifest(manifest_path) if manifest_path.is_file() and \
            not _one_page_note(manifest_path) else None
        pages = {p["file"]: p["page"] for p in manifest["pages"]} if manifest else {}
        ours = manifest is not None and (target.name in pages or target.name == manifest["edition_pdf"])
        style = load_style(project.styles, manifest["format"] if ours else args.format)
        geometry = page_geometry(style)
        data = target.read_bytes()
        files = {target.name: data}
        expected = (1 if target.name in pages else len(pages)) if ours else None
        problems = (manifest_mismatches(files, manifest) if ours else []) + \
            check_pdf(data, target.name, geometry, expected, FAMILY_PREFIX if ours else None, style.print)
        if ours and not problems:
            metrics = project_metrics(project)
            glyphs = glyphs_of_pages(data, pages.get(target.name, 1), geometry, metrics)
            typography = check_typography(glyphs, manifest, style, geometry, metrics)
    else:
        out = project.output(args.target)
        manifest_path = out / "manifest.json"
        if not manifest_path.is_file():
            plan_file(project.editions, args.target)        # an edition that is not there is told so first
            raise LayoutError(f"no rendered edition for {args.target}: run `layout render {args.target}` first",
                              manifest_path)
        manifest = read_manifest(manifest_path)
        style = load_style(project.styles, manifest["format"])
        names = [p["file"] for p in manifest["pages"]] + [manifest["edition_pdf"]]
        files = {name: (out / name).read_bytes() for name in names}
        geometry = page_geometry(style)
        deliverables = Deliverables(files=files, manifest=manifest)
        problems = check_deliverables(deliverables, geometry, style.print)
        if not problems:
            metrics = project_metrics(project)
            typography = check_typography(page_file_glyphs(deliverables, geometry, metrics), manifest, style,
                                          geometry, metrics)
    alike: list[str] = []       # what the three readers were seen to print alike
    if args.renderers:
        unreadable = {p.file for p in problems if p.page is None and p.message.startswith(UNREADABLE)}
        for name, data in files.items():
            if name in unreadable:
                continue
            try:
                results = agreement(data)
            except LayoutError as exc:
                problems.append(Problem(name, None, exc.message))
                continue
            except Exception as exc:       # pdfium on a hostile file
                problems.append(Problem(name, None, f"cannot be rasterised: {type(exc).__name__}: {exc}"[:300]))
                continue
            for result in results:
                if not result.agrees:
                    problems.append(Problem(name, result.page, f"pdfium, Ghostscript and MuPDF disagree: {result}"))
            if results and all(result.agrees for result in results):
                alike.append(f"{name}: pdfium, Ghostscript and MuPDF print {pages_text(len(results))} alike (the "
                             f"largest difference {max(r.worst for r in results)} grey levels, tolerance {TOLERANCE})")
    faults = [fault for result in typography for fault in result.faults()]
    if args.json:
        print(json.dumps({"ok": not problems and not faults, "problems": [p.as_json() for p in problems],
                          "typography": [r.as_json() for r in typography], "typography_faults": faults},
                         ensure_ascii=False, indent=2))
    else:
        print(table([("file", "print problems")] + [(name, sum(p.file == name for p in problems) or "ok")
                                                      for name in files]))
        if typography:
            print(typography_table(typography))
        for line in [str(p) for p in problems] + faults + alike:
            print(line)
        count = len(problems) + len(faults)
        print("check: " + ("ok" if not count else f"{count} problem{'s' * (count != 1)}"))
    return 1 if problems or faults else 0
