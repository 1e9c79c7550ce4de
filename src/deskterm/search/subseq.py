"""fzf's way of matching a word: its letters in order, the first at the word's start.

``frwthr`` → "fairweather", ``mrg`` → "margo". The candidates are the vocabulary words
starting with the query's first letter (one or two id ranges, as the words are sorted);
one regular expression with possessive runs (``[^r\\n]*+r``: no backtracking) scans
that slice of the segment's word texts. Like fzf, a match whose letters lie close
together (consecutive runs) scores more than a scattered one: ``tight`` says whether
the matched span is at most half again as long as the query word.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from .segment import Segment

__all__ = ["abbreviation_ids", "subsequence_ids"]

_EMPTY = np.zeros(0, np.int64)
_VOWELS = "[aeiouy]*+"  # letters an abbreviation leaves out (as typed: "mrg frwthr")
_HAS_VOWEL = re.compile("[aeiouy]")
_DOUBLE = re.compile(r"(.)\1+")


@lru_cache(maxsize=256)
def _pattern(rest: str) -> re.Pattern[str]:
    """A line start, the word's first letter, then each letter of ``rest`` in order."""
    runs = "".join(f"[^{re.escape(c)}\n]*+{re.escape(c)}" for c in rest)
    return re.compile(f"\n.{runs}")


@lru_cache(maxsize=256)
def _strict(rest: str) -> re.Pattern[str]:
    """A line start, the first letter, then the consonants of ``rest`` with only vowels
    between them (a doubled letter may be typed once): the whole word."""
    runs = "".join(f"{_VOWELS}(?:{re.escape(c)})++" for c in _DOUBLE.sub(r"\1", rest))
    return re.compile(f"\n.{runs}{_VOWELS}(?=[\0\n]|\\Z)")


def _scan(text: str, pattern: re.Pattern[str]) -> tuple[list[int], list[int]]:
    """Line-start offsets (in ``text``) of the lines matching, and each match's span."""
    starts: list[int] = []
    spans: list[int] = []
    for m in pattern.finditer("\n" + text):
        starts.append(m.start())
        spans.append(m.end() - m.start() - 1)
    return starts, spans


def abbreviation_ids(seg: Segment, word: str) -> np.ndarray:
    """Sorted ids of the words ``word`` abbreviates fzf's way: their first letter,
    then their consonants ("frwthr": Fairweather; "mr": Moreau, Meyer). Empty unless
    ``word`` is such an abbreviation (2+ letters, no vowel after the first)."""
    if len(word) < 2 or _HAS_VOWEL.search(word, 1) is not None:
        return _EMPTY
    return _matches(seg, word, _strict(word[1:]))[0]


def subsequence_ids(seg: Segment, word: str) -> tuple[np.ndarray, np.ndarray]:
    """Sorted ids of the words ``word`` is an in-order subsequence of (same first
    letter), and whether each match is tight."""
    if len(word) < 2:
        return _EMPTY, np.zeros(0, bool)
    ids, spans = _matches(seg, word, _pattern(word[1:]))
    if not len(ids):
        return _EMPTY, np.zeros(0, bool)
    return ids, np.array(spans, np.int64) <= len(word) + len(word) // 2


def _matches(seg: Segment, word: str, pattern: re.Pattern[str]) -> tuple[np.ndarray, list[int]]:
    """Ids of the words starting with ``word[0]`` that ``pattern`` matches, and spans."""
    ids: list[np.ndarray] = []
    spans: list[int] = []
    for lo, hi in seg.prefix_ranges(word[0]):
        if lo < seg.n_keys:  # packed words: 9 characters a line
            starts, found = _scan(seg.key_text[9 * lo : 9 * hi], pattern)
            ids.append(lo + np.array(starts, np.int64) // 9)
        else:
            a, b = lo - seg.n_keys, hi - seg.n_keys
            base = int(seg.word_starts[a])
            starts, found = _scan(seg.word_text[base : int(seg.word_starts[b]) - 1], pattern)
            rel = seg.word_starts[a : b + 1] - base
            where = np.searchsorted(rel, np.array(starts, np.int64), side="right") - 1
            ids.append(lo + where)
        spans += found
    if not spans:
        return _EMPTY, spans
    return np.concatenate(ids), spans
