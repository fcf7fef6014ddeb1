"""Compositions kept from one flow of an edition to the next: the lines of each paragraph, headline
and byline, by everything that decides them. An editor's night is edit, fit, render, again and
again, and an edit changes one story: the next flow takes the other stories' lines from here
instead of breaking them again (breaking is most of the flow's time).

A flow's compositions are kept in one cache file an edition, named by the engine (its code and
libraries), the house style, the fonts and the edition: another of any of them finds no file.
Inside, each composition is found by what the composer was asked (text kind, text, measure, size,
indent, …), as the flow asks it. The file holds JSON (a cache shared between machines must never
hold code to run), and only what the last flow used, so it does not grow as the stories change."""
from __future__ import annotations

import dataclasses
import json
from typing import Callable, Hashable, Mapping

from ..cachefile import cache_dir, cache_key, read_cache_file, write_cache_file
from .lines import Glyph, Line


class Compositions:
    """What an earlier flow composed (this one may take it) and what this one composed (the next
    may take it): `composed(key, compose)` is compose(), or the earlier answer to the same key."""

    def __init__(self, earlier: dict | None = None):
        self.earlier = earlier or {}
        self.now: dict = {}

    def composed(self, key: Hashable, compose: Callable[[], object]):
        if key not in self.now:
            self.now[key] = self.earlier[key] if key in self.earlier else compose()
        return self.now[key]

    @property
    def changed(self) -> bool:
        """Whether the next flow would find other compositions than the earlier flow left: only a
        key the earlier flow did not have is composed anew, so the same keys hold the same lines."""
        return self.now.keys() != self.earlier.keys()


def _canonical(value) -> str:
    """A value's text, the same in every run: sets sorted (their order follows the run's string
    hashing), dataclasses and mappings field by field."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ", ".join(f"{f.name}={_canonical(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__name__}({fields})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(sorted(f"{_canonical(k)}: {_canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_canonical(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_canonical(v) for v in value) + ")"
    return repr(value)


def _name(identity: tuple) -> str:
    return cache_key("compositions", _canonical(identity)) + ".json"


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _encode(value) -> list:
    if isinstance(value, tuple) and all(isinstance(line, Line) for line in value):
        # Field by field in the dataclasses' order (a field added to Line is kept, or refused by _line).
        return ["lines", [[list(line.glyphs),
                           *(getattr(line, f.name) for f in dataclasses.fields(Line)[1:])] for line in value]]
    return ["value", value]


def _glyph(char, x, advance, feature, bold) -> Glyph:
    if not (isinstance(char, str) and isinstance(x, (int, float)) and isinstance(advance, int)
            and isinstance(feature, (str, type(None))) and isinstance(bold, bool)):
        raise ValueError("not a glyph")
    return Glyph(char, x, advance, feature, bold)


def _line(glyphs, start, end, width, *flags_and_copy) -> Line:
    *flags, copy, space_after = flags_and_copy
    if not (isinstance(start, int) and isinstance(end, int) and isinstance(width, (int, float))
            and isinstance(copy, str) and all(isinstance(flag, bool) for flag in (*flags, space_after))):
        raise ValueError("not a line")
    return Line(tuple(_glyph(*glyph) for glyph in glyphs), start, end, width, *flags, copy, space_after)


def _decode(value):
    kind, data = value
    if kind == "lines":
        return tuple(_line(*line) for line in data)
    return _tuples(data)


def load(*identity) -> Compositions:
    """The compositions kept for this identity (the edition, house style and fonts), to be
    taken by a flow; none when there are none or they cannot be read."""
    data = read_cache_file(cache_dir() / "compositions" / _name(identity))
    if data is None:
        return Compositions()
    try:
        return Compositions({_tuples(key): _decode(value) for key, value in json.loads(data)})
    except (ValueError, TypeError):
        return Compositions()


def store(compositions: Compositions, *identity) -> None:
    """Keep what a flow composed for the next flow of the same identity."""
    if not compositions.changed:
        return
    pairs = [[key, _encode(value)] for key, value in compositions.now.items()]
    write_cache_file(cache_dir() / "compositions" / _name(identity), json.dumps(pairs, ensure_ascii=False).encode())
