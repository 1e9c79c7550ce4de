"""Turning what the agent typed into terms, and scoring one segment against them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .match import ALT, Hits, again_classes, phone_classes, word_classes
from .model import SearchCancelled
from .normalize import digits, normalize, tokens
from .segment import NAME, Segment

__all__ = ["MAX_TERMS", "Query", "Term", "parse", "score_segment"]

MAX_QUERY = 512  # characters of a query that are looked at
MAX_TERMS = 12  # words beyond this are ignored (they would only slow the search)
MAX_WORD = 64  # longer words are cut (they still match by prefix)
TIER = 256  # score bonus for a name starting with the query (twice for an exact name)
ALT_BONUS = 64  # every word matched the name in another script (above any word sum)
_NUMBER = re.compile(r"(?<!\w)\d[\d \-().+/]*\d(?!\w)")


@dataclass(frozen=True, slots=True)
class Term:
    """Words that must all match, or, when ``number`` is set, a phone containing it."""

    words: tuple[str, ...]
    number: str = ""


@dataclass(frozen=True, slots=True)
class Query:
    terms: tuple[Term, ...]  # each once, in the order typed
    name_key: str  # the folded words joined by spaces: compared with whole names
    times: tuple[int, ...]  # how often each term was typed ("ali al ali": 2, 1)


def parse(text: str) -> Query:
    """Split ``text`` into terms; digit groups of 3+ digits may also match phones."""
    folded = normalize(text[:MAX_QUERY])
    terms: list[Term] = []
    pos = 0
    for m in _NUMBER.finditer(folded):
        terms += [Term((w,)) for w in tokens(folded[pos : m.start()])]
        words = tuple(w[:MAX_WORD] for w in tokens(m.group()))
        number = digits(m.group())
        if len(number) >= 3:
            terms.append(Term(words, number))
        else:
            terms += [Term((w,)) for w in words]
        pos = m.end()
    terms += [Term((w[:MAX_WORD],)) for w in tokens(folded[pos:])]
    times = Counter(terms)
    unique = tuple(times)[:MAX_TERMS]
    key = " ".join(w for t in terms for w in t.words)
    return Query(unique, key, tuple(min(times[t], MAX_TERMS) for t in unique))


def _term_classes(seg: Segment, term: Term, record: list[Hits] | None = None) -> np.ndarray:
    cls = word_classes(seg, term.words[0], record)
    if len(term.words) > 1 or term.number:
        cls &= ~np.uint8(ALT)  # only plain words count for the other-spelling bonus
    for word in term.words[1:]:
        np.minimum(cls, word_classes(seg, word), out=cls)
    if term.number:
        np.maximum(cls, phone_classes(seg, term.number), out=cls)
    return cls


def _name_bonus(seg: Segment, query: Query, slots: np.ndarray) -> np.ndarray:
    """1 for a name starting with the first word typed, 1 for a name of no more words
    than were typed: among people matching alike, "ruth mor" finds Ruth Moreau before
    Björn Ruth Moreau and Ruth Ada Moreau (as fzf, which prefers early, short matches)."""
    words = seg.cache.get("name_words")
    if words is None:  # distinct words of each name, counted once per segment
        words = np.bincount(seg.post[NAME], minlength=seg.n).astype(np.uint16)
        seg.cache["name_words"] = words
    bonus = (words[slots] <= sum(query.times)).astype(np.uint16)  # type: ignore[index]
    first = query.terms[0].words[0]
    lo = bisect_left(seg.name_keys, first)
    hi = bisect_left(seg.name_keys, first + "\U0010ffff", lo)
    if lo < hi:
        pos = seg.name_pos[slots]
        bonus += (pos >= lo) & (pos < hi)
    return bonus


def score_segment(
    seg: Segment,
    query: Query,
    alive: np.ndarray,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(slots matching every term, their scores), slots ascending."""
    score: np.ndarray | None = None
    ok: np.ndarray = alive
    alt: np.ndarray | None = None
    again: np.ndarray | None = None  # what the repeats of repeated words add
    for term, times in zip(query.terms, query.times, strict=True):
        if cancelled is not None and cancelled():
            raise SearchCancelled(query.name_key)
        record: list[Hits] | None = [] if times > 1 and len(term.words) == 1 else None
        cls = _term_classes(seg, term, record)
        if record:
            more = again_classes(seg, record, times)
            again = more if again is None else again + more
        ok = ok & (cls > 0)
        flagged = cls >= ALT
        alt = flagged if alt is None else alt & flagged
        cls &= ~np.uint8(ALT)
        if score is None:
            score = cls.astype(np.uint16)
        else:
            score += cls
        if not ok.any():
            return np.zeros(0, np.int64), np.zeros(0, np.uint16)
    if score is None or alt is None:
        return np.zeros(0, np.int64), np.zeros(0, np.uint16)
    if sum(query.times) > 1:  # one word is no evidence of a whole name
        score += alt.astype(np.uint16) * ALT_BONUS
    if again is not None:
        score += again
    slots = np.flatnonzero(ok)
    score = score[slots]
    names = seg.name_keys
    score += _name_bonus(seg, query, slots)
    key = query.name_key
    lo = bisect_left(names, key)
    hi = bisect_left(names, key + "\U0010ffff", lo)
    if lo < hi:
        exact = bisect_right(names, key, lo, hi)
        pos = seg.name_pos[slots]
        starts = (pos >= lo) & (pos < hi)
        score += starts.astype(np.uint16) * TIER
        score += (starts & (pos < exact)).astype(np.uint16) * TIER
    return slots, score
