"""Fonts by role: pinned files, advance widths for the composer, 缺字 (missing glyph) check, and
subsets made with HarfBuzz, cached by content hash outside the tracked tree (and checked against
the hash on every read: a damaged cache heals itself).

In a subset of a CID-keyed CFF face (Noto CJK) each glyph's CID is its glyph index. The page content
addresses glyphs by index, while a conforming reader (Ghostscript, MuPDF, Acrobat, a RIP) looks codes
up through the font's CID table (ISO 32000-1 §9.7.4.2): only when the two agree does every reader
draw the same glyph."""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping

from .cachefile import cache_dir, known_digest, read_cache_file, write_cache_file
from .errors import LayoutError
from .geometry import UNITS_PER_EM
from .yamlsource import read_yaml

if TYPE_CHECKING:
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

# Bump when the subsetting options change, so cached subsets are made anew.
SUBSET_RECIPE = "hb-allfeatures-allnames-nohinting-cid=gid-3"
METRICS_RECIPE = "m5"
# CSS family of a role's subset; SVG graphics name their fonts this way too.
FAMILY_PREFIX = "layout-"
# Where a page's CSS finds its font subsets: served from memory, named by content, not by the cache's
# folder (a page's key holds its CSS, and must be the same wherever the cache is).
SUBSET_URL = "file:///layout-font-subsets/"


def font_family(role: str, index: int = 0) -> str:
    """The CSS family of a role's font (index 0) or of its fallback number `index`."""
    return FAMILY_PREFIX + role + (f"-fallback-{index}" if index else "")


@dataclass(frozen=True)
class FontFace:
    role: str
    family: str
    path: Path
    face: str | None      # full name of the face inside a collection
    sha256: str
    package: str
    fallbacks: tuple[FontFace, ...] = ()    # set what this face lacks, the first that has it

    @property
    def chain(self) -> tuple[FontFace, ...]:
        """The face and its fallbacks, in the order they are asked for a character."""
        return (self, *self.fallbacks)


@dataclass(frozen=True)
class FontMetrics:
    """What the composer and the page need of a font, normalised to 1000 units per em."""

    role: str
    family: str
    advances: Mapping[str, int]    # character → advance width
    ascent: float                  # hhea, in em: CSS places the baseline with these
    descent: float
    full_width: Mapping[str, int] = field(default_factory=dict)   # advance of the `fwid` form, where
                                                                   # the font has one (— → 1 em)
    half_width: Mapping[str, int] = field(default_factory=dict)   # 1-em marks whose `halt` form is
    # the mark with its blank half cut (½ em advance): character → where the ink moves (0, or -500
    # for an opening mark)
    halt_changes: str = ""          # every character the `halt` feature draws otherwise
    fallback: Mapping[str, int] = field(default_factory=dict)     # character the face lacks → the
                                                                  # fallback (1, 2, …) that sets it
    families: tuple[str, ...] = ()  # the face's family and its fallbacks', for messages

    def covers(self, ch: str) -> bool:
        return ch in self.advances

    def covers_itself(self, ch: str) -> bool:
        """Set by the role's own face, not a fallback (SVG text names only the face)."""
        return ch in self.advances and ch not in self.fallback

    def advance(self, ch: str) -> int:
        return self.advances[ch]


@dataclass(frozen=True)
class TextUse:
    """Some text that a role must set: where it comes from, for a 缺字 message."""

    role: str
    text: str
    where: str        # e.g. "story 'frontlines', paragraph 3"
    file: Path | None = None
    line: int | None = None
    fallback: bool = True   # may a fallback font set it (not in SVG, which names one family)


def load_font_faces(fonts_dir: Path) -> dict[str, FontFace]:
    """Every role's pinned face, with its pinned fallbacks (`fallback:`, a list of faces)."""
    path = fonts_dir / "fonts.yaml"
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not raw:
        raise LayoutError("fonts.yaml maps each font role (body, headline-sans, …) to its pinned font file; "
                          "restore it from the repository", path, getattr(raw, "line", None))
    faces: dict[str, FontFace] = {}
    hashes: dict[Path, str] = {}
    for role, spec in raw.items():
        line = raw.line_of(role)
        fallbacks = spec.get("fallback", []) if isinstance(spec, dict) else []
        if not isinstance(fallbacks, list):
            raise LayoutError(f"font role '{role}': 'fallback' must be a list of fonts", path, line)
        chain = [_pinned_face(role, item, path, getattr(item, "line", line), hashes) for item in fallbacks]
        primary = _pinned_face(role, spec, path, line, hashes)
        faces[role] = FontFace(role=role, family=primary.family, path=primary.path, face=primary.face,
                               sha256=primary.sha256, package=primary.package, fallbacks=tuple(chain))
    return faces


def load_fonts(fonts_dir: Path) -> tuple[dict[str, FontFace], dict[str, FontMetrics]]:
    """Every role's pinned faces, and the metrics the composer measures them by."""
    faces = load_font_faces(fonts_dir)
    return faces, {role: load_metrics(face) for role, face in faces.items()}


def _pinned_face(role: str, spec, path: Path, line: int | None, hashes: dict[Path, str]) -> FontFace:
    """One font file of fonts.yaml, installed and the pinned version."""
    for key in ("family", "file", "sha256", "package"):
        if not isinstance(spec, dict) or not isinstance(spec.get(key), str):
            raise LayoutError(f"font role '{role}' needs '{key}' for each of its fonts", path, line)
    file = Path(spec["file"])
    if not file.is_file():
        raise LayoutError(f"font role '{role}': {file} is not installed; install the Debian package "
                          f"{spec['package'].split()[0]} (scripts/setup.sh does)", path, line)
    if file not in hashes:
        hashes[file] = known_digest(file)
    if hashes[file] is None:
        raise LayoutError(f"font role '{role}': {file} cannot be read; check that this user may read it", path, line)
    if hashes[file] != str(spec["sha256"]).lower():
        raise LayoutError(f"font role '{role}': {file} is not the pinned version (sha256 {hashes[file]}, "
                          f"pinned {spec['sha256']}); install {spec['package']} or pin the new file "
                          "and re-accept the page snapshots", path, line)
    face = FontFace(role=role, family=spec["family"], path=file, face=spec.get("face"),
                    sha256=str(spec["sha256"]).lower(), package=spec["package"])
    try:
        face_index(face)
    except LayoutError as error:        # told with the line of fonts.yaml that names the face
        raise LayoutError(error.message, path, line) from None
    return face


@lru_cache(maxsize=None)
def face_index(face: FontFace) -> int:
    if face.path.suffix.lower() not in (".ttc", ".otc"):
        return 0
    names = _collection_names(face)
    if face.face in names:
        return names.index(face.face)
    raise LayoutError(f"font role '{face.role}': no face named '{face.face}' in {face.path} (it holds: "
                      f"{', '.join(names)})")


def _collection_names(face: FontFace) -> list[str]:
    """The names of a collection's faces, read once per file (by its hash) and kept in the cache:
    reading them takes fontTools, which `layout fit` need not load."""
    cached = cache_dir() / "metrics" / f"{METRICS_RECIPE}-{face.sha256}-faces.json"
    stored = read_cache_file(cached)
    try:
        names = json.loads(stored) if stored is not None else None
    except ValueError:
        names = None
    if isinstance(names, list) and all(isinstance(name, str) for name in names):
        return names
    from fontTools.ttLib import TTCollection
    names = [font["name"].getDebugName(4) for font in TTCollection(str(face.path), lazy=True).fonts]
    write_cache_file(cached, json.dumps(names, ensure_ascii=False).encode())
    return names


def _open(face: FontFace) -> TTFont:
    from fontTools.ttLib import TTFont
    return TTFont(str(face.path), fontNumber=face_index(face), lazy=True)


def load_metrics(face: FontFace) -> FontMetrics:
    """Advance widths of every character the face or one of its fallbacks maps (the first that has
    it sets it); ascent, descent and the full- and half-width forms are the face's own."""
    own = _face_data(face)
    advances: dict[str, int] = {}
    fallback: dict[str, int] = {}
    for index, other in reversed(list(enumerate(face.fallbacks, 1))):
        theirs = _face_data(other)["advances"]
        advances.update(theirs)
        fallback.update(dict.fromkeys(theirs, index))
    fallback = {ch: index for ch, index in fallback.items() if ch not in own["advances"]}
    advances.update(own["advances"])
    return FontMetrics(role=face.role, family=face.family, advances=advances, ascent=own["ascent"],
                       descent=own["descent"], full_width=own["full_width"], half_width=own["half_width"],
                       halt_changes=own["halt_changes"], fallback=fallback,
                       families=tuple(f.family for f in face.chain))


_FACE_DATA: dict[Path, dict] = {}      # read in this process, by cache file: roles share faces


def _face_data(face: FontFace) -> dict:
    """One face's advances, vertical metrics and mark forms, cached as JSON by the file's hash."""
    cached = cache_dir() / "metrics" / f"{METRICS_RECIPE}-{face.sha256}-{_slug(face.face or face.family)}.json"
    if cached in _FACE_DATA:
        return _FACE_DATA[cached]
    stored = read_cache_file(cached)
    if stored is not None:
        data = json.loads(stored)
        return _FACE_DATA.setdefault(cached, {**data, "advances": _advances_of_runs(data["advances"])})
    font = _open(face)
    scale = UNITS_PER_EM / font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    cmap = font.getBestCmap()
    advances = {chr(cp): round(hmtx[glyph][0] * scale) for cp, glyph in cmap.items()}
    hhea = font["hhea"]
    fwid = _single_substitutions(font, "fwid")
    data = {"advances": advances, "ascent": hhea.ascent * scale / UNITS_PER_EM,
            "descent": -hhea.descent * scale / UNITS_PER_EM,
            "full_width": {chr(cp): round(hmtx[fwid[glyph]][0] * scale)
                           for cp, glyph in cmap.items() if glyph in fwid},
            **_halt_forms(face, advances)}
    write_cache_file(cached, json.dumps({**data, "advances": _runs_of_advances(advances)},
                                        ensure_ascii=False).encode())
    return _FACE_DATA.setdefault(cached, data)


def _runs_of_advances(advances: Mapping[str, int]) -> list[list[int]]:
    """Advances as runs [first code point, count, advance] of consecutive characters alike: a CJK
    face's 65,000 advances are a few hundred runs, read back ten times faster than one entry each."""
    runs: list[list[int]] = []
    for cp, advance in sorted((ord(ch), advance) for ch, advance in advances.items()):
        last = runs[-1] if runs else None
        if last is not None and last[0] + last[1] == cp and last[2] == advance:
            last[1] += 1
        else:
            runs.append([cp, 1, advance])
    return runs


def _advances_of_runs(runs: list[list[int]]) -> dict[str, int]:
    return dict(zip(map(chr, chain.from_iterable(range(first, first + count) for first, count, _ in runs)),
                    chain.from_iterable(repeat(advance, count) for _, count, advance in runs)))


# Where the marks `halt` may change live: Latin-1 (·), General Punctuation, CJK Symbols and
# Punctuation, Fullwidth Forms.
MARK_BLOCKS = (range(0x00A0, 0x0100), range(0x2010, 0x2070), range(0x3000, 0x3040), range(0xFF00, 0xFF66))


def _halt_forms(face: FontFace, advances: Mapping[str, int]) -> dict:
    """What the font's `halt` feature does, shaped by HarfBuzz as WeasyPrint shapes the page:
    half_width — the 1-em marks it sets as ½ em, with the ink's offset (0, or -500 when the blank
    half is before it); halt_changes — every character it draws otherwise."""
    import uharfbuzz as hb
    font = hb.Font(_hb_face(face))
    scale = UNITS_PER_EM / font.face.upem

    def shaped(ch: str, halt: bool) -> tuple[float, float, int]:
        buffer = hb.Buffer()
        buffer.add_str(ch)
        buffer.guess_segment_properties()
        buffer.language = "zh-CN"
        hb.shape(font, buffer, {"kern": False, "liga": False, "palt": False, "halt": halt})
        position, info = buffer.glyph_positions[0], buffer.glyph_infos[0]
        return position.x_advance * scale, position.x_offset * scale, info.codepoint

    half_width, changes = {}, []
    for ch in (chr(cp) for block in MARK_BLOCKS for cp in block if chr(cp) in advances):
        halted = shaped(ch, True)
        if halted == shaped(ch, False):
            continue
        changes.append(ch)
        advance, offset, _ = halted
        if advances[ch] == UNITS_PER_EM and advance == UNITS_PER_EM / 2 and offset in (0, -UNITS_PER_EM / 2):
            half_width[ch] = int(offset)
    return {"half_width": half_width, "halt_changes": "".join(changes)}


def _single_substitutions(font: TTFont, feature: str) -> dict[str, str]:
    """glyph → glyph of a GSUB feature's single substitutions (e.g. fwid: proportional → full width)."""
    if "GSUB" not in font:
        return {}
    table = font["GSUB"].table
    mapping: dict[str, str] = {}
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag != feature:
            continue
        for index in record.Feature.LookupListIndex:
            for subtable in table.LookupList.Lookup[index].SubTable:
                subtable = getattr(subtable, "ExtSubTable", subtable)
                mapping.update(getattr(subtable, "mapping", None) or {})
    return mapping


def check_coverage(uses: Iterable[TextUse], metrics: Mapping[str, FontMetrics]) -> None:
    """缺字: refuse, before anything renders, a character that the role's font cannot set."""
    for use in uses:
        font = metrics[use.role]
        covers = font.covers if use.fallback else font.covers_itself
        families = font.families if use.fallback else font.families[:1]
        for ch in use.text:
            if ch != "\n" and unicodedata.category(ch) == "Cc":
                raise LayoutError(f"{use.where}: control character U+{ord(ch):04X} ({repr(ch)[1:-1]}) is not text; "
                                  "delete it, or type a space where it stands for one", use.file, use.line)
            if ch == "\ufffd":
                raise LayoutError(f"{use.where}: the replacement character '\ufffd' (U+FFFD) stands where text was "
                                  "lost to a wrong encoding; retype the text there and save the file as UTF-8",
                                  use.file, use.line)
            if "\u0300" <= ch <= "\u036f":     # left over where no accented letter exists (text.py composes)
                raise LayoutError(f"{use.where}: the accent U+{ord(ch):04X} makes no single character with the "
                                  "letter before it (as in pinyin ê̄), and the engine sets accents only as part of "
                                  "one: it would print beside the letter; write the letter without it, or rephrase",
                                  use.file, use.line)
            if ch != "\n" and not covers(ch):
                raise LayoutError(f"{use.where}: character '{ch}' (U+{ord(ch):04X}) is in no {use.role} font "
                                  f"({', '.join(families)}); replace it, or give the role a font that has it "
                                  "(a fallback in fonts/fonts.yaml)", use.file, use.line)


@dataclass(frozen=True)
class FontSubset:
    """A subset as a page gets it: its bytes, held in memory so that a cache emptied or damaged
    during a render changes nothing, and a URL that names its content."""

    url: str
    data: bytes


def subset_fonts(used: Mapping[str, set[str]], faces: Mapping[str, FontFace]) -> dict[str, FontSubset]:
    """CSS family → subset: per role, its face with the characters it sets and the space, and each
    fallback with the characters only it has. WeasyPrint places every line's baseline by the font
    that sets a space (its strut), which without one would be a system font with other ascent and
    descent (measured: bylines 0.9 pt off the grid). Cached by a hash of font and characters."""
    out: dict[str, FontSubset] = {}
    for role, chars in sorted(used.items()):
        chain = faces[role].chain
        shares: list[set[str]] = [{" "}] + [set() for _ in chain[1:]]
        for ch in chars:
            index = next((i for i, face in enumerate(chain) if ord(ch) in _unicodes(face)), 0)
            shares[index].add(ch)
        for index, (face, share) in enumerate(zip(chain, shares)):
            if not share:
                continue
            text = "".join(sorted(share))
            key = hashlib.sha256(f"{SUBSET_RECIPE}\0{face.sha256}\0{face.face}\0{text}".encode()).hexdigest()
            target = cache_dir() / "subsets" / f"{key}.otf"
            data = read_cache_file(target)
            if data is None:
                data = subset_font(face, text)
                write_cache_file(target, data)
            out[font_family(role, index)] = FontSubset(f"{SUBSET_URL}{key}.otf", data)
    return out


@lru_cache(maxsize=None)
def _unicodes(face: FontFace) -> frozenset[int]:
    return frozenset(_hb_face(face).unicodes)


@lru_cache(maxsize=None)
def _hb_face(face: FontFace) -> hb.Face:
    import uharfbuzz as hb
    return hb.Face(hb.Blob.from_file_path(str(face.path)), face_index(face))


def subset_font(face: FontFace, text: str) -> bytes:
    """HarfBuzz's subset of a face with only these characters and the glyphs their layout features
    reach: every feature (locl, fwid, …) and name kept, hinting dropped, .notdef drawn, and — for a
    CID-keyed CFF — each glyph's CID made its glyph index."""
    import uharfbuzz as hb
    subset_input = hb.SubsetInput()
    subset_input.unicode_set.update(ord(ch) for ch in text)
    for kept in (subset_input.layout_feature_tag_set, subset_input.name_id_set):
        kept.clear()
        kept.invert()         # all of them
    subset_input.flags = (hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
                          | hb.SubsetFlags.CFF_IDENTITY_CHARSET)
    return hb.subset(_hb_face(face), subset_input).blob.data


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name)
