"""Story source → typed story (story.py): front matter, paragraphs, subheads, closing lines; text
normalised and the character classes the stages share (forms.py).

Normalisation (the source file is never rewritten): MX-4 full-width letters and digits become ASCII,
MX-2 a space at a Han–Latin boundary is absorbed, MX-5 ASCII punctuation in Chinese context takes its
Chinese form.
"""
from .forms import LETTERS, SUPERSCRIPTS_SUBSCRIPTS, URL, is_han, normalise
from .story import (PADDED_NAME, ClosingLines, Names, Paragraph, Story, StoryItem, Subhead, Verse, parse_story,
                    read_story)

__all__ = ["LETTERS", "PADDED_NAME", "SUPERSCRIPTS_SUBSCRIPTS", "URL", "ClosingLines", "Names", "Paragraph", "Story",
           "StoryItem", "Subhead", "Verse", "is_han", "normalise", "parse_story", "read_story"]
