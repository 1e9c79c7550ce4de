"""Matching one query word against one segment: a match class per slot.

A word matches a vocabulary word (and so every person whose field group holds it) by
prefix (a word start; the exact word scores one more), by substring (3+ letters, or
any length in scripts written without spaces; not for numbers), or fuzzily (4+ letters, not digits:
within one edit for 4-7 letters, two for 8+, transpositions counting as one edit,
against whole words and against word prefixes so a half-typed word with a slip still
matches; NAME and OTHER fields only, free text is too noisy for that). Classes go
from 1 (weakest) to 12; see ``index`` for how they rank people.
"""

from __future__ import annotations

import numpy as np

from .fuzzy import budget, fuzzy_ranges
from .normalize import is_dense
from .segment import NAME, OTHER, TEXT, Segment, find_all

__all__ = ["EXACT", "FUZZY", "START", "SUB", "phone_classes", "word_classes"]

FUZZY = {OTHER: 2, NAME: 3}
SUB = {TEXT: 4, OTHER: 5, NAME: 6}
START = {TEXT: 7, OTHER: 9, NAME: 11}
EXACT = {TEXT: 8, OTHER: 10, NAME: 12}


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


def word_classes(seg: Segment, word: str) -> np.ndarray:
    """uint8[n]: the best match class of ``word`` for each slot (0: no match)."""
    cls = np.zeros(seg.n, np.uint8)
    if not seg.n:
        return cls
    dense = is_dense(word)
    short = len(word) <= 2 and not dense
    groups = (OTHER, NAME) if short else (TEXT, OTHER, NAME)
    k = budget(word)
    if k:
        lo, hi = fuzzy_ranges(seg, word, k)
        if len(lo):
            for g in (OTHER, NAME):
                _scatter(cls, _ranges(seg, g, lo, hi), FUZZY[g])
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
            off, post = seg.off[g], seg.post[g]
            for lo, hi in ranges:
                _scatter(cls, post[off[lo] : off[hi]], START[g])
            if exact >= 0:
                _scatter(cls, post[off[exact] : off[exact + 1]], EXACT[g])
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
