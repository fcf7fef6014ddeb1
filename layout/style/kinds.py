"""The kinds of value a house-style key may take: one small reader per kind (as WeasyPrint validates
one CSS property per function), each refusing a wrong value with a message an editor can act on —
the key, its line in the file, and what to write instead."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

import pyphen

from ..errors import LayoutError
from ..yamlsource import LocatedDict
from .model import IccProfile, TextStyle

if TYPE_CHECKING:
    from .schema import Key


@dataclass
class Reading:
    """What reading one style file needs besides a key: the file, its 号 table once read, and the
    values read so far by field (a colour is checked against the ink limit read before it)."""
    path: Path
    tables: Mapping[str, Any]
    hao: Mapping[str, float] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)


NUMBER = (int, float)


def get(section: LocatedDict, name: str, path: Path, kind: type | tuple = object,
        limits: tuple[float, float] | None = None) -> Any:
    """A key's value, of the given type (a bool is no number) and within `limits`."""
    if not isinstance(section, dict) or name not in section:
        line = section.line if isinstance(section, LocatedDict) else None
        raise LayoutError(f"house style is missing '{name}'", path, line)
    value = section[name]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise LayoutError(f"'{name}' has the wrong type ({type(value).__name__})", path, section.line_of(name))
    if limits is not None and isinstance(value, NUMBER) and not isinstance(value, bool):
        low, high = limits
        if not low <= value <= high:        # also refuses .nan and .inf
            raise LayoutError(f"'{name}' is {value!r}; it must lie between {low:g} and {high:g}", path,
                              section.line_of(name))
    return value


def section_of(raw: LocatedDict, where: str, path: Path) -> LocatedDict:
    """The mapping a dotted place (`print.crop_marks`) names; the file itself for ''."""
    section = raw
    for part in filter(None, where.split(".")):
        section = get(section, part, path, dict)
    return section


_SIZE_PT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*pt\s*$")
SIZE_RANGE_PT = (4.0, 300.0)     # from fine print to the largest 号 headline several times over


def parse_size(value: Any, hao: Mapping[str, float], file: Path, line: int | None) -> float:
    """A size is a 号 name from SZ-1 (小五) or points (9pt), within SIZE_RANGE_PT."""
    size = None
    if isinstance(value, str):
        if value in hao:
            size = float(hao[value])
        match = _SIZE_PT.match(value)
        if match:
            size = float(match.group(1))
    elif isinstance(value, NUMBER) and not isinstance(value, bool):
        size = float(value)
    if size is None:
        raise LayoutError(f"size {value!r} is neither a 号 name ({', '.join(hao)}) nor points like '9pt'",
                          file, line)
    low, high = SIZE_RANGE_PT
    if not low <= size <= high:        # also refuses .nan and .inf
        raise LayoutError(f"size {value!r} is not between {low:g} and {high:g} pt", file, line)
    return size


_CMYK = re.compile(r"^device-cmyk\(\s*([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)\s*\)$")


def cmyk_values(color: str) -> tuple[float, float, float, float] | None:
    match = _CMYK.match(color)
    return tuple(float(v) for v in match.groups()) if match else None


# Each reader: (the section holding the key, its name, the key's declaration, the reading) → value.
Reader = Callable[[LocatedDict, str, "Key", Reading], Any]


def _number(section, name, key, reading) -> float:
    return float(get(section, name, reading.path, NUMBER, key.range))


def _integer(section, name, key, reading) -> int:
    return get(section, name, reading.path, int, key.range)


def _flag(section, name, key, reading) -> bool:
    return get(section, name, reading.path, bool)


def _text(section, name, key, reading) -> str:
    return get(section, name, reading.path, str)


def _chars(section, name, key, reading) -> frozenset[str]:
    return frozenset(get(section, name, reading.path, str))


def _choice(section, name, key, reading) -> str:
    value = get(section, name, reading.path, str)
    if value not in key.choices:
        raise LayoutError(f"'{name}' must be one of {', '.join(key.choices)}, not '{value}'", reading.path,
                          section.line_of(name))
    return value


def _strict_grid(section, name, key, reading) -> bool:
    return _choice(section, name, key, reading) == "strict"


def _words(section, name, key, reading) -> tuple[str, ...]:
    words = get(section, name, reading.path, list)
    if not all(isinstance(word, str) and word for word in words):
        raise LayoutError(f"'{name}' is a list of words, such as [科技城, 带岗]", reading.path, section.line_of(name))
    return tuple(words)


def _word_set(section, name, key, reading) -> frozenset[str]:
    return frozenset(_words(section, name, key, reading))


def _texts(section, name, key, reading) -> tuple[str, ...]:
    texts = get(section, name, reading.path, list)
    if not all(isinstance(text, str) for text in texts):
        raise LayoutError(f"'{name}' is a list of texts, such as [乾隆, 天后]", reading.path, section.line_of(name))
    return tuple(texts)


def _forms(section, name, key, reading) -> dict[str, str]:
    forms = get(section, name, reading.path, dict)
    for mark, form in forms.items():
        if not (isinstance(mark, str) and len(mark) == 1 and isinstance(form, str)):
            raise LayoutError(f"'{name}' maps one character to the text that replaces it, such as '!': '！'; "
                              f"not {mark!r}: {form!r}", reading.path, forms.line_of(mark))
    return dict(forms)


def _size(section, name, key, reading) -> float:
    return parse_size(get(section, name, reading.path), reading.hao, reading.path, section.line_of(name))


def _template(section, name, key, reading) -> str:
    """A text the engine fills in (`第{page}版`): it may name only the key's fields (their sample
    values check any format spec such as {page:02d})."""
    value = get(section, name, reading.path, str)
    fields = key.sample
    try:
        value.format(**fields)
    except (KeyError, IndexError, AttributeError):
        names = ", ".join("{" + field_name + "}" for field_name in fields)
        raise LayoutError(f"'{name}' may name only {names} (a brace itself is written {{{{ or }}}})", reading.path,
                          section.line_of(name)) from None
    except (ValueError, TypeError) as error:
        shown = ", ".join(f"{{{field_name}}} is {'a number' if isinstance(v, int) else 'text'} such as {v}"
                          for field_name, v in fields.items())
        raise LayoutError(f"'{name}' is not a text with fields its values fit ({error}): {shown}", reading.path,
                          section.line_of(name)) from None
    return value


def _file_name(section, name, key, reading) -> str:
    """A template for a file or folder name in output/: it must give a plain name there."""
    value = _template(section, name, key, reading)
    given = value.format(**key.sample)
    if not given or given.startswith(".") or any(ch in given for ch in '/\\\0:') or given == "manifest.json":
        raise LayoutError(f"'{name}' gives '{given}', which is not a plain file name in the output folder (no "
                          "'/', '\\', ':' or leading '.'; not manifest.json)", reading.path, section.line_of(name))
    return value


def _cmyk(section, name, key, reading) -> str:
    """A colour: device-cmyk, within the total ink limit read before it."""
    color = get(section, name, reading.path, str)
    values = cmyk_values(color)
    if values is None or not all(0 <= v <= 1 for v in values):
        raise LayoutError(f"'{name}' must be written device-cmyk(c m y k) with values 0–1", reading.path,
                          section.line_of(name))
    ink_limit = reading.values["print.ink_limit_percent"]
    if sum(values) * 100 > ink_limit + 1e-9:
        raise LayoutError(f"'{name}' {color} has {sum(values) * 100:.0f}% total ink, over the "
                          f"{ink_limit:.0f}% limit", reading.path, section.line_of(name))
    return color


def _profile(section, name, key, reading) -> IccProfile:
    profile, path = get(section, name, reading.path, dict), reading.path
    return IccProfile(path=path.parent / get(profile, "file", path, str),   # relative to styles/
                      sha256=get(profile, "sha256", path, str), source=get(profile, "source", path, str),
                      condition=get(profile, "condition", path, str))


_TIME_ZONE = re.compile(r"^[+-](?:0\d|1[0-4]):[0-5]\d$")


def _time_zone(section, name, key, reading) -> str:
    value = get(section, name, reading.path, str)
    if not _TIME_ZONE.match(value):
        raise LayoutError(f"'{name}' must be an offset like +08:00, not '{value}'", reading.path,
                          section.line_of(name))
    return value


def _weekdays(section, name, key, reading) -> tuple[str, ...]:
    names = get(section, name, reading.path, list)
    if len(names) != 7 or not all(isinstance(day, str) and day.strip() for day in names):
        raise LayoutError(f"'{name}' lists the seven days' names, Monday first", reading.path, section.line_of(name))
    return tuple(names)


def _trim(section, name, key, reading) -> tuple[float, float]:
    trim = get(section, name, reading.path, list)
    low, high = key.range
    if len(trim) != 2 or not all(isinstance(v, NUMBER) and not isinstance(v, bool) and low <= v <= high
                                 for v in trim):
        raise LayoutError(f"'{name}' is the trimmed page's [width, height] in mm, each {low:g} to {high:g}",
                          reading.path, section.line_of(name))
    return float(trim[0]), float(trim[1])


def _hyphenation(section, name, key, reading) -> str | None:
    language = get(section, name, reading.path, str)
    if language != "none" and language not in pyphen.LANGUAGES:
        raise LayoutError(f"'{name}' must be none or a hyphenation dictionary such as en_US, not '{language}'",
                          reading.path, section.line_of(name))
    return None if language == "none" else language


def _hao_table(section, name, key, reading) -> dict[str, float]:
    """The 号 table in use, by name, from styles/hao.yaml; the sizes read after it use it."""
    table = get(section, name, reading.path, str)
    if table not in reading.tables:
        raise LayoutError(f"{name} '{table}' is not one of {', '.join(reading.tables)}", reading.path,
                          section.line_of(name))
    reading.hao = dict(reading.tables[table])
    return reading.hao


def _text_styles(section, name, key, reading) -> dict[str, TextStyle]:
    """Each kind of text: a font role and a size; run-in bold (`bold`) only a font, at the body's size."""
    path = reading.path
    kinds = get(section, name, path, dict)
    text = {kind: TextStyle(font=get(spec, "font", path, str),
                            size_pt=parse_size(get(spec, "size", path), reading.hao, path, spec.line))
            for kind, spec in kinds.items() if kind != "bold"}
    if "bold" in kinds and "body" in text:
        bold = get(kinds, "bold", path, dict)
        if "size" in bold:
            raise LayoutError("text.bold is run-in bold inside body lines, at the body's size: give it only a "
                              "font", path, kinds.line_of("bold"))
        text["bold"] = TextStyle(font=get(bold, "font", path, str), size_pt=text["body"].size_pt)
    missing = set(key.choices) - set(text)
    if missing:
        raise LayoutError(f"text styles missing for: {', '.join(sorted(missing))}", path, kinds.line)
    return text


READERS: dict[str, Reader] = {
    "number": _number, "integer": _integer, "flag": _flag, "text": _text, "characters": _chars,
    "choice": _choice, "grid alignment": _strict_grid, "words": _words, "word set": _word_set, "texts": _texts, "forms": _forms, "size": _size,
    "template": _template, "file name": _file_name, "colour": _cmyk, "ICC profile": _profile,
    "time zone": _time_zone, "weekday names": _weekdays, "trim": _trim, "hyphenation": _hyphenation,
    "号 table": _hao_table, "text styles": _text_styles,
}
