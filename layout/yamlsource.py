"""YAML reading that remembers source lines, so errors can point at them."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

import yaml

from .cachefile import regular_file
from .errors import LayoutError


class LocatedDict(dict):
    """A mapping from YAML that knows the line of itself and of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


# Plans, stories and house styles are plain data: mappings, lists and the scalars YAML resolves by
# itself. Anything else is refused with its line rather than constructed.
_PLAIN_TAGS = {"tag:yaml.org,2002:" + name for name in ("str", "int", "float", "bool", "null", "timestamp")}
MAX_DEPTH = 32                   # nesting of mappings and lists; a real plan needs five
MAX_BYTES = 8 * 1024 * 1024      # a YAML file or a story's front matter


def _convert(node: yaml.Node, file: Path, line_offset: int, text_only: bool, depth: int = 0) -> Any:
    line = node.start_mark.line + 1 + line_offset
    if depth > MAX_DEPTH:
        raise LayoutError(f"nested more than {MAX_DEPTH} levels deep; a plan is a few levels of mappings and "
                          "lists", file, line)
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _tag_error(node, file, line)
        out = LocatedDict()
        out.line = line
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, file, line_offset, text_only, depth + 1)
            key_line = key_node.start_mark.line + 1 + line_offset
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise LayoutError(f"a key must be a name, not {_shown(key)}", file, key_line)
            if key in out:
                raise LayoutError(f"'{key}' is given twice (first on line {out.key_lines[key]}); keep one",
                                  file, key_line)
            out[key] = _convert(value_node, file, line_offset, text_only, depth + 1)
            out.key_lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _tag_error(node, file, line)
        return [_convert(item, file, line_offset, text_only, depth + 1) for item in node.value]
    if node.tag != _implicit(node) or node.tag not in _PLAIN_TAGS:
        raise _tag_error(node, file, line)
    if text_only:
        return None if not node.style and node.value in ("", "~", "null", "Null", "NULL") else node.value
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as exc:
        if node.tag.endswith(":timestamp"):
            raise LayoutError(f"'{node.value}' is not a date that exists (YYYY-MM-DD)", file, line) from None
        problem = getattr(exc, "problem", None) or str(exc)
        raise LayoutError(f"'{node.value}' is not a value YAML can read ({problem}); write it as plain text",
                          file, line) from None


def _tag_error(node: yaml.Node, file: Path, line: int) -> LayoutError:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return LayoutError(f"YAML tags such as '{tag}' are not allowed here; write the value as plain text", file, line)


def _shown(value: Any) -> str:
    return {dict: "a mapping", LocatedDict: "a mapping", list: "a list"}.get(type(value), repr(value))


def _implicit(node: yaml.ScalarNode) -> str:
    """The tag YAML itself gives the scalar as written (so that an explicit tag can be told apart). A
    plain scalar's style is None from PyYAML, "" from libyaml."""
    return _RESOLVER.resolve(yaml.ScalarNode, node.value, (not node.style, bool(node.style)))


_RESOLVER = yaml.resolver.Resolver()        # SafeLoader's


# A plain value may not start with these: YAML reads them as its own syntax.
INDICATORS = "*&!%@`[]{}|>'\""


def _quote_hint(text: str, mark) -> str:
    """What to do when the value on the faulty line starts with a YAML indicator (**本报讯**, @name)."""
    if mark is None or mark.line >= len(text.splitlines()):
        return ""
    key, colon, value = text.splitlines()[mark.line].partition(": ")
    value = value.strip()
    if not colon or not value or value[0] not in INDICATORS or value[0] in "'\"" and value[-1] == value[0]:
        return ""
    return (f"; a value that starts with '{value[0]}' is read as YAML syntax: put it in quotes "
            f"({key.strip().lstrip('- ')}: '{value}'), or drop the '{value[0]}'")


def _loader(text: str, file: Path, line_offset: int, loader: type = yaml.CSafeLoader) -> type:
    """The loader to compose the text with, once its events are read and found plain: libyaml's
    (ten times faster) unless the text nests deeper than MAX_DEPTH, which PyYAML's own composer
    refuses with a RecursionError where libyaml's would run out of stack."""
    depth, deepest = 0, 0
    for event in yaml.parse(text, Loader=loader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise LayoutError(f"YAML anchors and aliases ('&{anchor}', '*{anchor}') are not allowed; write "
                              "each value out", file, event.start_mark.line + 1 + line_offset)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.SafeLoader if deepest > MAX_DEPTH else loader


def parse_yaml(text: str, file: Path, line_offset: int = 0, text_only: bool = False) -> Any:
    """Parse YAML text as plain data; `line_offset` shifts reported lines (front matter inside a
    larger file). With `text_only` every scalar is the text it is written as (a headline that looks
    like a date or `yes` stays text). Anchors and aliases are refused (an alias bomb would expand
    without end), as are tags, repeated keys and deep nesting."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise LayoutError(f"larger than {MAX_BYTES // (1024 * 1024)} MB; a plan or a story's front matter is a "
                          "few kilobytes", file)
    try:
        try:
            loader = _loader(text, file, line_offset)
        except yaml.YAMLError:       # told as PyYAML's own parser tells it (libyaml words it otherwise)
            loader = _loader(text, file, line_offset, yaml.SafeLoader)
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise LayoutError(f"not valid YAML: {problem}{_quote_hint(text, mark)}", file, line) from None
    except RecursionError:
        raise LayoutError(f"nested more than {MAX_DEPTH} levels deep; a plan is a few levels of mappings and "
                          "lists", file) from None
    if node is None:
        return None
    return _convert(node, file, line_offset, text_only)


def read_text_file(path: Path, limit: int, too_large: str) -> str:
    """An input text file whole, UTF-8 with or without a byte order mark; LayoutError(`too_large`)
    past `limit` bytes. A pipe or device in the file's place is an OSError (as a folder is), never a
    read that waits for a writer (cachefile.regular_file)."""
    with regular_file(path) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise LayoutError(too_large, path)
    return data.decode("utf-8-sig")      # a byte order mark is not text


def read_yaml(path: Path) -> Any:
    try:
        text = read_text_file(path, MAX_BYTES,
                              f"larger than {MAX_BYTES // (1024 * 1024)} MB; a YAML file here is a few kilobytes")
    except FileNotFoundError:
        raise LayoutError("file not found", path) from None
    except UnicodeDecodeError:
        raise LayoutError("not UTF-8 text; save the file as UTF-8", path) from None
    except OSError as exc:
        raise LayoutError(f"cannot be read: {exc.strerror}", path) from None
    return parse_yaml(text, path)


# Pasted text brings characters no newspaper prints as they are: invisible marks (soft hyphen,
# zero-width space, word joiner, direction marks, a stray BOM) left gaps in the line; fixed and
# no-break spaces were measured as letters; a letter and its combining accent were drawn apart.
# Joiners other scripts need (ZWJ, ZWNJ, Mongolian's separators) are kept.
INVISIBLE_MARKS = re.compile("[\u00ad\u200b\u2060\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069]")
FIXED_SPACES = re.compile("[\u00a0\u2000-\u200a\u205f]")
COMBINING_SEQUENCE = re.compile("[^\u0300-\u036f][\u0300-\u036f]+")


def plain_characters(text: str) -> str:
    """Invisible marks dropped, fixed and no-break spaces made spaces, a letter and its combining
    accents composed (only those: NFC would also swap CJK compatibility ideographs, which names keep)."""
    text = FIXED_SPACES.sub(" ", INVISIBLE_MARKS.sub("", text))
    return COMBINING_SEQUENCE.sub(lambda found: unicodedata.normalize("NFC", found.group()), text)


def text_value(mapping: LocatedDict, key: str, file: Path, breaks: bool = False) -> str | None:
    """A text value (a name, a headline, a caption): None when absent; numbers are taken as text;
    anything else, an empty value or a control character is refused — a line break too, unless
    `breaks` allows the editor's own line breaks (a headline's), each line then stripped."""
    if key not in mapping or mapping[key] is None:
        return None
    value = mapping[key]
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise LayoutError(f"'{key}' must be text", file, mapping.line_of(key))
    if str(value).strip() == "":
        raise LayoutError(f"'{key}' is empty: give it text, or leave the key out", file, mapping.line_of(key))
    text = plain_characters(str(value)).strip()
    if breaks:      # a line or paragraph separator (U+2028, U+2029) breaks the line as a newline does
        text = "\n".join(line.strip() for line in re.split("[\n\u2028\u2029]", text) if line.strip())
    control = next((ch for ch in text if unicodedata.category(ch) in ("Cc", "Zl", "Zp")
                    and not (breaks and ch == "\n")), None)
    if control is not None:
        if control in "\n\u2028\u2029":
            raise LayoutError(f"'{key}' holds a line break; write it on one line", file, mapping.line_of(key))
        raise LayoutError(f"'{key}' holds a control character (U+{ord(control):04X}{', a tab' * (control == chr(9))}), "
                          "which is not text: delete it (a space, if one is meant)", file, mapping.line_of(key))
    return text
