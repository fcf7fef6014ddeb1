"""Copy as the composer takes it, and the character classes the stages share: Han, the letters of
alphabetic scripts, web addresses. Normalisation (the source file is never rewritten): MX-4
full-width letters and digits become ASCII, MX-2 a space at a Han–Latin boundary is absorbed, MX-5
ASCII punctuation in Chinese context takes its Chinese form, MX-6 a space beside a full-width mark
is dropped; English the source wrapped is joined with a space."""
from __future__ import annotations

import re
from functools import lru_cache

from ..style import HouseStyle
from ..yamlsource import plain_characters


def is_han(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF
            or 0x20000 <= cp <= 0x3FFFF or ch == "〇")


# The letters of alphabetic scripts a Chinese paper quotes (Latin with its accented letters — Ángel,
# Ozoliņš, Łukasz —, Greek — μg —, Cyrillic), and superscript and subscript digits and signs (m³, CO₂,
# Na⁺): a character class body for regular expressions.
LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff\u0370-\u03ff\u0400-\u04ff"
SUPERSCRIPTS_SUBSCRIPTS = "\u00b2\u00b3\u00b9\u2070-\u209f"
_LATIN_OR_DIGIT = re.compile(f"[0-9{LETTERS}{SUPERSCRIPTS_SUBSCRIPTS}]")


def _is_latin_or_digit(ch: str) -> bool:
    return _LATIN_OR_DIGIT.match(ch) is not None


def _cjk_punctuation(style: HouseStyle) -> frozenset[str]:
    p = style.punctuation
    return p.opening | p.closing | p.pause | p.stop | frozenset("—…·～")


def _full_width_to_ascii(text: str) -> str:
    """MX-4: full-width digits and letters (U+FF10–19, FF21–3A, FF41–5A) → ASCII."""
    out = []
    for ch in text:
        cp = ord(ch)
        if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
            out.append(chr(cp - 0xFEE0))
        else:
            out.append(ch)
    return "".join(out)


def _absorb_boundary_spaces(text: str) -> str:
    """MX-2: a space (ASCII or full-width) between Han and Latin/digit is replaced by the composer's
    MX-1 spacing. A full-width space between two Latin letters or digits (typed in a full-width input
    mode, as MX-4's letters and digits are) is a word space."""
    text = re.sub("(?<=[A-Za-z0-9])\u3000+(?=[A-Za-z0-9])", " ", text)
    out = []
    for i, ch in enumerate(text):
        if ch in " \u3000" and 0 < i < len(text) - 1:
            left, right = text[i - 1], text[i + 1]
            if (is_han(left) and _is_latin_or_digit(right)) or (_is_latin_or_digit(left) and is_han(right)):
                continue
        out.append(ch)
    return "".join(out)


# A web address (with its scheme, from www., or a domain name of a common top-level domain, with
# or without a path), an e-mail address or a DOI: its punctuation is never converted (MX-5) and the
# composer breaks it without a hyphen, after / and before . ? # & and the like. Trailing sentence
# punctuation is not part of it.
_URL_CHARACTERS = r"[A-Za-z0-9\-._~:/?#@!$&*+,;=%]"
_DOMAIN = (r"(?<![A-Za-z0-9@._\-])(?:[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?\.)+"
           r"(?:com|cn|net|org|gov|edu|int|mil|info|biz|io|ai|app|dev|co|me|tv|cc|top|xyz|uk|us|eu|de|fr|jp|hk|tw)"
           r"(?![A-Za-z0-9\-])")
URL = re.compile(rf"(?:https?://|www\.){_URL_CHARACTERS}*[A-Za-z0-9/]"
                 rf"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{{2,}}"
                 rf"|{_DOMAIN}(?:/{_URL_CHARACTERS}*[A-Za-z0-9/])?"
                 r"|(?<![0-9.])10\.[0-9]{4,9}/[A-Za-z0-9\-._;()/:]*[A-Za-z0-9/]")


_CONVERTIBLE = frozenset("\"'.")       # besides the house style's chinese_forms
_PAIRED = re.compile("[()“‘”’\"']")     # the marks that go by pairs


@lru_cache(maxsize=8)
def _marks_pattern(forms: frozenset[str]) -> re.Pattern:
    """The characters MX-5 may change: the house style's chinese_forms, and ASCII quotes and stops."""
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(forms | _CONVERTIBLE)) + "]")


def _to_chinese_forms(text: str, style: HouseStyle) -> str:
    """MX-5: ASCII punctuation whose nearest non-space neighbour is Han or CJK punctuation."""
    if _CONVERTIBLE.isdisjoint(text) and style.chinese_forms.keys().isdisjoint(text):
        return text         # nothing it could change (most paragraphs)
    chinese = _cjk_punctuation(style)
    protected = [False] * len(text)
    for match in URL.finditer(text):
        for i in range(match.start(), match.end()):
            protected[i] = True
    for word in style.chinese_form_exceptions:
        start = text.find(word)
        while start >= 0:
            for i in range(start, start + len(word)):
                protected[i] = True
            start = text.find(word, start + len(word))

    def chinese_char(ch: str | None) -> bool:
        return ch is not None and (is_han(ch) or ch in chinese)

    def right_of(i: int) -> str | None:
        while i < len(text) and text[i] == " ":
            i += 1
        return text[i] if i < len(text) else None

    out: list[str] = []         # pieces of the text as written so far

    def left_of() -> str | None:
        for piece in reversed(out):
            piece = piece.rstrip(" ")
            if piece:
                return piece[-1]
        return None

    # Brackets and quotes go by pairs: both marks of a pair change when either stands in Chinese
    # context, so "(2020年5月13日…通过)" becomes （…） although "(" itself is followed by a digit,
    # and English quoted in Chinese text, "We are open.", takes “…” at both ends. (An apostrophe
    # between two letters is no quote.)
    partner: dict[int, int] = {}
    stack: list[int] = []
    waiting: dict[str, int] = {}
    for match in _PAIRED.finditer(text):
        i, ch = match.start(), match.group()
        if protected[i]:
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            opening = stack.pop()
            partner[opening], partner[i] = i, opening
        elif ch in "“‘":        # a Chinese quote opens: an ASCII one may close it (“ready." → “ready.”)
            waiting['"' if ch == "“" else "'"] = i
        elif ch in "”’" and not (ch == "’" and 0 < i < len(text) - 1 and text[i - 1].isalnum()
                                 and text[i + 1].isalnum()):
            opening = waiting.pop('"' if ch == "”" else "'", None)
            if opening is not None:
                partner[opening], partner[i] = i, opening
        elif ch == '"' or (ch == "'" and not (0 < i < len(text) - 1 and text[i - 1].isalnum()
                                               and text[i + 1].isalnum())):
            if ch in waiting:
                opening = waiting.pop(ch)
                partner[opening], partner[i] = i, opening
            else:
                waiting[ch] = i
    pair_in_context: dict[int, bool] = {}

    # Only the marks it may change, and those of pairs, are looked at; the text between them is
    # written as it is.
    quote_open = {'"': False, "'": False}
    marks = sorted({match.start() for match in _marks_pattern(frozenset(style.chinese_forms)).finditer(text)
                    if not protected[match.start()]} | {i for i in partner if not protected[i]})
    written = 0                 # how much of the text is in `out`
    for i in marks:
        if i < written:         # inside an ellipsis already written
            continue
        out.append(text[written:i])
        ch = text[i]
        left = left_of()
        if text.startswith("...", i) and (chinese_char(left) or chinese_char(right_of(i + 3))):
            out.append("……")
            written = i + 3
            continue
        right = right_of(i + 1)
        in_context = chinese_char(left) or chinese_char(right)
        if i in partner:
            if i not in pair_in_context:
                j = partner[i]
                # The partner's context is judged on the source text (it has not been written yet).
                left_j = next((c for c in reversed(text[:j]) if c != " "), None)
                pair_in_context[j] = (in_context or chinese_char(left_j) or chinese_char(right_of(j + 1))
                                      or text[j] in "“”‘’")
                pair_in_context[i] = pair_in_context[j]
            in_context = pair_in_context[i]
        if ch in style.chinese_forms and in_context:
            out.append(style.chinese_forms[ch])
        elif ch in quote_open and in_context:
            opening = partner[i] > i if i in partner else not quote_open[ch]
            quote_open[ch] = opening
            out.append(("“" if opening else "”") if ch == '"' else ("‘" if opening else "’"))
        elif ch == "." and i > 0 and is_han(text[i - 1]):
            out.append("。")
        else:
            out.append(ch)
        written = i + 1
    out.append(text[written:])
    return "".join(out)


def _spaces_beside_marks(text: str, style: HouseStyle) -> str:
    """A space beside a full-width mark (“ ”（），。) is dropped: the mark has its own blank half, and
    a space there (`stay." 根据`) would print a gap of an em or more."""
    marks = _cjk_punctuation(style)
    return re.sub(" +", lambda m: "" if (m.start() and text[m.start() - 1] in marks)
                  or (m.end() < len(text) and text[m.end()] in marks) else m.group(), text)


def normalise(text: str, style: HouseStyle) -> str:
    return _spaces_beside_marks(_to_chinese_forms(_absorb_boundary_spaces(_full_width_to_ascii(plain_characters(text))),
                                                 style), style)


# English wrapped in the source file (…we are\nbuilding…): the words either side of the line end.
_LATIN_WORD_END = re.compile(r"[A-Za-z0-9,.;:!?)\]\"'’”%]$")
_LATIN_WORD_START = re.compile(r"^[A-Za-z0-9(\[\"'‘“$€£]")


def join_source_lines(lines: list[str]) -> str:
    """A paragraph's source lines joined: without a space (Chinese has none, nor a number the source
    wrapped), but with one where a line ends and the next begins inside English, as a writer who wraps
    English text means."""
    text = ""
    for line in (line.strip() for line in lines):
        if text and _LATIN_WORD_END.search(text) and _LATIN_WORD_START.match(line) and \
                not (text[-1].isdigit() and line[0].isdigit()):      # a number the source wrapped
            text += " "
        text += line
    return text
