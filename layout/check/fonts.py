"""Embedded fonts checked the way a conforming reader uses them (ISO 32000-1 §9.7.4, §9.10).

Every code a page shows in a composite (Type 0) font goes through the font's CMap to a CID, through
the CIDFont's own table — the charset of a CID-keyed CFF, or CIDToGIDMap for TrueType — to a glyph.
That glyph must exist, be drawn when it stands for text, and have the width the PDF claims.

pdfium and poppler do not use the charset of a CFF wrapped in OpenType (FontFile3 /OpenType): they
take the code as the glyph index. There a code must also resolve to the glyph of the same index, or
the readers print different glyphs — the fault of a subset that keeps the original font's CIDs.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Callable, Mapping

from fontTools.cffLib import CFFFontSet
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

WIDTH_TOLERANCE = 1.0        # 1/1000 em: rounding, not a different glyph
EXAMPLES = 4                 # codes named per message


@dataclass(frozen=True)
class FontProgram:
    """An embedded font program, reduced to what resolving a code needs."""

    wrapped: bool                             # inside an OpenType file (FontFile3 /OpenType)
    glyph_count: int
    cid_table: Mapping[int, int] | None       # CID → glyph of a CID-keyed CFF; None: CID is the glyph index
    advance: Callable[[int], float]           # glyph → advance width in 1/1000 em
    drawn: Callable[[int], bool]              # glyph → whether it has an outline


# The number of operands the first operator of a Type 2 charstring takes, modulo 2; one more means
# the charstring begins with its width (CFF spec, Technical Note #5177 §4).
_OPERAND_PARITY = {"hstem": 0, "vstem": 0, "hstemhm": 0, "vstemhm": 0, "hintmask": 0, "cntrmask": 0,
                   "rmoveto": 0, "hmoveto": 1, "vmoveto": 1, "endchar": 0}


def _charstring_facts(charstring) -> tuple[bool, float]:
    """(draws anything, advance width in font units) of a Type 2 charstring, read from the operands
    before its first operator — a glyph with no outline is `[width] endchar`. A charstring that
    begins in a subroutine is run in full."""
    operands, index = [], 0
    while True:
        token, is_operator, index = charstring.getToken(index)
        if token is None or is_operator:
            break
        operands.append(token)
    private = charstring.private
    if token not in _OPERAND_PARITY:
        pen = BoundsPen(None)
        charstring.draw(pen)
        return pen.bounds is not None, charstring.width
    with_width = len(operands) % 2 != _OPERAND_PARITY[token] if token != "endchar" else len(operands) in (1, 5)
    width = private.nominalWidthX + operands[0] if with_width else private.defaultWidthX
    return token != "endchar", width


def _cff_program(cff: CFFFontSet, wrapped: bool, font: TTFont | None) -> FontProgram:
    top = cff.topDictIndex[0]
    char_strings = top.CharStrings
    names = top.charset
    cid_keyed = hasattr(top, "ROS")
    table = {int(name[3:]) if gid else 0: gid for gid, name in enumerate(names)} if cid_keyed else None
    scale = top.FontMatrix[0] * 1000
    facts: dict[int, tuple[bool, float]] = {}

    def glyph(gid: int) -> tuple[bool, float]:
        if gid not in facts:
            charstring, selector = char_strings.getItemAndSelector(names[gid])
            drawn, width = _charstring_facts(charstring)
            matrix = scale
            if selector is not None and "FontMatrix" in top.FDArray[selector].rawDict:
                matrix *= top.FDArray[selector].FontMatrix[0]
            facts[gid] = (drawn, width * matrix)
        return facts[gid]

    if font is not None:          # inside OpenType, readers take the advance from hmtx
        hmtx, units = font["hmtx"].metrics, font["head"].unitsPerEm
        order = font.getGlyphOrder()

        def advance(gid: int) -> float:
            return hmtx[order[gid]][0] * 1000 / units
    else:
        def advance(gid: int) -> float:
            return glyph(gid)[1]
    return FontProgram(wrapped=wrapped, glyph_count=len(names), cid_table=table, advance=advance,
                       drawn=lambda gid: glyph(gid)[0])


def _truetype_program(font: TTFont, wrapped: bool) -> FontProgram:
    order = font.getGlyphOrder()
    hmtx, units = font["hmtx"].metrics, font["head"].unitsPerEm
    glyf = font["glyf"]

    def drawn(gid: int) -> bool:
        return glyf[order[gid]].numberOfContours != 0

    return FontProgram(wrapped=wrapped, glyph_count=len(order), cid_table=None,
                       advance=lambda gid: hmtx[order[gid]][0] * 1000 / units, drawn=drawn)


def read_program(descriptor) -> FontProgram | None:
    """The font program of a font descriptor, or None when none is embedded. Raises ValueError
    (with the reason) when it is embedded but cannot be read."""
    try:
        if "/FontFile2" in descriptor:
            return _truetype_program(TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data())), False)
        if "/FontFile3" not in descriptor:
            return None
        stream = descriptor["/FontFile3"].get_object()
        data = stream.get_data()
        if stream.get("/Subtype") == "/OpenType":
            font = TTFont(io.BytesIO(data))
            if "CFF " in font:
                return _cff_program(font["CFF "].cff, True, font)
            return _truetype_program(font, True)
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(data), TTFont())
        return _cff_program(cff, False, None)
    except Exception as error:      # a broken program is a finding, whatever fontTools raises on it
        raise ValueError(f"{type(error).__name__}: {error}") from error


# CMaps: the Encoding of a Type 0 font (codes → CIDs) and its ToUnicode (codes → text).

MAX_LISTED_CODES = 1 << 17
_TOKEN = re.compile(rb"<([0-9A-Fa-f\s]*)>|\[|\]|/[^\s/<>\[\]()]+|[A-Za-z]+|-?\d+")


@dataclass(frozen=True)
class CMap:
    code_lengths: tuple[tuple[int, int, int], ...]   # (length, first, last) per codespace range
    ranges: tuple[tuple[int, int, object], ...]       # (first, last, destination): a CID or a text

    def codes(self, string: bytes) -> list[bytes]:
        """Split a shown string into codes by the codespace ranges (one byte when none matches)."""
        codes, position = [], 0
        while position < len(string):
            for length, first, last in self.code_lengths:
                chunk = string[position:position + length]
                if len(chunk) == length and first <= int.from_bytes(chunk, "big") <= last:
                    break
            else:
                chunk = string[position:position + 1]
            codes.append(chunk)
            position += len(chunk)
        return codes

    @cached_property
    def _range_of(self) -> dict[int, tuple[int, int, object]] | None:
        """Each code's range (the first that holds it), when the ranges hold few enough codes to
        list: a page looks up a thousand codes, and a ToUnicode has a range for each."""
        if sum(last - first + 1 for first, last, _ in self.ranges) > MAX_LISTED_CODES:
            return None
        table = {}
        for entry in reversed(self.ranges):
            table.update(dict.fromkeys(range(entry[0], entry[1] + 1), entry))
        return table

    def lookup(self, code: bytes):
        value = int.from_bytes(code, "big")
        listed = self._range_of
        candidates = self.ranges if listed is None else [listed[value]] if value in listed else []
        for first, last, destination in candidates:
            if first <= value <= last:
                if isinstance(destination, int):
                    return destination + value - first
                if isinstance(destination, bytes):       # bfchar, bfrange: the text counts up
                    counted = int.from_bytes(destination, "big") + value - first
                    return counted.to_bytes(len(destination), "big").decode("utf-16-be", "replace")
                return destination[value - first].decode("utf-16-be", "replace")
        return None


IDENTITY = CMap(code_lengths=((2, 0, 0xFFFF),), ranges=((0, 0xFFFF, 0),))


def parse_cmap(data: bytes) -> CMap:
    """A CMap program: codespace ranges, cidchar/cidrange (to CIDs) and bfchar/bfrange (to text)."""
    tokens = [(match.group(1), match.group(0)) for match in _TOKEN.finditer(data)]
    spaces, ranges = [], []
    section, operands = None, []
    for hexdigits, raw in tokens:
        if hexdigits is None and raw.isalpha():
            keyword = raw.decode()
            if keyword.startswith("begin"):
                section, operands = keyword[5:], []
            elif keyword.startswith("end"):
                section = None
            continue
        if section is None:
            continue
        value = bytes.fromhex(hexdigits.decode()) if hexdigits is not None else raw
        operands.append(value)
        if section == "codespacerange" and len(operands) == 2:
            first, last = operands
            spaces.append((len(first), int.from_bytes(first, "big"), int.from_bytes(last, "big")))
            operands = []
        elif section in ("cidchar", "bfchar") and len(operands) == 2:
            code, destination = operands
            first = int.from_bytes(code, "big")
            ranges.append((first, first, int(destination) if section == "cidchar" else destination))
            operands = []
        elif section in ("cidrange", "bfrange") and (len(operands) == 3 and operands[2] != b"["
                                                       or operands[-1:] == [b"]"]):
            first, last, *destination = operands
            if section == "cidrange":
                destination = int(destination[0])
            elif destination[0] == b"[":
                destination = destination[1:-1]
            else:
                destination = destination[0]
            ranges.append((int.from_bytes(first, "big"), int.from_bytes(last, "big"), destination))
            operands = []
    lengths = tuple(sorted(spaces)) or ((2, 0, 0xFFFF),)
    return CMap(code_lengths=lengths, ranges=tuple(ranges))


def _widths(descendant) -> tuple[dict[int, float], float]:
    """The W array of a CIDFont as CID → width, and its default width."""
    widths: dict[int, float] = {}
    items = [_resolved(item) for item in _resolved(descendant.get("/W")) or []]
    position = 0
    while position < len(items):
        first = int(items[position])
        following = items[position + 1]
        if isinstance(following, list):
            for offset, width in enumerate(following):
                widths[first + offset] = float(_resolved(width))
            position += 2
        else:
            for cid in range(first, int(following) + 1):
                widths[cid] = float(items[position + 2])
            position += 3
    return widths, float(descendant.get("/DW", 1000))


def _resolved(item):
    return item.get_object() if hasattr(item, "get_object") else item


def _encoding(font) -> CMap | None:
    encoding = font.get("/Encoding")
    if encoding is None:
        return None
    encoding = encoding.get_object()
    if isinstance(encoding, str):
        return IDENTITY if encoding in ("/Identity-H", "/Identity-V") else None
    return parse_cmap(encoding.get_data())


def _examples(items: list[str]) -> str:
    return "; ".join(items[:EXAMPLES]) + ("; …" if len(items) > EXAMPLES else "")


def composite_font_problems(font, strings: set[bytes], programs: dict[int, FontProgram | None]) -> list[str]:
    """What a conforming reader would get wrong showing these strings in this Type 0 font. A
    predefined CMap other than Identity (which needs the reader's CMap files) is not followed."""
    name = str(font.get("/BaseFont", "?")).lstrip("/")
    try:
        return _composite_font_problems(font, name, strings, programs)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
        return [f"font {name}: its dictionaries cannot be followed ({type(error).__name__}: {error})"]


def _composite_font_problems(font, name: str, strings: set[bytes], programs: dict[int, FontProgram | None]) -> list[str]:
    descendant = font["/DescendantFonts"][0].get_object()
    descriptor = descendant.get("/FontDescriptor")
    encoding = _encoding(font)
    if descriptor is None or encoding is None:
        return []
    descriptor = descriptor.get_object()
    key = id(descriptor)
    if key not in programs:
        try:
            programs[key] = read_program(descriptor)
        except ValueError as error:
            programs[key] = None
            return [f"font {name}: its embedded font program cannot be read ({error})"]
    program = programs[key]
    if program is None:
        return []
    to_unicode = parse_cmap(font["/ToUnicode"].get_object().get_data()) if "/ToUnicode" in font else None
    gid_map = None
    if descendant.get("/Subtype") == "/CIDFontType2":
        cid_to_gid = descendant.get("/CIDToGIDMap")
        if cid_to_gid is not None and not isinstance(cid_to_gid.get_object(), str):
            gid_map = cid_to_gid.get_object().get_data()
    widths, default_width = _widths(descendant)
    unresolved, disagreeing, notdef, beyond, empty, wrong_width = [], [], [], [], [], []
    for code in sorted({code for string in strings for code in encoding.codes(string)}):
        label = f"<{code.hex()}>"
        cid = encoding.lookup(code)
        if cid is None:
            unresolved.append(label)
            continue
        if program.cid_table is not None:
            gid = program.cid_table.get(cid)
            if gid is None:
                unresolved.append(label)
                continue
            if program.wrapped and gid != cid:
                disagreeing.append(label)
        elif gid_map is not None:
            gid = int.from_bytes(gid_map[2 * cid:2 * cid + 2], "big") if 2 * cid + 2 <= len(gid_map) else 0
        else:
            gid = cid
        if gid >= program.glyph_count:
            beyond.append(label)
            continue
        text = to_unicode.lookup(code) if to_unicode is not None else None
        if gid == 0:
            notdef.append(label + (f" '{text}'" if text else ""))
            continue
        if text and not text.isspace() and not program.drawn(gid):
            empty.append(f"{label} '{text}'")
        claimed = widths.get(cid, default_width)
        actual = program.advance(gid)
        if abs(claimed - actual) > WIDTH_TOLERANCE:
            wrong_width.append(f"{label}: {claimed:g} in the PDF, {actual:g} in the font")
    problems = []
    if unresolved:
        problems.append(f"font {name}: {len(unresolved)} codes do not resolve to a glyph through the font's "
                        f"CID table ({_examples(unresolved)}); Ghostscript, MuPDF and RIPs print them as "
                        ".notdef or not at all")
    if disagreeing:
        problems.append(f"font {name}: {len(disagreeing)} codes resolve through the font's CID table to other "
                        f"glyphs than their glyph index ({_examples(disagreeing)}); pdfium/poppler and "
                        "Ghostscript/MuPDF/RIPs print different glyphs")
    if beyond:
        problems.append(f"font {name}: {len(beyond)} codes point beyond the font's {program.glyph_count} glyphs "
                        f"({_examples(beyond)})")
    if notdef:
        problems.append(f"font {name}: {len(notdef)} codes print the .notdef glyph ({_examples(notdef)})")
    if empty:
        problems.append(f"font {name}: {len(empty)} glyphs are empty though they stand for text "
                        f"({_examples(empty)})")
    if wrong_width:
        problems.append(f"font {name}: {len(wrong_width)} widths differ from the font's "
                        f"({_examples(wrong_width)})")
    return problems
