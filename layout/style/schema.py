"""The house style's keys, declared once: where each stands in styles/<format>.yaml, what it becomes
in the engine, its kind (kinds.py reads and checks it), unit, range and what it is for. The loader
(load.py), the reference docs/house-style.md (`scripts/house_style_doc.py`) and the tests that try
every key with a wrong value are all derived from this table. A key is added here and nowhere else,
besides the field it fills in model.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

PUNCTUATION_STYLES = ("full", "gb", "kaiming", "half")
STRICTNESS_LEVELS = ("none", "basic", "gb", "strict")
PDF_VARIANTS = ("pdf/x-4", "pdf/x-1a")
TEXT_KINDS = ("body", "bold", "subhead", "byline", "closing", "jump-line", "kicker", "headline", "deck",
              "jump-headline", "notice-headline", "notice-deck", "caption", "verse", "names", "masthead-title",
              "masthead-text", "ear", "index-title", "index-entry", "running-head", "slug", "proof-mark",
              "proof-stamp")
# Sample values of the fields a template may name: they check its format specs ({page:02d}).
FILE_FIELDS = dict(code="gzb", yyyymmdd="20200515", date="2020-05-15")


@dataclass(frozen=True)
class Key:
    where: str                  # its place in the file: section.key (print.crop_marks.offset_mm)
    field: str                  # what it fills: a HouseStyle field, print.… (PrintSpec), punctuation.…
                                # (PunctuationClasses) or kinsoku.… (the LB-3 sets, derived)
    kind: str                   # a reader of kinds.READERS
    doc: str                    # what it is for
    unit: str = ""
    range: tuple[float, float] | None = None        # a number beyond it makes the pages wrong
    choices: tuple[str, ...] = ()                   # choice: the values; text styles: the kinds required
    sample: Mapping[str, Any] = field(default_factory=dict)   # template: the fields it may name
    optional: bool = False      # null (or left out): none

    @property
    def section(self) -> str:
        return self.where.rpartition(".")[0]

    @property
    def name(self) -> str:
        return self.where.rpartition(".")[2]


def _number(where: str, field_name: str, unit: str, low: float, high: float, doc: str) -> Key:
    return Key(where, field_name, "number", doc, unit, (low, high))


def _integer(where: str, field_name: str, unit: str, low: float, high: float, doc: str) -> Key:
    return Key(where, field_name, "integer", doc, unit, (low, high))


def _template(where: str, field_name: str, doc: str, optional: bool = False, **sample: Any) -> Key:
    return Key(where, field_name, "template", doc, sample=sample, optional=optional)


KEYS: tuple[Key, ...] = (
    Key("page.trim_mm", "trim_mm", "trim", "the trimmed page, [width, height] (SZ-3, SZ-4)", "mm", (50, 2000)),
    _number("page.bleed_mm", "bleed_mm", "mm", 0, 20, "bleed beyond the trim"),
    _number("page.type_area_top_mm", "type_area_top_mm", "mm", 0, 500,
            "top of the type area from the trim; the type area is centred across"),
    _number("page.running_head_gap_mm", "running_head_gap_mm", "mm", 0, 50,
            "from the running-head rule down to the first grid line"),
    Key("hao_table", "hao", "号 table", "the table of 号 sizes in styles/hao.yaml (SZ-1): dtp | metal"),
    Key("grid.body_size", "body_size_pt", "size", "the body type: a 号 name or points; one em of the grid"),
    _integer("grid.columns", "columns", "", 1, 30, "grid columns (GR-1)"),
    _integer("grid.column_em", "column_em", "body em", 1, 100, "a column's measure"),
    _integer("grid.gutter_em", "gutter_em", "body em", 0, 10, "between two columns"),
    _integer("grid.lines", "lines", "lines", 1, 1000, "grid lines down the type area (GR-2)"),
    _number("grid.line_pitch_pt", "line_pitch_pt", "pt", 4, 100, "from one grid line to the next (GR-5)"),
    Key("grid.split_mode", "split_mode", "choice", "GR-9 default for 破栏", choices=("absolute", "relative", "free")),
    Key("grid.alignment", "punctuation.strict_grid", "grid alignment",
        "MX-3/LB-7: strict = 纵横对齐 character grid: line-end marks may hang outside the measure, "
        "over-long words are cut at the measure", choices=("normal", "strict")),
    Key("text", "text", "text styles", "each kind of text: {font: a role of fonts/fonts.yaml, size: 号 or pt}; "
        "bold (run-in bold in body text) gives only a font", choices=TEXT_KINDS),
    _number("headline_group.line_height", "headline_line_height", "× size", 0.8, 3,
            "each headline line is this many times its size"),
    _integer("headline_group.white_above_lines", "headline_white_above", "lines", 0, 10,
             "white above a headline group (GR-6)"),
    _integer("headline_group.white_below_lines", "headline_white_below", "lines", 0, 10, "white below it"),
    _number("headline_group.gap_between_parts_pt", "headline_gap_pt", "pt", 0, 50,
            "between kicker, headline and deck"),
    Key("headline_group.align", "headline_align", "choice", "how headline lines stand in their block",
        choices=("center", "start")),
    Key("headline_group.measure_words", "headline_measure_words", "text",
        "units and measure words kept with the number before them when a headline breaks (300万剂次)"),
    Key("headline_group.words", "headline_words", "words", "the house's own words a headline never breaks"),
    Key("headline_group.min_size", "headline_min_size", "size",
        "null: a headline word wider than its block is an error; a size: the headline is set smaller, "
        "号 by 号, down to it", optional=True),
    _integer("subhead.white_above_lines", "subhead_white_above", "lines", 0, 10, "white above a subhead (GR-7)"),
    _number("paragraph.first_line_indent_em", "first_line_indent_em", "em", 0, 4, "JU-6"),
    Key("byline.align", "byline_align", "choice", "end: flush right | start", choices=("end", "start")),
    Key("byline.roles", "byline_roles", "words",
        "a byline word ending in one of these is a role (本报记者): a byline breaks before a role first"),
    _number("verse.indent_em", "verse_indent_em", "em", 0, 10, "a verse block stands in from its column"),
    _integer("names.cell_chars", "names_cell_chars", "characters", 1, 10,
             "::: names: the cell a name takes (two-character names spread to it: 均排)"),
    _number("names.gap_em", "names_gap_em", "em", 0, 5, "at least this much white between two cells"),
    Key("columns.balance_last_block", "balance_columns", "flag",
        "齐栏: the block a story ends in shares its text evenly among its columns"),
    _number("notice.inset_em", "notice_inset_em", "em", 0, 5, "a boxed story's text inset from the box rule"),
    _integer("notice.inset_lines", "notice_inset_lines", "lines", 0, 5, "and from its top and foot"),
    _number("notice.rule_pt", "notice_rule_pt", "pt", 0, 10, "the box rule"),
    _number("rules.between_stories_pt", "rule_between_stories_pt", "pt", 0, 3,
            "the rule between blocks of two stories; 0: none"),
    _number("rules.around_ads_pt", "rule_around_ads_pt", "pt", 0, 6,
            "between an advertisement and what touches it"),
    _integer("masthead.lines", "masthead_lines", "lines", 1, 1000, "grid lines the masthead takes on page 1"),
    _number("masthead.rule_pt", "masthead_rule_pt", "pt", 0, 10, "the rule under the masthead"),
    Key("masthead.weekday_names", "weekday_names", "weekday names", "the seven days' names, Monday first"),
    _template("masthead.date_format", "date_format", "the date in the masthead", year=2020, month=5, day=15),
    _template("masthead.issue_format", "issue_format", "the issue number", issue=1234),
    _template("masthead.pages_format", "pages_format", "the edition's page count", pages=8),
    _number("masthead.info_line_height", "masthead_info_line_height", "em", 0.8, 3,
            "line spacing of date, issue and page count, and of the ears"),
    _template("masthead.lunar_format", "masthead_lunar_format", "the 农历 date under the date; null: none",
              optional=True, ganzhi="庚子", month="四", day="廿三"),
    _integer("masthead.ear_cols", "masthead_ear_cols", "grid columns", 1, 10, "the width of each ear (报眼)"),
    Key("index.title", "index_title", "text", "the 导读 box's title"),
    _template("index.page_format", "index_page_format", "where an indexed story is", page=2),
    _template("running_head.page_format", "running_head_page_format", "the page number, pages 2–N", page=2),
    _template("running_head.editor_format", "running_head_editor_format", "the page's editor", editor="李明"),
    _number("running_head.rule_pt", "running_head_rule_pt", "pt", 0, 10, "the rule under the running head"),
    _number("running_head.rule_gap_em", "running_head_rule_gap_em", "em", 0, 5,
            "from the running-head baseline down to its rule"),
    _integer("image.caption_gap_lines", "caption_gap_lines", "lines", 0, 10,
             "white line between a picture and its caption"),
    _integer("image.caption_beside_cols", "caption_beside_cols", "grid columns", 1, 10,
             "caption-side: right — the caption's columns beside the picture"),
    _template("jump.continued_to", "jump_continued_to", "下转 jump line; {page} is the real page", page=2),
    _template("jump.continued_from", "jump_continued_from", "上接 jump line", page=1),
    Key("files.page", "page_file", "file name", "each page's PDF in output/<date>; ends in .pdf",
        sample=dict(page=1, **FILE_FIELDS)),
    Key("files.edition", "edition_file", "file name", "the whole edition's PDF; ends in .pdf", sample=FILE_FIELDS),
    _integer("fit.underset_tolerance_lines", "underset_tolerance_lines", "lines", 0, 100,
             "stories this many lines short or fewer are summed up in one line"),
    Key("fit.empty_block", "empty_block", "choice",
        "a later block of a thread its text does not reach: a proof, or a warning", choices=("error", "warning")),
    Key("proof.mark", "proof_mark", "text", "across the top of every page of a proof"),
    _template("proof.stamp", "proof_stamp", "which proof of the date (一校, 二校, …) and when",
              number="一", time="2020-05-15 19:04"),
    Key("proof.stamp_time", "proof_stamp_time", "text", "strftime format of {time}"),
    Key("proof.folder", "proof_folder", "file name", "the proof's folder under output/; never the print folder",
        sample=dict(date="2020-05-15")),
    Key("print.pdf_variant", "print.pdf_variant", "choice", "what the plant receives", choices=PDF_VARIANTS),
    Key("print.output_profile", "print.profile", "ICC profile",
        "the CMYK condition the plant prints to: {file (relative to styles/), sha256, source, condition}"),
    Key("print.untagged_cmyk_profile", "print.untagged_cmyk", "ICC profile",
        "what CMYK pictures without a profile were made for"),
    _number("print.slug_mm", "print.slug_mm", "mm", 0, 50, "media around the trim: bleed, crop marks, slug line"),
    _number("print.crop_marks.offset_mm", "print.crop_offset_mm", "mm", 0, 20, "crop marks from the trim"),
    _number("print.crop_marks.length_mm", "print.crop_length_mm", "mm", 1, 30, "their length"),
    _number("print.crop_marks.weight_pt", "print.crop_weight_pt", "pt", 0.05, 2, "their weight"),
    _number("print.ink_limit_percent", "print.ink_limit_percent", "%", 100, 400,
            "total area coverage allowed for any CMYK colour and pixel"),
    Key("print.marks_color", "print.marks_color", "colour", "crop marks and slug: device-cmyk(c m y k)"),
    _template("print.slug_format", "print.slug_format", "the slug line", paper="港闸报", date="2020-05-15", page=1,
              file="gzb-20200515-01.pdf"),
    _number("print.min_image_dpi", "print.min_image_dpi", "dpi", 50, 1200, "effective resolution of placed images"),
    _number("print.ad_size_tolerance_mm", "print.ad_size_tolerance_mm", "mm", 0, 10,
            "how far an advertisement may differ from its frame"),
    _integer("print.ad_ink_dpi", "print.ad_ink_dpi", "dpi", 18, 300, "an advertisement's ink is measured at this"),
    Key("print.black_overprint", "print.black_overprint", "flag", "100 % K text and rules overprint"),
    Key("print.time_zone", "print.time_zone", "time zone", "dates in the files: the edition's date, 00:00 here"),
    Key("colors.text", "text_color", "colour", "the text colour: device-cmyk(c m y k), within the ink limit"),
    Key("kinsoku.strictness", "kinsoku.strictness", "choice", "LB-3", choices=STRICTNESS_LEVELS),
    Key("kinsoku.not_at_line_start", "kinsoku.not_at_line_start", "characters", "LB-1, at the gb level"),
    Key("kinsoku.not_at_line_end", "kinsoku.not_at_line_end", "characters", "LB-2, at the gb level"),
    Key("punctuation.style", "punctuation.style", "choice", "PC-6", choices=PUNCTUATION_STYLES),
    Key("punctuation.trim_opening_at_line_start", "punctuation.trim_opening_at_line_start", "flag",
        "PC-5: an opening mark at a line start drops its leading half"),
    Key("punctuation.opening", "punctuation.opening", "characters", "PC-3: opening brackets and quotes"),
    Key("punctuation.closing", "punctuation.closing", "characters", "closing brackets and quotes"),
    Key("punctuation.pause", "punctuation.pause", "characters", "pause marks"),
    Key("punctuation.stop", "punctuation.stop", "characters", "stop marks"),
    Key("punctuation.full_width_forms", "punctuation.full_width_forms", "characters",
        "PC-1: set with the font's full-width (fwid) glyph"),
    Key("punctuation.half_em_centred", "punctuation.half_em_centred", "characters", "PC-1: ½ em, the glyph centred"),
    Key("punctuation.stacked", "punctuation.stacked", "characters", "LB-4.7, PC-1: ？？ ？！ ！！ take 1 em"),
    _number("punctuation.han_latin_space_em", "punctuation.han_latin_space", "em", 0, 1, "MX-1"),
    _number("punctuation.han_latin_space_min_em", "punctuation.han_latin_space_min", "em", 0, 1, "MX-1 shrunk"),
    _number("punctuation.han_latin_space_max_em", "punctuation.han_latin_space_max", "em", 0, 1, "MX-1 stretched"),
    _number("punctuation.loose_gap_em", "punctuation.loose_gap", "em", 0, 1,
            "JU-7: stretch per gap above this flags a loose line"),
    _number("punctuation.spread_gap_em", "punctuation.spread_gap", "em", 0, 1,
            "Han gaps wider than this are counted in the typography figures"),
    Key("latin.hyphenate", "punctuation.hyphenation", "hyphenation",
        "a pyphen dictionary English words break by, with a hyphen; none: they never break"),
    _integer("latin.hyphen_min_left", "punctuation.hyphen_min_left", "letters", 1, 10, "kept before a hyphen"),
    _integer("latin.hyphen_min_right", "punctuation.hyphen_min_right", "letters", 1, 10, "and after it"),
    _number("latin.word_space_max_em", "punctuation.word_space_max", "em", 0.2, 2,
            "JU-2: word spaces stretch to this before the gaps do"),
    _number("latin.word_space_loose_em", "punctuation.word_space_loose", "em", 0.2, 3,
            "JU-7: a word space wider than this makes its line loose"),
    _number("latin.letter_spacing_em", "punctuation.latin_letter_spacing", "em", 0, 0.5,
            "Latin letters spread with the Han gaps this much at most"),
    _number("latin.letter_squeeze_em", "punctuation.latin_letter_squeeze", "em", 0, 0.1,
            "and close up this much at most where a line must shrink"),
    _number("latin.letter_spacing_max_em", "punctuation.latin_letter_spacing_max", "em", 0, 0.5,
            "last resort: a line with nowhere else to stretch"),
    Key("latin.units", "punctuation.units", "word set", "LB-4: a number and one of these a space apart keep together"),
    Key("chinese_forms", "chinese_forms", "forms", "MX-5: ASCII punctuation in Chinese context and its Chinese form"),
    Key("chinese_form_exceptions", "chinese_form_exceptions", "texts", "words MX-5 leaves alone (Yahoo!)"),
)

# What to write for each kind, for the reference.
KIND_DOCS = {
    "number": "a number", "integer": "a whole number", "flag": "true or false", "text": "text",
    "characters": "a string of characters", "choice": "one of", "grid alignment": "one of",
    "words": "a list of words", "word set": "a list of words", "texts": "a list of texts",
    "forms": "a mapping: one character → its replacement", "size": "a 号 name (小五) or points (9pt)",
    "template": "text naming", "file name": "a file name naming", "colour": "device-cmyk(c m y k), 0–1 each",
    "ICC profile": "{file, sha256, source, condition}", "time zone": "an offset like +08:00",
    "weekday names": "a list of seven names", "trim": "[width, height]", "hyphenation": "none or a pyphen dictionary",
    "号 table": "a table name of hao.yaml", "text styles": "a mapping of text kinds, each {font, size}",
}


def _what_to_write(key: Key) -> str:
    what = KIND_DOCS[key.kind]
    if key.choices and key.kind != "text styles":
        what += " " + _cell(" | ".join(key.choices))
    if key.sample:
        what += " " + ", ".join("{" + name + "}" for name in key.sample)
    if key.range is not None:
        what += f", {key.range[0]:g} to {key.range[1]:g}"
    if key.unit:
        what += f" ({key.unit})"
    return what + (", or null" if key.optional else "")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def reference() -> str:
    """docs/house-style.md: every key of the house style, by section, as this table declares it."""
    lines = ["# House style reference", "",
             "Every key of `styles/<format>.yaml`, generated from `layout/style/schema.py` by",
             "`.venv/bin/python scripts/house_style_doc.py` (a test holds this file to the schema). A value",
             "outside its kind or range is refused with the file, the line and the key.", ""]
    for section in dict.fromkeys(key.section for key in KEYS):
        lines += ["", f"## {section or '(top level)'}", "", "| key | what to write | what it is for |", "|---|---|---|"]
        lines += [f"| `{key.name}` | {_what_to_write(key)} | {_cell(key.doc)} |" for key in KEYS if key.section == section]
    text = next(key for key in KEYS if key.kind == "text styles")
    lines += ["", f"The text kinds `text` must give: {', '.join(text.choices)}."]
    return "\n".join(lines) + "\n"
