"""House style: styles/<format>.yaml read into one typed object."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import pyphen

from .errors import LayoutError
from .geometry import page_geometry, pt_to_mm
from .yamlsource import LocatedDict, read_yaml


@dataclass(frozen=True)
class TextStyle:
    """What one kind of text is set in."""

    font: str      # font role, a key of fonts/fonts.yaml
    size_pt: float


PUNCTUATION_STYLES = ("full", "gb", "kaiming", "half")


@dataclass(frozen=True)
class PunctuationClasses:
    style: str                          # PC-6
    opening: frozenset[str]
    closing: frozenset[str]
    pause: frozenset[str]
    stop: frozenset[str]
    strictness: str                     # LB-3: none | basic | gb | strict
    not_at_line_start: frozenset[str]   # in force at the style's strictness (LB-3)
    not_at_line_end: frozenset[str]
    dash_units_not_at_line_start: bool  # LB-3 strict: —— and …… may not start a line
    trim_opening_at_line_start: bool    # PC-5
    strict_grid: bool                   # MX-3/LB-7 纵横对齐: hanging marks, over-long words cut
    full_width_forms: frozenset[str]
    half_em_centred: frozenset[str]
    stacked: frozenset[str]
    han_latin_space: float      # em
    han_latin_space_min: float
    han_latin_space_max: float
    loose_gap: float
    spread_gap: float                   # em: Han gaps wider than this are counted (a figure)
    hyphenation: str | None             # pyphen dictionary English words break by (with a hyphen)
    hyphen_min_left: int                # letters kept before and after a hyphen
    hyphen_min_right: int
    word_space_max: float               # em: word spaces stretch to this before the gaps do (JU-2)
    word_space_loose: float             # em: a word space wider than this makes its line loose (JU-7)
    latin_letter_spacing: float         # em: Latin letters spread this much at most beside the gaps
    latin_letter_squeeze: float         # em: and close up this much at most to shrink a line
    latin_letter_spacing_max: float     # em: a line that can stretch nowhere else letter-spaces its
                                        # Latin this much at most (last resort)
    units: frozenset[str] = frozenset()  # a number and one of these a space apart never break there


@dataclass(frozen=True)
class IccProfile:
    """An ICC profile pinned by hash: the printing condition (written as the output intent), or the
    condition assumed for CMYK pictures that name none."""

    path: Path
    sha256: str
    source: str          # where the file comes from, for a person who finds it missing
    condition: str


@dataclass(frozen=True)
class PrintSpec:
    pdf_variant: str                 # pdf/x-4 | pdf/x-1a
    profile: IccProfile
    untagged_cmyk: IccProfile        # what CMYK pictures without a profile are taken to be made for
    slug_mm: float
    crop_offset_mm: float
    crop_length_mm: float
    crop_weight_pt: float
    marks_color: str
    slug_format: str
    ink_limit_percent: float
    min_image_dpi: float
    ad_size_tolerance_mm: float       # how far an advertisement's size may differ from its frame's
    ad_ink_dpi: int                   # the resolution an advertisement's ink is measured at
    time_zone: str                   # "+08:00": the zone of the dates written into the files
    black_overprint: bool            # 100 % K text and rules overprint (no white halo on misregister)


@dataclass(frozen=True)
class HouseStyle:
    name: str
    path: Path
    trim_mm: tuple[float, float]
    bleed_mm: float
    type_area_top_mm: float
    running_head_gap_mm: float
    body_size_pt: float
    columns: int
    column_em: int
    gutter_em: int
    lines: int
    line_pitch_pt: float
    split_mode: str
    text: Mapping[str, TextStyle]
    headline_line_height: float
    headline_white_above: int
    headline_white_below: int
    headline_gap_pt: float
    headline_align: str
    headline_measure_words: str       # kept with the number before them when a headline breaks
    headline_words: tuple[str, ...]   # the house's own words a headline never breaks
    headline_min_size: float | None   # a headline word wider than its block is set smaller, down to this
    subhead_white_above: int
    first_line_indent_em: float
    byline_align: str                 # end (flush right) | start
    byline_roles: tuple[str, ...]     # a byline word ending in one of these is a role (记者): a byline
                                      # breaks before a role first
    verse_indent_em: float            # a verse block stands this far in from its column
    names_cell_chars: int             # ::: names: the cell a name takes, in characters
    names_gap_em: float               # and the least white between two cells
    balance_columns: bool             # 齐栏: a story's last block shares its text evenly among its columns
    notice_inset_em: float
    notice_inset_lines: int
    notice_rule_pt: float
    rule_between_stories_pt: float    # rules between blocks (0: none); see styles/broadsheet.yaml
    rule_around_ads_pt: float
    masthead_lines: int
    masthead_rule_pt: float
    weekday_names: tuple[str, ...]
    date_format: str
    issue_format: str
    pages_format: str
    masthead_info_line_height: float
    masthead_lunar_format: str | None  # 农历 date beside the date: {ganzhi} {month} {day}
    masthead_ear_cols: int            # width of each ear (报眼) in grid columns
    index_title: str                  # the 导读 box's title
    index_page_format: str            # where an indexed story is: {page}
    running_head_page_format: str
    running_head_editor_format: str
    running_head_rule_pt: float
    running_head_rule_gap_em: float
    caption_gap_lines: int
    caption_beside_cols: int          # caption-side: right — the caption's grid columns beside the picture
    jump_continued_to: str
    jump_continued_from: str
    page_file: str
    edition_file: str
    text_color: str
    punctuation: PunctuationClasses
    chinese_forms: Mapping[str, str]
    chinese_form_exceptions: tuple[str, ...]
    hao: Mapping[str, float]          # SZ-1 table in use: 号 name → pt
    print: PrintSpec
    proof_mark: str
    proof_stamp: str                  # "{number}校 · {time}": which proof of the date, and when
    proof_stamp_time: str             # strftime format of {time}
    proof_folder: str
    underset_tolerance_lines: int     # underset stories within it are summed up, not warned one by one
    empty_block: str                  # a later block a thread's text does not reach: error | warning


_SIZE_PT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*pt\s*$")
_CMYK = re.compile(r"^device-cmyk\(\s*([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*\)$")
PDF_VARIANTS = ("pdf/x-4", "pdf/x-1a")


def cmyk_values(color: str) -> tuple[float, float, float, float] | None:
    match = _CMYK.match(color)
    return tuple(float(v) for v in match.groups()) if match else None


def _cmyk(section: LocatedDict, key: str, path: Path, ink_limit: float) -> str:
    """A colour of the house style: device-cmyk, within the total ink limit."""
    color = _get(section, key, path, str)
    values = cmyk_values(color)
    if values is None or not all(0 <= v <= 1 for v in values):
        raise LayoutError(f"'{key}' must be written device-cmyk(c m y k) with values 0–1", path,
                          section.line_of(key))
    if sum(values) * 100 > ink_limit + 1e-9:
        raise LayoutError(f"'{key}' {color} has {sum(values) * 100:.0f}% total ink, over the "
                          f"{ink_limit:.0f}% limit", path, section.line_of(key))
    return color


def _profile(section: LocatedDict, key: str, path: Path) -> IccProfile:
    profile = _get(section, key, path, dict)
    return IccProfile(path=path.parent / _get(profile, "file", path, str),   # relative to styles/
                      sha256=_get(profile, "sha256", path, str), source=_get(profile, "source", path, str),
                      condition=_get(profile, "condition", path, str))


def _print_spec(section: LocatedDict, path: Path) -> PrintSpec:
    marks = _get(section, "crop_marks", path, dict)
    num = (int, float)
    limit = float(_get(section, "ink_limit_percent", path, num))
    return PrintSpec(
        pdf_variant=_choice(section, "pdf_variant", PDF_VARIANTS, path),
        profile=_profile(section, "output_profile", path),
        untagged_cmyk=_profile(section, "untagged_cmyk_profile", path),
        slug_mm=float(_get(section, "slug_mm", path, num)),
        crop_offset_mm=float(_get(marks, "offset_mm", path, num)),
        crop_length_mm=float(_get(marks, "length_mm", path, num)),
        crop_weight_pt=float(_get(marks, "weight_pt", path, num)),
        marks_color=_cmyk(section, "marks_color", path, limit),
        slug_format=_template(section, "slug_format", path, paper="港闸报", date="2020-05-15", page=1,
                              file="gzb-20200515-01.pdf"),
        ink_limit_percent=limit,
        min_image_dpi=float(_get(section, "min_image_dpi", path, num)),
        ad_size_tolerance_mm=float(_get(section, "ad_size_tolerance_mm", path, num)),
        ad_ink_dpi=_get(section, "ad_ink_dpi", path, int),
        time_zone=_time_zone(section, path),
        black_overprint=_get(section, "black_overprint", path, bool),
    )


_TIME_ZONE = re.compile(r"^[+-](?:0\d|1[0-4]):[0-5]\d$")


def _time_zone(section: LocatedDict, path: Path) -> str:
    value = _get(section, "time_zone", path, str)
    if not _TIME_ZONE.match(value):
        raise LayoutError(f"'time_zone' must be an offset like +08:00, not '{value}'", path, section.line_of("time_zone"))
    return value


SIZE_RANGE_PT = (4.0, 300.0)     # from fine print to the largest 号 headline several times over


def parse_size(value: Any, hao: Mapping[str, float], file: Path, line: int) -> float:
    """A size is a 号 name from SZ-1 (小五) or points (9pt), within SIZE_RANGE_PT."""
    size = None
    if isinstance(value, str):
        if value in hao:
            size = float(hao[value])
        match = _SIZE_PT.match(value)
        if match:
            size = float(match.group(1))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        size = float(value)
    if size is None:
        raise LayoutError(f"size {value!r} is neither a 号 name ({', '.join(hao)}) nor points like '9pt'",
                          file, line)
    low, high = SIZE_RANGE_PT
    if not low <= size <= high:        # also refuses .nan and .inf
        raise LayoutError(f"size {value!r} is not between {low:g} and {high:g} pt", file, line)
    return size


# What a house-style number may be, by key: beyond these the pages come out wrong without a word
# (text off the page, rules as black bars, a box's text outside it) or the engine divides by zero.
RANGES: dict[str, tuple[float, float]] = {
    "bleed_mm": (0, 20), "type_area_top_mm": (0, 500), "running_head_gap_mm": (0, 50),
    "columns": (1, 30), "column_em": (1, 100), "gutter_em": (0, 10), "lines": (1, 1000),
    "line_pitch_pt": (4, 100), "line_height": (0.8, 3), "white_above_lines": (0, 10),
    "white_below_lines": (0, 10), "gap_between_parts_pt": (0, 50), "first_line_indent_em": (0, 4),
    "indent_em": (0, 10), "cell_chars": (1, 10), "gap_em": (0, 5), "inset_em": (0, 5), "inset_lines": (0, 5),
    "rule_pt": (0, 10), "between_stories_pt": (0, 3), "around_ads_pt": (0, 6), "info_line_height": (0.8, 3),
    "ear_cols": (1, 10), "rule_gap_em": (0, 5), "caption_gap_lines": (0, 10), "caption_beside_cols": (1, 10),
    "underset_tolerance_lines": (0, 100), "slug_mm": (0, 50), "offset_mm": (0, 20), "length_mm": (1, 30),
    "weight_pt": (0.05, 2), "ink_limit_percent": (100, 400), "min_image_dpi": (50, 1200),
    "ad_size_tolerance_mm": (0, 10), "ad_ink_dpi": (18, 300), "han_latin_space_em": (0, 1),
    "han_latin_space_min_em": (0, 1), "han_latin_space_max_em": (0, 1), "loose_gap_em": (0, 1),
    "spread_gap_em": (0, 1), "hyphen_min_left": (1, 10), "hyphen_min_right": (1, 10),
    "word_space_max_em": (0.2, 2), "word_space_loose_em": (0.2, 3), "letter_spacing_em": (0, 0.5), "letter_spacing_max_em": (0, 0.5),
    "letter_squeeze_em": (0, 0.1),
}


def _get(section: LocatedDict, key: str, file: Path, kind: type | tuple = object) -> Any:
    if not isinstance(section, dict) or key not in section:
        line = section.line if isinstance(section, LocatedDict) else None
        raise LayoutError(f"house style is missing '{key}'", file, line)
    value = section[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise LayoutError(f"'{key}' has the wrong type ({type(value).__name__})", file,
                          section.line_of(key))
    if key in RANGES and isinstance(value, (int, float)) and not isinstance(value, bool):
        low, high = RANGES[key]
        if not low <= value <= high:        # also refuses .nan and .inf
            raise LayoutError(f"'{key}' is {value!r}; it must lie between {low:g} and {high:g}", file,
                              section.line_of(key))
    return value


def _template(section: LocatedDict, key: str, style_file: Path, **fields: Any) -> str:
    """A text the engine fills in (`第{page}版`): it may name only `fields` (their sample values check
    any format spec such as {page:02d})."""
    value = _get(section, key, style_file, str)
    names = ", ".join("{" + name + "}" for name in fields)
    try:
        value.format(**fields)
    except (KeyError, IndexError, AttributeError):
        raise LayoutError(f"'{key}' may name only {names} (a brace itself is written {{{{ or }}}})", style_file,
                          section.line_of(key)) from None
    except (ValueError, TypeError) as error:
        shown = ", ".join(f"{{{name}}} is {'a number' if isinstance(v, int) else 'text'} such as {v}"
                          for name, v in fields.items())
        raise LayoutError(f"'{key}' is not a text with fields its values fit ({error}): {shown}", style_file,
                          section.line_of(key)) from None
    return value


def _file_name(section: LocatedDict, key: str, style_file: Path, **fields: Any) -> str:
    """A template for a file or folder name in output/: it must give a plain name there."""
    value = _template(section, key, style_file, **fields)
    name = value.format(**fields)
    if not name or name.startswith(".") or any(ch in name for ch in '/\\\0:') or name == "manifest.json":
        raise LayoutError(f"'{key}' gives '{name}', which is not a plain file name in the output folder (no "
                          "'/', '\\', ':' or leading '.'; not manifest.json)", style_file, section.line_of(key))
    return value


STRICTNESS_LEVELS = ("none", "basic", "gb", "strict")


def _latin_rules(section: LocatedDict, path: Path) -> dict:
    """MX: how Latin words inside Chinese may break and stretch."""
    language = _get(section, "hyphenate", path, str)
    if language != "none" and language not in pyphen.LANGUAGES:
        raise LayoutError(f"'hyphenate' must be none or a hyphenation dictionary such as en_US, not '{language}'",
                          path, section.line_of("hyphenate"))
    return {"hyphenation": None if language == "none" else language,
            "hyphen_min_left": _get(section, "hyphen_min_left", path, int),
            "hyphen_min_right": _get(section, "hyphen_min_right", path, int),
            "word_space_max": float(_get(section, "word_space_max_em", path, (int, float))),
            "word_space_loose": float(_get(section, "word_space_loose_em", path, (int, float))),
            "latin_letter_spacing": float(_get(section, "letter_spacing_em", path, (int, float))),
            "latin_letter_squeeze": float(_get(section, "letter_squeeze_em", path, (int, float))),
            "latin_letter_spacing_max": float(_get(section, "letter_spacing_max_em", path, (int, float))),
            "units": frozenset(_words(section, "units", path))}


def _words(section: LocatedDict, key: str, path: Path) -> tuple[str, ...]:
    words = _get(section, key, path, list)
    if not all(isinstance(word, str) and word for word in words):
        raise LayoutError(f"'{key}' is a list of words, such as [科技城, 带岗]", path, section.line_of(key))
    return tuple(words)


def _choice(section: LocatedDict, key: str, allowed: tuple[str, ...], path: Path) -> str:
    value = _get(section, key, path, str)
    if value not in allowed:
        raise LayoutError(f"'{key}' must be one of {', '.join(allowed)}, not '{value}'", path, section.line_of(key))
    return value
SOLIDI = frozenset("/／")


def kinsoku_rules(section: LocatedDict, path: Path) -> dict:
    """LB-3: the four strictness levels over the gb sets (LB-1, LB-2) the house style lists."""
    level = _choice(section, "strictness", STRICTNESS_LEVELS, path)
    start = frozenset(_get(section, "not_at_line_start", path, str))
    end = frozenset(_get(section, "not_at_line_end", path, str))
    if level == "none":
        start = end = frozenset()
    elif level == "basic":
        end = end - SOLIDI
    return {"strictness": level, "not_at_line_start": start, "not_at_line_end": end,
            "dash_units_not_at_line_start": level == "strict"}


def load_style(styles_dir: Path, name: str) -> HouseStyle:
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
    raw = read_yaml(path)
    tables = read_yaml(styles_dir / "hao.yaml")
    num = (int, float)

    def section(key: str) -> LocatedDict:
        return _get(raw, key, path, dict)

    table_name = _get(raw, "hao_table", path, str)
    if table_name not in tables:
        raise LayoutError(f"hao_table '{table_name}' is not one of {', '.join(tables)}", path,
                          raw.line_of("hao_table"))
    hao = tables[table_name]
    page, grid = section("page"), section("grid")
    text_raw = section("text")
    text = {kind: TextStyle(font=_get(spec, "font", path, str),
                            size_pt=parse_size(_get(spec, "size", path), hao, path, spec.line))
            for kind, spec in text_raw.items() if kind != "bold"}
    if "bold" in text_raw and "body" in text:
        # Run-in bold sits inside body lines: the body's size, whatever it is; only its font is its own.
        bold = text_raw["bold"]
        if "size" in bold:
            raise LayoutError("text.bold is run-in bold inside body lines, at the body's size: give it only a "
                              "font", path, text_raw.line_of("bold"))
        text["bold"] = TextStyle(font=_get(bold, "font", path, str), size_pt=text["body"].size_pt)
    body_size = parse_size(_get(grid, "body_size", path), hao, path, grid.line_of("body_size"))
    hg, sub, para = section("headline_group"), section("subhead"), section("paragraph")
    notice, mast, rhead = section("notice"), section("masthead"), section("running_head")
    jump, files, colors = section("jump"), section("files"), section("colors")
    kin, punct = section("kinsoku"), section("punctuation")
    split_mode = _choice(grid, "split_mode", ("absolute", "relative", "free"), path)
    print_spec = _print_spec(section("print"), path)
    text_color = _cmyk(colors, "text", path, print_spec.ink_limit_percent)
    required_kinds = {"body", "subhead", "byline", "closing", "jump-line", "kicker", "headline", "deck",
                      "jump-headline", "notice-headline", "notice-deck", "caption", "masthead-title",
                      "masthead-text", "running-head", "slug", "proof-mark", "proof-stamp", "verse", "names", "bold",
                      "ear", "index-title", "index-entry"}
    names = dict(code="gzb", yyyymmdd="20200515", date="2020-05-15")
    page_file = _file_name(files, "page", path, page=1, **names)
    edition_file = _file_name(files, "edition", path, **names)
    for key, value in (("page", page_file), ("edition", edition_file)):
        if not value.endswith(".pdf"):
            raise LayoutError(f"files.{key} must end in .pdf (as layout check and the print shop expect)", path,
                              files.line_of(key))
    if len({page_file.format(page=1, **names), page_file.format(page=2, **names), edition_file.format(**names)}) < 3:
        raise LayoutError("files.page must give each page a name of its own ({page} in it), other than the "
                          "edition file's", path, files.line_of("page"))
    proof_folder = _file_name(section("proof"), "folder", path, date="2020-05-15")
    if proof_folder.format(date="2020-05-15") == "2020-05-15":
        raise LayoutError("proof.folder must differ from the print folder output/<date>: a proof never takes "
                          "the print files' place", path, section("proof").line_of("folder"))
    missing = required_kinds - set(text)
    if missing:
        raise LayoutError(f"text styles missing for: {', '.join(sorted(missing))}", path, text_raw.line)
    style = HouseStyle(
        name=name, path=path,
        trim_mm=_trim(page, path),
        bleed_mm=float(_get(page, "bleed_mm", path, num)),
        type_area_top_mm=float(_get(page, "type_area_top_mm", path, num)),
        running_head_gap_mm=float(_get(page, "running_head_gap_mm", path, num)),
        body_size_pt=body_size,
        columns=_get(grid, "columns", path, int),
        column_em=_get(grid, "column_em", path, int),
        gutter_em=_get(grid, "gutter_em", path, int),
        lines=_get(grid, "lines", path, int),
        line_pitch_pt=float(_get(grid, "line_pitch_pt", path, num)),
        split_mode=split_mode,
        text=text,
        headline_line_height=float(_get(hg, "line_height", path, num)),
        headline_white_above=_get(hg, "white_above_lines", path, int),
        headline_white_below=_get(hg, "white_below_lines", path, int),
        headline_gap_pt=float(_get(hg, "gap_between_parts_pt", path, num)),
        headline_align=_choice(hg, "align", ("center", "start"), path),
        headline_measure_words=_get(hg, "measure_words", path, str),
        headline_words=_words(hg, "words", path),
        headline_min_size=None if hg.get("min_size") is None else parse_size(hg["min_size"], hao, path,
                                                                              hg.line_of("min_size")),
        subhead_white_above=_get(sub, "white_above_lines", path, int),
        first_line_indent_em=float(_get(para, "first_line_indent_em", path, num)),
        byline_align=_choice(section("byline"), "align", ("end", "start"), path),
        byline_roles=_words(section("byline"), "roles", path),
        verse_indent_em=float(_get(section("verse"), "indent_em", path, num)),
        names_cell_chars=_get(section("names"), "cell_chars", path, int),
        names_gap_em=float(_get(section("names"), "gap_em", path, num)),
        balance_columns=_get(section("columns"), "balance_last_block", path, bool),
        notice_inset_em=float(_get(notice, "inset_em", path, num)),
        notice_inset_lines=_get(notice, "inset_lines", path, int),
        notice_rule_pt=float(_get(notice, "rule_pt", path, num)),
        rule_between_stories_pt=float(_get(section("rules"), "between_stories_pt", path, num)),
        rule_around_ads_pt=float(_get(section("rules"), "around_ads_pt", path, num)),
        masthead_lines=_get(mast, "lines", path, int),
        masthead_rule_pt=float(_get(mast, "rule_pt", path, num)),
        weekday_names=_weekday_names(mast, path),
        date_format=_template(mast, "date_format", path, year=2020, month=5, day=15),
        issue_format=_template(mast, "issue_format", path, issue=1234),
        pages_format=_template(mast, "pages_format", path, pages=8),
        masthead_info_line_height=float(_get(mast, "info_line_height", path, num)),
        masthead_lunar_format=None if mast.get("lunar_format") is None else _template(
            mast, "lunar_format", path, ganzhi="庚子", month="四", day="廿三"),
        masthead_ear_cols=_get(mast, "ear_cols", path, int),
        index_title=_get(section("index"), "title", path, str),
        index_page_format=_template(section("index"), "page_format", path, page=2),
        running_head_page_format=_template(rhead, "page_format", path, page=2),
        running_head_editor_format=_template(rhead, "editor_format", path, editor="李明"),
        running_head_rule_pt=float(_get(rhead, "rule_pt", path, num)),
        running_head_rule_gap_em=float(_get(rhead, "rule_gap_em", path, num)),
        caption_gap_lines=_get(section("image"), "caption_gap_lines", path, int),
        caption_beside_cols=_get(section("image"), "caption_beside_cols", path, int),
        jump_continued_to=_template(jump, "continued_to", path, page=2),
        jump_continued_from=_template(jump, "continued_from", path, page=1),
        page_file=page_file,
        edition_file=edition_file,
        text_color=text_color,
        punctuation=PunctuationClasses(
            style=_choice(punct, "style", PUNCTUATION_STYLES, path),
            trim_opening_at_line_start=_get(punct, "trim_opening_at_line_start", path, bool),
            strict_grid=_choice(grid, "alignment", ("normal", "strict"), path) == "strict",
            full_width_forms=frozenset(_get(punct, "full_width_forms", path, str)),
            half_em_centred=frozenset(_get(punct, "half_em_centred", path, str)),
            stacked=frozenset(_get(punct, "stacked", path, str)),
            opening=frozenset(_get(punct, "opening", path, str)),
            closing=frozenset(_get(punct, "closing", path, str)),
            pause=frozenset(_get(punct, "pause", path, str)),
            stop=frozenset(_get(punct, "stop", path, str)),
            **kinsoku_rules(kin, path),
            han_latin_space=float(_get(punct, "han_latin_space_em", path, num)),
            han_latin_space_min=float(_get(punct, "han_latin_space_min_em", path, num)),
            han_latin_space_max=float(_get(punct, "han_latin_space_max_em", path, num)),
            loose_gap=float(_get(punct, "loose_gap_em", path, num)),
            spread_gap=float(_get(punct, "spread_gap_em", path, num)),
            **_latin_rules(section("latin"), path),
        ),
        chinese_forms=dict(_get(raw, "chinese_forms", path, dict)),
        chinese_form_exceptions=tuple(_get(raw, "chinese_form_exceptions", path, list)),
        hao=dict(hao),
        print=print_spec,
        proof_mark=_get(section("proof"), "mark", path, str),
        proof_stamp=_template(section("proof"), "stamp", path, number="一", time="2020-05-15 19:04"),
        proof_stamp_time=_get(section("proof"), "stamp_time", path, str),
        proof_folder=proof_folder,
        underset_tolerance_lines=_get(section("fit"), "underset_tolerance_lines", path, int),
        empty_block=_choice(section("fit"), "empty_block", ("error", "warning"), path),
    )
    _check_page_fits(style, page, grid, mast, section("print"), path)
    return style


def _weekday_names(section: LocatedDict, path: Path) -> tuple[str, ...]:
    names = _get(section, "weekday_names", path, list)
    if len(names) != 7 or not all(isinstance(name, str) and name.strip() for name in names):
        raise LayoutError("'weekday_names' lists the seven days' names, Monday first", path,
                          section.line_of("weekday_names"))
    return tuple(names)


def _trim(page: LocatedDict, path: Path) -> tuple[float, float]:
    trim = _get(page, "trim_mm", path, list)
    if len(trim) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 50 <= v <= 2000
                                 for v in trim):
        raise LayoutError("'trim_mm' is the trimmed page's [width, height] in mm, each 50 to 2000", path,
                          page.line_of("trim_mm"))
    return float(trim[0]), float(trim[1])


def _check_page_fits(style: HouseStyle, page: LocatedDict, grid: LocatedDict, mast: LocatedDict,
                     printing: LocatedDict, path: Path) -> None:
    """The grid's lines are no closer than the body type, the type area and the running head above
    it lie on the trim, the masthead leaves the grid lines for stories, and the media around the
    trim holds the bleed and the crop marks."""
    width_mm, height_mm = style.trim_mm
    if style.line_pitch_pt < style.body_size_pt:
        raise LayoutError(f"'line_pitch_pt' {style.line_pitch_pt:g} is less than the body size "
                          f"({style.body_size_pt:g} pt): body lines would overlap", path, grid.line_of("line_pitch_pt"))
    geometry = page_geometry(style)
    if geometry.type_width > geometry.trim_width:
        raise LayoutError(f"the grid is {pt_to_mm(geometry.type_width):.0f} mm wide (columns × column_em plus the "
                          f"gutters, in body ems) and the trim {width_mm:g} mm: fewer or narrower columns, or a wider "
                          "trim", path, grid.line_of("columns"))
    bottom = pt_to_mm(geometry.type_top + geometry.type_height)
    if bottom > height_mm:
        raise LayoutError(f"the type area ends {bottom:.0f} mm down (type_area_top_mm plus lines × "
                          f"line_pitch_pt) and the trim is {height_mm:g} mm high: fewer lines, a smaller pitch or "
                          "a lower top", path, grid.line_of("lines"))
    head = style.running_head_gap_mm + pt_to_mm((1 + style.running_head_rule_gap_em)
                                                * style.text["running-head"].size_pt)
    if style.type_area_top_mm < head:
        raise LayoutError(f"'type_area_top_mm' {style.type_area_top_mm:g} leaves the running head of pages 2–N "
                          f"(running_head_gap_mm and its type, {head:.1f} mm) no room on the trim; give it "
                          f"{head:.0f} mm or more", path, page.line_of("type_area_top_mm"))
    spec = style.print
    marks = spec.crop_offset_mm + spec.crop_length_mm
    if spec.slug_mm < max(style.bleed_mm, marks):
        raise LayoutError(f"'slug_mm' {spec.slug_mm:g} is the media around the trim; it must hold the bleed "
                          f"({style.bleed_mm:g} mm) and the crop marks (offset and length, {marks:g} mm)", path,
                          printing.line_of("slug_mm"))
    if not 1 <= style.masthead_lines < style.lines:
        raise LayoutError(f"masthead 'lines' is {style.masthead_lines}; the grid has {style.lines} lines and the "
                          "masthead takes fewer", path, mast.line_of("lines"))
