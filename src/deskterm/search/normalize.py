"""Text folding and tokenising shared by the index, the queries and highlighting.

``normalize`` folds case, width and accents so that what a person types matches what
was stored whatever the keyboard. It runs in two stages, which the index applies
separately for speed (stage one on whole texts, stage two once per distinct word):

1. ``prepare``: NFKC (full/half width, ligatures) and casefold (ß → ss, Σ → σ).
2. ``fold_word``: a table for letters NFKD leaves alone (ø → o, ł → l, æ → ae ...),
   then removal of diacritic marks (Latin, Greek, Cyrillic, Arabic harakat, Hebrew
   points) and NFC, so Hangul and kana come back whole.

``tokens`` splits folded text into words: runs of letters, digits and combining marks.
Apostrophes vanish (O'Brien → obrien); anything else, including ``_``, separates words.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["digits", "fold_word", "is_dense", "normalize", "prepare", "tokens"]

_EXTRA = {
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "ŀ": "l",
    "æ": "ae",
    "œ": "oe",
    "þ": "th",
    "ħ": "h",
    "ı": "i",
    "ŧ": "t",
    "ŋ": "n",
    "ĸ": "k",
    "ſ": "s",
    "ƀ": "b",
    "ɨ": "i",
    "ʉ": "u",
    "ɖ": "d",
    "ƒ": "f",
    # Arabic/Persian spelling variants people type interchangeably.
    "ى": "ي",
    "ی": "ي",
    "ک": "ك",
    "ة": "ه",
    "ـ": "",  # tatweel (kashida) is decoration
    # Apostrophes (and look-alikes) join the parts of a word: O'Brien → obrien.
    "'": "",
    "’": "",
    "‘": "",
    "ʼ": "",
}
_FOLD_RE = re.compile("[" + "".join(_EXTRA) + "]")
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_NON_DIGIT = re.compile(r"\D+")
# ASCII text: every non-alphanumeric becomes a space, except NUL (the index's document
# separator) and the apostrophe (dropped).
ASCII_SPLIT = str.maketrans(
    {chr(c): " " for c in range(1, 128) if not chr(c).isalnum()} | {"'": None}
)
# Scripts written without spaces between words: match them by substring at any length.
_DENSE = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1100-\u11ff\u1780-\u17ff\u2e80-\ua4cf"
    "\uac00-\ud7af\uf900-\ufaff\uff66-\uffdc\U00020000-\U0003ffff]"
)


def prepare(text: str) -> str:
    """Stage one: width and case (NFKC + casefold); apostrophes removed."""
    if text.isascii():
        return text.lower().replace("'", "")
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("'", "").replace("’", "").replace("‘", "")


def fold_word(word: str) -> str:
    """Stage two, for text that went through ``prepare``: letters and marks."""
    if word.isascii():
        return word
    word = unicodedata.normalize("NFKD", _FOLD_RE.sub(_fold_char, word))
    return unicodedata.normalize("NFC", _MARKS.sub("", word))


def _fold_char(m: re.Match[str]) -> str:
    return _EXTRA[m.group()]


def normalize(text: str) -> str:
    """Fold case, width and accents: ``normalize("Zoë Müller") == "zoe muller"``."""
    return fold_word(prepare(text))


@cache
def _marks_class() -> str:
    """Every combining mark of the BMP as regex class ranges (computed once, ~30 ms).

    Marks must stay inside words or Devanagari, Thai ... would be cut at every vowel
    sign.
    """
    ranges: list[str] = []
    start = prev = -2
    for cp in range(0x300, 0x10000):
        if unicodedata.category(chr(cp))[0] != "M":
            continue
        if cp != prev + 1:
            if start >= 0:
                ranges.append(f"{chr(start)}-{chr(prev)}")
            start = cp
        prev = cp
    ranges.append(f"{chr(start)}-{chr(prev)}")
    return "".join(ranges)


@cache
def word_re() -> re.Pattern[str]:
    """A word (``\\w`` and combining marks; apply after replacing ``_``), or a lone NUL."""
    return re.compile(f"[\\w{_marks_class()}]+|\x00")


@cache
def gap_re() -> re.Pattern[str]:
    """A run of characters between words (NUL excluded: it separates documents)."""
    return re.compile(f"[^\\w{_marks_class()}\x00]+")


def tokens(folded: str) -> list[str]:
    """Split normalised text into words (letters, digits, marks)."""
    if folded.isascii():
        return folded.translate(ASCII_SPLIT).replace("\x00", " ").split()
    return word_re().findall(folded.replace("'", "").replace("_", " ").replace("\x00", " "))


def is_dense(word: str) -> bool:
    """True for words in scripts written without spaces (CJK, kana, Hangul, Thai ...)."""
    return _DENSE.search(word) is not None


def digits(text: str) -> str:
    """Only the digits of ``text``, as ASCII: ``digits("+1 (555) 0199") == "15550199"``."""
    out = _NON_DIGIT.sub("", text)
    if out.isascii():
        return out
    return "".join(str(unicodedata.decimal(c, "")) for c in out)
