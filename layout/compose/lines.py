"""What the composer returns: lines of glyphs at exact x offsets, in font units."""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple


class Glyph(NamedTuple):
    """A named tuple, not a dataclass: a page has tens of thousands, and a frozen dataclass is made
    several times slower."""
    char: str
    x: float                    # origin, font units from the line's start edge
    advance: int                # the glyph's advance as drawn
    feature: str | None = None  # OpenType feature that draws it (fwid)
    bold: bool = False          # run-in bold (**本报讯**): set in the bold text kind's font


@dataclass(frozen=True)
class Line:
    glyphs: tuple[Glyph, ...]
    start: int          # offsets of the line's text in the paragraph text
    end: int
    width: float        # from the start edge to the end of the last glyph's set width
    last: bool          # a paragraph's last line: set solid (JU-4)
    loose: bool = False # JU-7: stretched more than the house style's limit
    hyphenated: bool = False   # ends inside a word: the last glyph is a hyphen the text does not have
    overfull: bool = False     # wider than the measure: a unit longer than the line (MX-3)
    cut: bool = False          # ends inside a web address's segment or a word too long for the column,
                               # with no hyphen, outside its break points (a last resort the editor is
                               # told of)
    copy: str = ""             # the line's text as the copy has it, its spaces included
    space_after: bool = False  # the line ends at a space of the copy

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def quoted(self) -> str:
        """The line as a message quotes it: as the copy has it, spaces included."""
        return self.copy or self.text
