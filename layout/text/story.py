"""Story source → typed story: front matter, paragraphs, subheads, closing lines, verse and name
lists, run-in bold; the text normalised (forms.py)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from ..errors import LayoutError
from ..style import HouseStyle
from ..yamlsource import LocatedDict, parse_yaml, read_text_file, text_value
from .forms import join_source_lines, normalise


@dataclass(frozen=True)
class Paragraph:
    text: str
    number: int        # 1-based among the story's paragraphs, for messages
    line: int          # source line where it starts
    bold: tuple[tuple[int, int], ...] = ()   # run-in bold (**本报讯**): start and end offsets in text


@dataclass(frozen=True)
class Subhead:
    text: str
    line: int


@dataclass(frozen=True)
class ClosingLines:
    """`::: right` … `:::`: lines set flush right (signature and date of a notice)."""

    lines: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Verse:
    """`::: verse` … `:::`: a poem or lyrics, each line kept as written, set solid (no justification,
    no paragraph indent)."""

    lines: tuple[str, ...]
    line: int


@dataclass(frozen=True)
class Names:
    """`::: names` … `:::`: a list of names (名单), aligned on a character grid; two-character names
    spread to the width of three (均排)."""

    names: tuple[str, ...]
    line: int


StoryItem = Paragraph | Subhead | ClosingLines | Verse | Names
BLOCK_KINDS = {"right": ClosingLines, "verse": Verse, "names": Names}
# Between names: spaces (ASCII or full-width), 、 and ， — however a reporter typed the list.
NAME_SEPARATORS = re.compile(r"[\s\u3000、，,]+")
# A two-character name padded by hand to three (王　明): no Chinese name is one character, so two lone
# characters with one full-width space between them are one name (the engine spreads it itself, 均排).
PADDED_NAME = re.compile(r"(?<![^\s\u3000、，,])([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])\u3000"
                         r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])(?![^\s\u3000、，,])")


@dataclass(frozen=True)
class Story:
    id: str
    path: Path
    headline: str
    kicker: str | None
    deck: str | None
    byline: str | None
    jump_headline: str | None
    kind: str | None
    items: tuple[StoryItem, ...]
    lines: Mapping[str, int] = field(default_factory=dict)   # front matter key → its line, for messages


FRONT_MATTER_KEYS = {"kicker", "headline", "deck", "byline", "jump-headline", "kind"}
STORY_KINDS = {"notice"}


def _split_front_matter(source: str, path: Path) -> tuple[str, str, int]:
    lines = source.split("\n")
    if not lines or lines[0].strip() != "---":
        raise LayoutError("a story starts with front matter between two '---' lines "
                          "(at least 'headline: …')", path, 1)
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            return "\n".join(lines[1:end]), "\n".join(lines[end + 1:]), end + 2
    raise LayoutError("front matter is not closed: add a line '---' after it", path, 1)


# Headline group texts may carry the editor's own line breaks (a newline in the front matter).
BREAKABLE_KEYS = {"kicker", "headline", "deck", "jump-headline"}


def _optional_text(meta: LocatedDict, key: str, path: Path, style: HouseStyle) -> str | None:
    value = text_value(meta, key, path, breaks=key in BREAKABLE_KEYS)
    if value is None:
        return None
    _no_bold(value, f"the {key.replace('-', ' ')}", path, meta.line_of(key))
    if key == "byline":
        # Its spaces part its words (a role, a name) and parts (the full-width space): MX-2's absorbing
        # of a space at a Han–Latin boundary is for prose, and would fuse 通讯员 Catherine into one word
        # and the parts either side of a Latin name into one.
        return "".join(part if part.isspace() else normalise(part, style) for part in _BYLINE_SPACES.split(value))
    return "\n".join(normalise(line, style) for line in value.split("\n"))


_BYLINE_SPACES = re.compile(r"(\s+)")


def parse_story(story_id: str, path: Path, source: str, style: HouseStyle) -> Story:
    front, body, body_line = _split_front_matter(source, path)
    meta = parse_yaml(front, path, line_offset=1, text_only=True)
    if not isinstance(meta, dict):
        raise LayoutError("front matter must be 'key: value' lines", path, 2)
    for key in meta:
        if key not in FRONT_MATTER_KEYS:
            raise LayoutError(f"unknown front matter key '{key}' (known: {', '.join(sorted(FRONT_MATTER_KEYS))})",
                              path, meta.line_of(key))
    headline = _optional_text(meta, "headline", path, style)
    if headline is None:
        raise LayoutError("a story needs a 'headline' (PE-1: a kicker or deck alone is not a headline group)",
                          path, getattr(meta, "line", 2))
    kind = meta.get("kind")
    if kind is not None and (not isinstance(kind, str) or kind not in STORY_KINDS):
        raise LayoutError(f"kind '{kind}' is not known (known: {', '.join(sorted(STORY_KINDS))})",
                          path, meta.line_of("kind"))
    items = _parse_body(body, body_line, path, style)
    if not items:
        raise LayoutError("the story has no text after its front matter", path, body_line)
    return Story(id=story_id, path=path, headline=headline,
                 kicker=_optional_text(meta, "kicker", path, style),
                 deck=_optional_text(meta, "deck", path, style),
                 byline=_optional_text(meta, "byline", path, style),
                 jump_headline=_optional_text(meta, "jump-headline", path, style),
                 kind=kind, items=tuple(items), lines={key: meta.line_of(key) for key in meta})


def _parse_body(body: str, first_line: int, path: Path, style: HouseStyle) -> list[StoryItem]:
    items: list[StoryItem] = []
    pending: list[str] = []
    pending_line = 0
    closing: list[str] | None = None       # the lines of an open ::: block
    closing_line = 0
    block_kind = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            text, bold = _bold_spans(normalise(join_source_lines(pending), style), path, pending_line)
            number = sum(isinstance(item, Paragraph) for item in items) + 1
            items.append(Paragraph(text=text, number=number, line=pending_line, bold=bold))
            pending = []

    for line_no, raw in _source_lines(body, first_line):
        stripped = raw.strip()
        if closing is not None:
            if stripped == ":::":
                if not closing:
                    raise LayoutError(f"empty '::: {block_kind}' block", path, closing_line)
                items.append(_block_item(block_kind, closing, closing_line, path, style))
                closing = None
            elif stripped.startswith(":::") or stripped == "##" or stripped.startswith("## "):
                what = "another block" if stripped.startswith(":::") else "a subhead"
                raise LayoutError(f"'{stripped}' stands inside the '::: {block_kind}' block opened on line "
                                  f"{closing_line}, and {what} cannot: close that block with a line ':::' first",
                                  path, line_no)
            elif stripped:
                closing.append(_no_bold(stripped, f"a '::: {block_kind}' block", path, line_no))
            continue
        if stripped.startswith(":::"):
            flush()
            words = stripped.split()
            if len(words) != 2 or words[0] != ":::" or words[1] not in BLOCK_KINDS:
                raise LayoutError(f"unknown block '{stripped}': the known ones are "
                                  f"{', '.join(f'::: {kind}' for kind in BLOCK_KINDS)}, each closed by ':::'",
                                  path, line_no)
            closing, closing_line, block_kind = [], line_no, words[1]
        elif stripped == "##" or stripped.startswith("## "):
            flush()
            if not stripped[2:].strip():
                raise LayoutError("'## ' starts a subhead, but no text follows it; write the subhead after it or "
                                  "delete the line", path, line_no)
            items.append(Subhead(text=normalise(_no_bold(stripped[3:].strip(), "a subhead", path, line_no), style),
                                 line=line_no))
        elif stripped.startswith("#"):
            raise LayoutError("only '## ' subheads are known; the headline goes in the front matter", path, line_no)
        elif not stripped:
            flush()
        else:
            if not pending:
                pending_line = line_no
            pending.append(stripped)
    if closing is not None:
        raise LayoutError(f"'::: {block_kind}' is not closed: add a line ':::'", path, closing_line)
    flush()
    return items


def _source_lines(body: str, first_line: int):
    """(line number, text) of each line of a story's body. A paragraph separator (U+2029, pasted from
    a word processor) ends a paragraph as a blank line does, a line separator (U+2028) a line."""
    for offset, raw in enumerate(body.split("\n")):
        for index, part in enumerate(raw.split("\u2029")):
            if index:
                yield first_line + offset, ""
            for piece in part.split("\u2028"):
                yield first_line + offset, piece


def _bold_spans(marked: str, path: Path, line: int) -> tuple[str, tuple[tuple[int, int], ...]]:
    """The text without its ** marks, and the spans they set bold."""
    parts = marked.split("**")
    if len(parts) % 2 == 0:
        raise LayoutError("a '**' has no partner: run-in bold is written **本报讯**, a pair of '**' around it",
                          path, line)
    text, spans = "", []
    for number, part in enumerate(parts):
        if number % 2:
            if not part.strip():
                raise LayoutError("a pair of '**' holds nothing to set bold: write **本报讯** or remove the '****'",
                                  path, line)
            spans.append((len(text), len(text) + len(part)))
        text += part
    return text, tuple(spans)


def _no_bold(text: str, what: str, path: Path, line: int) -> str:
    if "**" in text:
        raise LayoutError(f"run-in bold (**…**) is for paragraphs; {what} is set in its own face: remove the **",
                          path, line)
    return text


def _block_item(kind: str, lines: list[str], line: int, path: Path, style: HouseStyle) -> StoryItem:
    if kind == "names":
        names = tuple(normalise(name, style) for text in lines
                      for name in NAME_SEPARATORS.split(PADDED_NAME.sub(r"\1\2", text)) if name)
        if not names:
            raise LayoutError("the '::: names' block holds no name, only separators: write the names, one or "
                              "more a line, or delete the block", path, line)
        return Names(names=names, line=line)
    return BLOCK_KINDS[kind](lines=tuple(normalise(text, style) for text in lines), line=line)


# A long feature is some ten thousand characters (30 KB); a file far beyond that is a mistake, and
# would keep the composer busy for minutes.
MAX_STORY_BYTES = 1024 * 1024


def read_story(story_id: str, path: Path, style: HouseStyle) -> Story:
    try:
        source = read_text_file(path, MAX_STORY_BYTES, f"larger than {MAX_STORY_BYTES // 1024} KB; a story is a "
                                                      "few thousand characters — is this the right file?")
    except FileNotFoundError:
        raise LayoutError(f"story '{story_id}' has no file; create {path.name} in stories/", path) from None
    except UnicodeDecodeError:
        raise LayoutError("not UTF-8 text; save the file as UTF-8", path) from None
    except OSError as exc:      # a folder by that name, a file one may not read
        raise LayoutError(f"story '{story_id}' cannot be read: {exc.strerror}", path) from None
    return parse_story(story_id, path, source.replace("\r\n", "\n"), style)
