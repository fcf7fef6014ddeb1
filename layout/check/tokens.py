"""A content stream read as operations (ISO 32000-1 §7.8.2), fast: a dense newspaper page has some
ten thousand of them, and a general PDF object parser reads them ten times slower than these
regular expressions do. Names come back as "/Name" strings, numbers as floats, strings as the bytes
they encode, arrays as lists, and an inline image as the operator "INLINE IMAGE" with its
parameters as a dict."""
from __future__ import annotations

import re
from typing import Iterator

_TOKEN = re.compile(rb"""
    (?P<space>(?:\s|%[^\r\n]*)+)
  | (?P<number>[+-]?(?:\d+\.?\d*|\.\d+))(?![^\s/\[\]()<>{}%])
  | (?P<name>/[^\s/\[\]()<>{}%]*)
  | (?P<literal>\()
  | (?P<dict><<)
  | (?P<dict_end>>>)
  | (?P<hex><[0-9A-Fa-f\s]*>)
  | (?P<array>\[)
  | (?P<array_end>\])
  | (?P<word>[^\s/\[\]()<>{}%]+)
""", re.X)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_LITERAL_PART = re.compile(rb"\\([0-7]{1,3}|\r\n|[\r\n]|.)|([()])|[^\\()]+", re.S)
_INLINE_IMAGE_DATA = re.compile(rb"(?<=\s)ID(?=\s)")
_INLINE_IMAGE_END = re.compile(rb"\sEI(?=\s|$)")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _literal(data: bytes, position: int) -> tuple[bytes, int]:
    """The string that starts after the `(` at `position`: balanced parentheses, escapes resolved."""
    depth, out = 1, bytearray()
    for match in _LITERAL_PART.finditer(data, position):
        escape, paren = match.group(1), match.group(2)
        if escape is not None:
            if escape[:1].isdigit():
                out.append(int(escape, 8) & 0xFF)
            elif escape[:1] not in b"\r\n":          # a backslash before a line end continues the line
                out += _ESCAPES.get(escape, escape)
        elif paren == b"(":
            depth += 1
            out += paren
        elif paren == b")":
            depth -= 1
            if depth == 0:
                return bytes(out), match.end()
            out += paren
        else:
            out += match.group(0)
    raise ValueError("a string in the content stream is not closed")


def _name(raw: bytes) -> str:
    return "/" + _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), raw[1:]).decode("latin-1")


def operations(data: bytes) -> Iterator[tuple[list, str]]:
    """Every (operands, operator) of a content stream, in order."""
    stack: list[list] = [[]]           # open arrays and dicts; the bottom one holds the operands
    position, length = 0, len(data)
    while position < length:
        match = _TOKEN.match(data, position)
        if match is None:
            raise ValueError(f"unreadable content at byte {position}")
        kind, token = match.lastgroup, match.group(0)
        position = match.end()
        if kind == "space":
            continue
        if kind == "number":
            value = float(token)
        elif kind == "name":
            value = _name(token)
        elif kind == "literal":
            value, position = _literal(data, position)
        elif kind == "hex":
            digits = re.sub(rb"\s", b"", token[1:-1])
            value = bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())
        elif kind in ("array", "dict"):
            stack.append([])
            continue
        elif kind == "array_end" and len(stack) > 1:
            value = stack.pop()
        elif kind == "dict_end" and len(stack) > 1:
            items = stack.pop()
            value = dict(zip(items[::2], items[1::2]))
        elif kind == "word" and token in (b"true", b"false", b"null"):
            value = {b"true": True, b"false": False, b"null": None}[token]
        elif kind == "word" and len(stack) == 1:
            operator = token.decode("latin-1")
            if operator == "BI":            # BI <parameters> ID <binary data> EI
                start = _INLINE_IMAGE_DATA.search(data, position)
                end = _INLINE_IMAGE_END.search(data, start.end()) if start else None
                if end is None:
                    raise ValueError(f"an inline image at byte {position} does not end")
                parameters = next(operations(data[position:start.end()]))[0]
                yield dict(zip(parameters[::2], parameters[1::2])), "INLINE IMAGE"
                position = end.end()
                continue
            yield stack[0], operator
            stack[0] = []
            continue
        else:
            raise ValueError(f"unexpected {token[:20]!r} at byte {match.start()}")
        stack[-1].append(value)
