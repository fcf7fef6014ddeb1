"""Black overprint: text and rules in 100 % K print on top of what lies under them instead of
knocking it out, as newspaper plants expect — a plate out of register then leaves no white halo
around black type.

WeasyPrint has no overprint setting, so the finisher rewrites the page content streams it is about
to write: before every painting operation it selects an ExtGState whose overprint flags (OP for
strokes, op for fills, with OPM 1 so that the zero C, M and Y of a 100 % K colour leave the other
plates alone) say whether that paint is 100 % DeviceCMYK black. Everything else — colours, tints,
images, shadings — knocks out as before.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import pydyf

from .objects import referenced

BLACK = (0.0, 0.0, 0.0, 1.0)
FILL_OPS = frozenset({"f", "F", "f*"})
TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
STROKE_OPS = frozenset({"S", "s"})
BOTH_OPS = frozenset({"B", "B*", "b", "b*"})
IMAGE_OPS = frozenset({"Do", "sh", "BI"})


def _state_name(fill: bool, stroke: bool) -> str:
    return f"lop{int(fill)}{int(stroke)}"


@dataclass(frozen=True)
class _Graphics:
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    fill_black: bool = False          # the fill colour is 100 % DeviceCMYK K
    stroke_black: bool = False
    text_mode: int = 0                # Tr: 0 fill, 1 stroke, 2 both, … (§9.3.6)
    overprint: tuple[bool, bool] | None = (False, False)   # (fill, stroke) in force; None: not known


def _is_black(space: str, operands: list[bytes]) -> bool:
    try:
        values = tuple(float(v) for v in operands)
    except ValueError:
        return False
    return space == "DeviceCMYK" and len(values) == 4 and all(abs(a - b) < 1e-6 for a, b in zip(values, BLACK))


def _rewrite(parts: list, state: _Graphics) -> list:
    out, stack = [], []
    for part in parts:
        if not isinstance(part, bytes) or not part.strip():
            out.append(part)
            continue
        *operands, operator = part.split()
        operator = operator.decode("latin-1")
        if operator == "q":
            stack.append(state)
        elif operator == "Q" and stack:
            state = stack.pop()
        elif operator in ("cs", "CS"):
            space = operands[-1].decode("latin-1").lstrip("/")
            # Selecting DeviceCMYK makes the colour 0 0 0 1 (ISO 32000-1 §8.6.8).
            black = space == "DeviceCMYK"
            state = replace(state, fill_space=space, fill_black=black) if operator == "cs" else \
                replace(state, stroke_space=space, stroke_black=black)
        elif operator in ("sc", "scn"):
            state = replace(state, fill_black=_is_black(state.fill_space, operands))
        elif operator in ("SC", "SCN"):
            state = replace(state, stroke_black=_is_black(state.stroke_space, operands))
        elif operator == "Tr":
            state = replace(state, text_mode=int(operands[-1]))
        elif operator in ("k", "g", "rg"):
            space = {"k": "DeviceCMYK", "g": "DeviceGray", "rg": "DeviceRGB"}[operator]
            state = replace(state, fill_space=space, fill_black=_is_black(space, operands))
        elif operator in ("K", "G", "RG"):
            space = {"K": "DeviceCMYK", "G": "DeviceGray", "RG": "DeviceRGB"}[operator]
            state = replace(state, stroke_space=space, stroke_black=_is_black(space, operands))
        else:
            wanted = _wanted(operator, state)
            if wanted is not None and wanted != state.overprint:
                out.append(f"/{_state_name(*wanted)} gs".encode())
                state = replace(state, overprint=wanted)
        out.append(part)
    return out


def _wanted(operator: str, state: _Graphics) -> tuple[bool, bool] | None:
    """The overprint flags a painting operator needs; None for an operator that paints nothing."""
    current = state.overprint or (False, False)
    if operator in FILL_OPS:
        return state.fill_black, current[1]
    if operator in TEXT_OPS:
        fills, strokes = state.text_mode in (0, 2, 4, 6), state.text_mode in (1, 2, 5, 6)
        return (state.fill_black if fills else current[0]), (state.stroke_black if strokes else current[1])
    if operator in STROKE_OPS:
        return current[0], state.stroke_black
    if operator in BOTH_OPS:
        return state.fill_black, state.stroke_black
    if operator in IMAGE_OPS:
        return False, False
    return None


def overprint_black(pdf: pydyf.PDF) -> None:
    """Rewrite every page and form content stream of a PDF being written so that 100 % K overprints."""
    pages = {referenced(pdf, obj["Contents"]).number for obj in pdf.objects
             if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"}
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Stream) and (obj.number in pages or obj.extra.get("Subtype") == "/Form"):
            # A form starts in whatever state it is drawn in: its first paint sets the flags.
            start = _Graphics() if obj.number in pages else _Graphics(overprint=None)
            obj.stream = _rewrite(obj.stream, start)
        elif isinstance(obj, pydyf.Dictionary) and isinstance(obj.get("ExtGState"), pydyf.Dictionary):
            for fill in (False, True):
                for stroke in (False, True):
                    obj["ExtGState"][_state_name(fill, stroke)] = pydyf.Dictionary(
                        {"Type": "/ExtGState", "op": _bool(fill), "OP": _bool(stroke), "OPM": 1})


def _bool(value: bool) -> str:
    return "true" if value else "false"
