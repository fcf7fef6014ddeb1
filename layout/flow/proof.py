"""What marks a proof: the not-for-print mark across every page, and the stamp saying which proof
of the date it is and when it was made."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Mapping

from ..fonts import FontMetrics
from ..geometry import PageGeometry, Rect, units_to_pt
from ..style import HouseStyle
from .calendar import chinese_number
from .placed import FlowResult, PlacedLine, PlacedPage
from .setter import Setter


def proof_of(flow: FlowResult, style: HouseStyle, geometry: PageGeometry,
             metrics: Mapping[str, FontMetrics]) -> FlowResult:
    """The same pages as a proof (an edition that cannot go to print): the house style's
    not-for-print mark across the top of every page."""
    setter = Setter(style, metrics)
    mark = setter.one_line("proof-mark", style.proof_mark)
    width = units_to_pt(mark.width, setter.size("proof-mark"))
    placed = PlacedLine(kind="proof-mark", x=(geometry.trim_width - width) / 2, baseline=geometry.type_top / 2,
                        line=mark, measure=width)
    return replace(flow, pages=tuple(replace(page, furniture=page.furniture + (placed,)) for page in flow.pages))


def stamp_area(style: HouseStyle, geometry: PageGeometry) -> Rect:
    """The band above the type area where a proof's mark and stamp stand, whatever its number and
    time: what a comparison of two proofs, or of a proof with the print files, leaves out (the
    stamps differ by design, and the print files have no mark)."""
    size = max(style.text["proof-stamp"].size_pt, style.text["proof-mark"].size_pt)
    return Rect(0.0, geometry.type_top / 2 - 1.5 * size, geometry.trim_width, 2 * size)


def proof_stamp(number: int, made: dt.datetime, style: HouseStyle, geometry: PageGeometry,
                metrics: Mapping[str, FontMetrics]) -> PlacedPage:
    """A page holding only the stamp a proof carries beside its mark — which proof of the date and
    when — at the right edge of the type area. Laid over every proof page when it is made, so the
    pages themselves stay the same from proof to proof (and come from the page cache)."""
    setter = Setter(style, metrics)
    text = style.proof_stamp.format(number=chinese_number(number), time=made.strftime(style.proof_stamp_time))
    stamp = setter.one_line("proof-stamp", text)
    width = units_to_pt(stamp.width, setter.size("proof-stamp"))
    placed = PlacedLine(kind="proof-stamp", x=geometry.type_left + geometry.type_width - width,
                        baseline=geometry.type_top / 2, line=stamp, measure=width)
    return PlacedPage(number=0, blocks=(), furniture=(placed,), rules=())
