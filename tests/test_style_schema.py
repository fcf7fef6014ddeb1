"""The house style's schema (layout/style/schema.py) against the loader: every key it declares is
tried left out, with a value of no kind it takes, and beyond its range; each is refused at its own
line of the file. The reference in docs/ is the schema's."""
from __future__ import annotations

import copy
import re
import shutil

import pytest
import yaml

from layout.errors import LayoutError
from layout.style import load_style
from layout.style.schema import KEYS, Key, reference
from layout.yamlsource import read_yaml
from tests.conftest import REPO

STYLE = yaml.safe_load((REPO / "styles" / "broadsheet.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def styles(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schema") / "styles"
    shutil.copytree(REPO / "styles", folder)
    return folder


def _with(key: Key, change) -> dict:
    data = copy.deepcopy(STYLE)
    section = data
    for part in filter(None, key.section.split(".")):
        section = section[part]
    change(section, key.name)
    return data


def _refusal(styles, data) -> tuple[LayoutError, object]:
    path = styles / "broadsheet.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(LayoutError) as caught:
        load_style(styles, "broadsheet")
    assert caught.value.file == path
    return caught.value, read_yaml(path)


def _line_of(raw, key: Key) -> int:
    section = raw
    for part in filter(None, key.section.split(".")):
        section = section[part]
    return section.line_of(key.name)


def test_the_schema_declares_every_key_of_the_house_style_once():
    def places(data, prefix=""):
        for name, value in data.items():
            where = f"{prefix}{name}"
            if isinstance(value, dict) and where not in {"text", "chinese_forms", "print.output_profile",
                                                         "print.untagged_cmyk_profile"}:
                yield from places(value, where + ".")
            else:
                yield where
    declared = [key.where for key in KEYS]
    assert sorted(declared) == sorted(places(STYLE)) and len(set(declared)) == len(declared)


@pytest.mark.parametrize("key", [k for k in KEYS if not k.optional], ids=lambda k: k.where)
def test_a_key_left_out_is_named(key, styles):
    error, raw = _refusal(styles, _with(key, lambda section, name: section.pop(name)))
    assert error.message == f"house style is missing '{key.name}'" and error.line is not None


@pytest.mark.parametrize("key", KEYS, ids=lambda k: k.where)
def test_a_value_of_no_kind_the_key_takes_is_refused_at_its_line(key, styles):
    error, raw = _refusal(styles, _with(key, lambda section, name: section.__setitem__(name, [{"x": 1}])))
    assert error.line == _line_of(raw, key), error.message


@pytest.mark.parametrize("key", [k for k in KEYS if k.range and k.kind in ("number", "integer")],
                         ids=lambda k: k.where)
def test_a_number_beyond_its_range_is_refused_with_the_range(key, styles):
    low, high = key.range
    for value in (low - 1, high + 1):
        error, raw = _refusal(styles, _with(key, lambda section, name: section.__setitem__(name, value)))
        assert error.message == f"'{key.name}' is {value!r}; it must lie between {low:g} and {high:g}"
        assert error.line == _line_of(raw, key)


def test_the_reference_is_the_schema():
    assert (REPO / "docs" / "house-style.md").read_text(encoding="utf-8") == reference(), \
        "run .venv/bin/python scripts/house_style_doc.py"


# The keys whose field is not named after them: written down here, apart from the schema, so that a
# key pointed at another's field is caught.
RENAMED = {"grid.alignment": "strict_grid", "headline_group.gap_between_parts_pt": "headline_gap_pt",
           "columns.balance_last_block": "balance_columns", "latin.hyphenate": "hyphenation"}


def _stem(name: str) -> str:
    return re.sub(r"_(em|pt|mm|lines|cols|percent|chars)$", "", name)


def test_each_key_fills_the_field_named_after_it():
    """Two keys swapped in the table (hyphen_min_left filling hyphen_min_right) would load without a
    word: each key's field carries the key's name (its unit aside), or is listed in RENAMED; and the
    value written under a key is the value its field holds."""
    style = load_style(REPO / "styles", "broadsheet")
    as_written = {"number": float, "integer": int, "flag": bool, "text": str, "choice": str, "template": str,
                  "file name": str, "colour": str, "time zone": str, "characters": frozenset, "words": tuple,
                  "word set": frozenset}
    for key in KEYS:
        owner, _, field_name = key.field.rpartition(".")
        if key.where in RENAMED:
            assert field_name == RENAMED[key.where], key.where
        else:
            assert _stem(key.name) in field_name or _stem(field_name) in _stem(key.name), key.where
        if key.kind in as_written and owner != "kinsoku":      # the LB-3 sets are derived (test_compose)
            section = STYLE
            for part in filter(None, key.section.split(".")):
                section = section[part]
            value = getattr(getattr(style, owner) if owner else style, field_name)
            assert value == as_written[key.kind](section[key.name]), key.where
