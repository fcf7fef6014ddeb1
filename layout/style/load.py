"""Reading styles/<format>.yaml: every key of the schema read by its kind, the LB-3 sets derived,
and the checks no single key can make (the grid on the trim, file names apart)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Mapping

from ..errors import LayoutError
from ..geometry import page_geometry, pt_to_mm
from ..yamlsource import LocatedDict, read_yaml
from .kinds import READERS, Reading, section_of
from .model import HouseStyle, PrintSpec, PunctuationClasses
from .schema import FILE_FIELDS, KEYS, Key

SOLIDI = frozenset("/／")


def _read_key(raw: LocatedDict, key: Key, reading: Reading) -> Any:
    section = section_of(raw, key.section, reading.path)
    if key.optional and section.get(key.name) is None:
        return None
    return READERS[key.kind](section, key.name, key, reading)


def _kinsoku(written: Mapping[str, Any]) -> dict:
    """LB-3: the four strictness levels over the gb sets (LB-1, LB-2) the house style lists
    (`written`: the kinsoku keys' values, by the name of the field they fill)."""
    level, start, end = written["strictness"], written["not_at_line_start"], written["not_at_line_end"]
    if level == "none":
        start = end = frozenset()
    elif level == "basic":
        end = end - SOLIDI
    return {"strictness": level, "not_at_line_start": start, "not_at_line_end": end,
            "dash_units_not_at_line_start": level == "strict"}


def kinsoku_rules(section: LocatedDict, path: Path) -> dict:
    """The LB-3 fields of PunctuationClasses, from a `kinsoku:` section."""
    reading = Reading(path, {})
    return _kinsoku({key.field.split(".", 1)[1]: READERS[key.kind](section, key.name, key, reading)
                     for key in KEYS if key.section == "kinsoku"})


def _style_file(styles_dir: Path, name: str) -> Path:
    if isinstance(name, str) and name == "hao":
        raise LayoutError(f"'format: hao' names the table of 号 sizes, not a page format; give a house style in "
                          f"{styles_dir} such as broadsheet")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
        raise LayoutError(f"'format' names a house style in {styles_dir} (e.g. broadsheet), not a path: {name!r}")
    path = styles_dir / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in styles_dir.glob("*.yaml") if p.stem != "hao")
        raise LayoutError(f"no page format '{name}' in {styles_dir} (known: {', '.join(known)})")
    if not path.resolve().is_relative_to(styles_dir.resolve()):
        raise LayoutError(f"house style {path} is a link to {path.resolve()}, outside {styles_dir}; copy the "
                          "house style into it")
    return path


def load_style(styles_dir: Path, name: str) -> HouseStyle:
    path = _style_file(styles_dir, name)
    raw = read_yaml(path)
    reading = Reading(path, read_yaml(styles_dir / "hao.yaml"))
    if not isinstance(raw, dict):
        raise LayoutError("a house style maps its sections (page, grid, text, …) to their keys; restore it from "
                          "the repository", path, getattr(raw, "line", None))
    for key in KEYS:
        reading.values[key.field] = _read_key(raw, key, reading)
    values = reading.values
    part = {prefix: {f.split(".", 1)[1]: v for f, v in values.items() if f.startswith(prefix + ".")}
            for prefix in ("print", "punctuation", "kinsoku")}
    style = HouseStyle(
        name=name, path=path, **{f: v for f, v in values.items() if "." not in f},
        print=PrintSpec(**part["print"]),
        punctuation=PunctuationClasses(**part["punctuation"], **_kinsoku(part["kinsoku"])))
    _check_file_names(style, raw, path)
    _check_page_fits(style, raw, path)
    return style


def _line(raw: LocatedDict, where: str) -> int | None:
    section, _, name = where.rpartition(".")
    return section_of(raw, section, Path()).line_of(name)


def _check_file_names(style: HouseStyle, raw: LocatedDict, path: Path) -> None:
    """Each page's file, the edition's and the proof folder are names of their own."""
    for key, value in (("page", style.page_file), ("edition", style.edition_file)):
        if not value.endswith(".pdf"):
            raise LayoutError(f"files.{key} must end in .pdf (as layout check and the print shop expect)", path,
                              _line(raw, f"files.{key}"))
    names = {style.page_file.format(page=1, **FILE_FIELDS), style.page_file.format(page=2, **FILE_FIELDS),
             style.edition_file.format(**FILE_FIELDS)}
    if len(names) < 3:
        raise LayoutError("files.page must give each page a name of its own ({page} in it), other than the "
                          "edition file's", path, _line(raw, "files.page"))
    if style.proof_folder.format(date="2020-05-15") == "2020-05-15":
        raise LayoutError("proof.folder must differ from the print folder output/<date>: a proof never takes "
                          "the print files' place", path, _line(raw, "proof.folder"))


def _check_page_fits(style: HouseStyle, raw: LocatedDict, path: Path) -> None:
    """The grid's lines are no closer than the body type, the type area and the running head above
    it lie on the trim, the masthead leaves the grid lines for stories, and the media around the
    trim holds the bleed and the crop marks."""
    width_mm, height_mm = style.trim_mm
    if style.line_pitch_pt < style.body_size_pt:
        raise LayoutError(f"'line_pitch_pt' {style.line_pitch_pt:g} is less than the body size "
                          f"({style.body_size_pt:g} pt): body lines would overlap", path,
                          _line(raw, "grid.line_pitch_pt"))
    geometry = page_geometry(style)
    if geometry.type_width > geometry.trim_width:
        raise LayoutError(f"the grid is {pt_to_mm(geometry.type_width):.0f} mm wide (columns × column_em plus the "
                          f"gutters, in body ems) and the trim {width_mm:g} mm: fewer or narrower columns, or a wider "
                          "trim", path, _line(raw, "grid.columns"))
    bottom = pt_to_mm(geometry.type_top + geometry.type_height)
    if bottom > height_mm:
        raise LayoutError(f"the type area ends {bottom:.0f} mm down (type_area_top_mm plus lines × "
                          f"line_pitch_pt) and the trim is {height_mm:g} mm high: fewer lines, a smaller pitch or "
                          "a lower top", path, _line(raw, "grid.lines"))
    head = style.running_head_gap_mm + pt_to_mm((1 + style.running_head_rule_gap_em)
                                                * style.text["running-head"].size_pt)
    if style.type_area_top_mm < head:
        raise LayoutError(f"'type_area_top_mm' {style.type_area_top_mm:g} leaves the running head of pages 2–N "
                          f"(running_head_gap_mm and its type, {head:.1f} mm) no room on the trim; give it "
                          f"{head:.0f} mm or more", path, _line(raw, "page.type_area_top_mm"))
    spec = style.print
    marks = spec.crop_offset_mm + spec.crop_length_mm
    if spec.slug_mm < max(style.bleed_mm, marks):
        raise LayoutError(f"'slug_mm' {spec.slug_mm:g} is the media around the trim; it must hold the bleed "
                          f"({style.bleed_mm:g} mm) and the crop marks (offset and length, {marks:g} mm)", path,
                          _line(raw, "print.slug_mm"))
    if not 1 <= style.masthead_lines < style.lines:
        raise LayoutError(f"masthead 'lines' is {style.masthead_lines}; the grid has {style.lines} lines and the "
                          "masthead takes fewer", path, _line(raw, "masthead.lines"))
