"""Composer: a paragraph and a measure → lines, each a list of glyphs at exact x offsets.

Pure and fast; works in font units (1/1000 em of the text's size). Parts:
- paragraph: the entry point, `compose_paragraph`;
- units: text → unbreakable units (LB-4) with each character's set width (PC-1) and the removable
  blank of full-width marks (PC-3, PC-4, PC-6); ¼ em Han–Latin space (MX-1); where each may break
  (LB-1/2/3 避头尾 = kinsoku, in Latin prose too; Latin words at their hyphenation points, web
  addresses after / and before . ? # &, words too long for the column at their parts);
- breaking: where lines may end, piles of marks never broken (LB-6); in strict grid mode (纵横对齐)
  line by line, with hanging marks and cut words (LB-7, MX-3);
- totalfit: otherwise all breaks of a paragraph chosen together (Knuth–Plass), push-in before
  push-out (LB-5), no orphan character (JU-5 孤字);
- justify: flush lines (JU-1), shrink then stretch in the order of JU-2 (Han–Latin space, word
  spaces, then the gaps and Latin letter-spacing alike), no stretch inside Han units (JU-3), last
  lines solid (JU-4), loose lines flagged (JU-7).
The first-line indent (JU-6) is given by the caller. Two kinds of text are set apart: bylines
(byline: wrapped between their parts, never inside a name) and name lists (names).
"""
from __future__ import annotations

from .byline import byline_lines
from .lines import Glyph, Line
from .paragraph import compose_paragraph
from .units import glyph_form

__all__ = ["Glyph", "Line", "byline_lines", "compose_paragraph", "glyph_form"]
