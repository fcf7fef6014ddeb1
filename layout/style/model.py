"""The house style as the engine reads it: one typed object, built by load.py from the keys that
schema.py declares."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping


@dataclass(frozen=True)
class TextStyle:
    """What one kind of text is set in."""

    font: str      # font role, a key of fonts/fonts.yaml
    size_pt: float


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
