"""Matching one query word against one segment: a match class per slot.

A word matches a vocabulary word (and so every person whose field group holds it),
strongest first, by: word start (the exact word scores one more); substring (3+
letters, or any length in scripts written without spaces; not for numbers); one edit
(4+ letters, transpositions counting as one, against whole words and word prefixes
so a half-typed word with a slip still matches; NAME and OTHER fields only, free text
is too noisy); then, below those: a romanized spelling of a non-Latin name or
company, the sound of an Arabic, Hebrew, Cyrillic or Greek one (its consonants and
where a vowel is heard, see ``roman``; a key of an Arabic word without its article a
little lower), or a nickname of a given name (bob → Robert); two edits (words of 6+
letters); and last an fzf-style in-order subsequence of a word starting with the same
letter (``frwthr`` → Fairweather; a tight one above a scattered one, and a name word
typed as its first letter and consonants, ``mrg`` → Margo, above two edits and a
nickname, just below one edit in the name). Classes go from 1 (weakest) to 18; see
``index`` for how they rank people. Classes are applied weakest first, so a later
assignment is always an upgrade. A match of another spelling (not a half-typed
sound) carries the ``ALT`` flag (128): a person whose name, in another script, is all
the agent typed ranks above people who merely share one word of it.
"""

from __future__ import annotations

import numpy as np

from .fuzzy import budget, fuzzy_ranges
from .normalize import is_dense
from .roman import ARTICLE, article, fits, nickname_forms, sound
from .segment import NAME, OTHER, ROMAN, SKEL, TEXT, Segment, find_all
from .subseq import abbreviation_ids, subsequence_ids

__all__ = [
    "ABBREV", "ALT", "EXACT", "FUZZY", "NICK", "START", "SUB", "SUBSEQ", "phone_classes",
    "word_classes",
]  # fmt: skip

ALT = 128  # flag on a class: matched another spelling of the name (ROMAN or SKEL)
SUBSEQ = {OTHER: 1, ROMAN: 1, NAME: 2}
SUBSEQ_TIGHT = 3  # in the name
ABBREV = 8  # the whole word of the name, only vowels left out ("frwthr")
FUZZY = {2: {ROMAN: 4, OTHER: 4, NAME: 5}, 1: {ROMAN: 5, OTHER: 8, NAME: 9}}
NICK = 6
SUB = {TEXT: 10, OTHER: 11, NAME: 12}
START = {SKEL: 6, ROMAN: 6, TEXT: 13, OTHER: 15, NAME: 17}
EXACT = {SKEL: 7, ROMAN: 7, TEXT: 14, OTHER: 16, NAME: 18}
_MAX_KEYS = 64  # sound keys of one skeleton looked at (each a way of voicing it)


def _scatter(cls: np.ndarray, slots: np.ndarray | None, value: int) -> None:
    if slots is not None and len(slots):
        cls[slots] = value


def _ranges(seg: Segment, group: int, lo: np.ndarray, hi: np.ndarray) -> np.ndarray | None:
    """Postings of ``group`` for the word-id ranges ``[lo[i], hi[i])``, concatenated."""
    off, post = seg.off[group], seg.post[group]
    starts, ends = off[lo], off[hi]
    lens = ends - starts
    total = int(lens.sum())
    if total == 0:
        return None
    if len(lo) <= 8:
        return np.concatenate(
            [post[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
        )
    before = np.cumsum(lens) - lens
    return post[np.repeat(starts - before, lens) + np.arange(total)]


def _postings(seg: Segment, group: int, lo: int, hi: int) -> np.ndarray:
    off = seg.off[group]
    return seg.post[group][off[lo] : off[hi]]


def _sound_starts(seg: Segment, cls: np.ndarray, bare: str) -> None:
    """Sound keys starting with the word's consonants (3+ of them: a half-typed name)."""
    if len(bare) >= 3:
        for lo, hi in seg.prefix_ranges(bare):
            _scatter(cls, _postings(seg, SKEL, lo, hi), START[SKEL])


def _sound_keys(seg: Segment, cls: np.ndarray, word: str, bare: str, heard: str) -> None:
    """Sound keys of exactly the word's consonants whose written vowels the word has
    (see ``roman``), and the Arabic article when the word is one typed alone."""
    if bare:
        for digit in "2301":  # these consonants ("mhmd0…"), without an article (2, 3)
            value = EXACT[SKEL] - (digit in "23") | ALT
            for lo, hi in seg.prefix_ranges(bare + digit):
                for i in range(lo, min(hi, lo + _MAX_KEYS)):
                    if fits(seg.word(i)[len(bare) :], heard):
                        _scatter(cls, _postings(seg, SKEL, i, i + 1), value)
    if article(word):
        i = seg.exact_id(ARTICLE)
        if i >= 0:
            _scatter(cls, _postings(seg, SKEL, i, i + 1), EXACT[SKEL] | ALT)


def _below_one_edit(seg: Segment, cls: np.ndarray, word: str, short: bool, k: int) -> None:
    """Subsequences, two edits, romanized spellings, skeletons and nicknames."""
    letters = word.isalpha() and not is_dense(word)
    abbreviation = False
    if letters:
        ids, tight = subsequence_ids(seg, word)
        abbreviation = len(ids) > 0
        if abbreviation:
            for g in (NAME,) if short else (OTHER, ROMAN, NAME):
                _scatter(cls, _ranges(seg, g, ids, ids + 1), SUBSEQ[g])
            ids = ids[tight]
            _scatter(cls, _ranges(seg, NAME, ids, ids + 1), SUBSEQ_TIGHT)
    fuzzy: tuple[np.ndarray, np.ndarray] | None = None
    if k:
        lo, hi, dist = fuzzy_ranges(seg, word, k)
        two = dist == 2
        _scatter(cls, _ranges(seg, ROMAN, lo[two], hi[two]), FUZZY[2][ROMAN] | ALT)
        for g in (OTHER, NAME):
            _scatter(cls, _ranges(seg, g, lo[two], hi[two]), FUZZY[2][g])
        fuzzy = lo[~two], hi[~two]
        _scatter(cls, _ranges(seg, ROMAN, *fuzzy), FUZZY[1][ROMAN] | ALT)
    if letters:
        for form in nickname_forms(word):
            exact = seg.exact_id(form)
            if exact >= 0:
                _scatter(cls, _postings(seg, NAME, exact, exact + 1), NICK)
    bare, heard = sound(word) if letters and word.isascii() and seg.off[SKEL][-1] else ("", "")
    _sound_starts(seg, cls, bare)
    ranges = [] if short else seg.prefix_ranges(word)
    for lo_, hi_ in ranges:
        _scatter(cls, _postings(seg, ROMAN, lo_, hi_), START[ROMAN] | ALT)
    _sound_keys(seg, cls, word, bare, heard)
    exact = seg.exact_id(word) if ranges else -1
    if exact >= 0:
        _scatter(cls, _postings(seg, ROMAN, exact, exact + 1), EXACT[ROMAN] | ALT)
    if abbreviation:
        ids = abbreviation_ids(seg, word)
        _scatter(cls, _ranges(seg, NAME, ids, ids + 1), ABBREV)
    if fuzzy is not None:
        for g in (OTHER, NAME):
            _scatter(cls, _ranges(seg, g, *fuzzy), FUZZY[1][g])


def word_classes(seg: Segment, word: str) -> np.ndarray:
    """uint8[n]: the best match class of ``word`` for each slot (0: no match)."""
    cls = np.zeros(seg.n, np.uint8)
    if not seg.n:
        return cls
    dense = is_dense(word)
    short = len(word) <= 2 and not dense
    groups = (OTHER, NAME) if short else (TEXT, OTHER, NAME)
    _below_one_edit(seg, cls, word, short, budget(word))
    ranges = seg.prefix_ranges(word)
    if not short and not word.isdigit():  # numbers match from their start (phones aside)
        ids = seg.substring_ids(word)
        for lo, hi in ranges:
            ids = ids[(ids < lo) | (ids >= hi)]
        if len(ids):
            for g in groups:
                _scatter(cls, _ranges(seg, g, ids, ids + 1), SUB[g])
    if ranges:
        exact = seg.exact_id(word)
        for g in groups:
            for lo, hi in ranges:
                _scatter(cls, _postings(seg, g, lo, hi), START[g])
            if exact >= 0:
                _scatter(cls, _postings(seg, g, exact, exact + 1), EXACT[g])
    return cls


def phone_classes(seg: Segment, number: str) -> np.ndarray:
    """uint8[n]: slots whose phone digits contain ``number`` (a phone start scores more)."""
    cls = np.zeros(seg.n, np.uint8)
    hits = find_all(seg.phone_text, number)
    if len(hits):
        slots = np.searchsorted(seg.phone_starts, hits, side="right") - 1
        at_start = seg.phone_starts[slots] == hits
        cls[slots[~at_start]] = SUB[OTHER]
        cls[slots[at_start]] = START[OTHER]
    return cls
