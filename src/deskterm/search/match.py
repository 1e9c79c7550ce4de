"""Matching one query word against one segment: a match class per slot.

A word matches a vocabulary word (and so every person whose field group holds it),
strongest first, by: word start (the exact word scores one more); substring (3+
letters, or any length in scripts written without spaces; not for numbers); one edit
(4+ letters, transpositions counting as one, against whole words and word prefixes
so a half-typed word with a slip still matches; NAME and OTHER fields only, free text
is too noisy); a romanized spelling of a non-Latin name or company, the sound of an
Arabic, Hebrew, Cyrillic or Greek one (its consonants and where a vowel is heard, see
``roman``; a key of an Arabic word without its article a little lower); a nickname of
a given name (bob → Robert); two edits (words of 6+ letters); and an fzf-style
in-order subsequence of a word starting with the same letter (``frwthr`` →
Fairweather; a tight one above a scattered one).

Classes go from 1 (weakest) to 18; see ``index`` for how they rank people. The name
outranks the other fields: from the top, the exact name word, then a given name of
the nickname typed or a name word the word starts and abbreviates (above a name word
merely starting so: "sam" is Samuel before Sami, "fr" Freya before François), a name
word starting with the word, the exact or starting word of the email,
company or tags, a name word typed as its first letter and consonants (``mrg`` →
Margo), a substring of a name word, one edit, another spelling, two edits, a tight
subsequence, a substring of a word of the other fields ("riz" in HorizonBright is
below Ruiz); below all of these, what matters
and notes (a word there, then a part of a word: "ted" in "frustrated" is weak), which
rank with scattered subsequences. Classes are applied weakest first, so a later
assignment is always an upgrade. A match of another spelling (not a half-typed sound)
carries the ``ALT`` flag (128): a person whose name, in another script, is all the
agent typed ranks above people who merely share one word of it.
"""

from __future__ import annotations

from itertools import repeat

import numpy as np

from .fuzzy import budget, fuzzy_ranges
from .normalize import is_dense
from .roman import ARTICLE, article, fits, nickname_forms, sound
from .segment import NAME, OTHER, ROMAN, SKEL, TEXT, Segment, find_all
from .subseq import abbreviation_ids, subsequence_ids

__all__ = [
    "ABBREV", "ALT", "EXACT", "FUZZY", "NAMED", "NICK", "START", "SUB", "SUBSEQ", "Hits",
    "again_classes", "phone_classes", "word_classes",
]  # fmt: skip

ALT = 128  # flag on a class: matched another spelling of the name (ROMAN or SKEL)
SUBSEQ = {OTHER: 1, ROMAN: 1, NAME: 2}
SUBSEQ_TIGHT = 5  # in the name
FUZZY = {2: {ROMAN: 6, OTHER: 6, NAME: 7}, 1: {ROMAN: 7, OTHER: 10, NAME: 11}}
NICK = 17  # a given name of a nickname (or a name word starting with the word and
# abbreviated by it, "fr": Freya): above a name word merely starting so
ABBREV = 13  # the whole word of the name, only vowels left out ("frwthr")
SUB = {TEXT: 1, OTHER: 4, NAME: 12}
START = {TEXT: 2, SKEL: 8, ROMAN: 8, OTHER: 14, NAME: 16}
EXACT = {TEXT: 3, SKEL: 9, ROMAN: 9, OTHER: 15, NAME: 18}
_MAX_KEYS = 64  # sound keys of one skeleton looked at (each a way of voicing it)
NAMED = (NAME, ROMAN, SKEL)  # the groups that hold the name (in some spelling)


class _Classes:
    """The best class per slot, raised step by step (weakest class first, so each
    assignment is an upgrade); with ``record``, each match of a group holding the
    name (but a scattered subsequence) is also kept as (group, slots, word ids,
    class)."""

    def __init__(self, seg: Segment, record: list[Hits] | None = None) -> None:
        self.seg = seg
        self.cls = np.zeros(seg.n, np.uint8)
        self.record = record

    def put(self, group: int, lo: np.ndarray, hi: np.ndarray, value: int) -> None:
        """Give ``value`` to the slots whose ``group`` holds a word in ``[lo[i], hi[i])``."""
        if not len(lo):
            return
        off, post = self.seg.off[group], self.seg.post[group]
        starts, ends = off[lo], off[hi]
        lens = ends - starts
        total = int(lens.sum())
        if total == 0:
            return
        if len(lo) == 1:  # a view, not a copy (a prefix of one letter: many people)
            slots = post[int(starts[0]) : int(ends[0])]
        elif len(lo) <= 8:
            pairs = zip(starts.tolist(), ends.tolist(), strict=True)
            slots = np.concatenate([post[a:b] for a, b in pairs])
        else:
            slots = post[_spans(starts, lens, total)]
        self.cls[slots] = value
        if self.record is not None and group in NAMED and value & ~ALT > SUBSEQ[NAME]:
            ids = _spans(lo, hi - lo, int((hi - lo).sum()))
            self.record.append(
                (group, slots, np.repeat(ids, off[ids + 1] - off[ids]), value & ~ALT)
            )

    def one(self, group: int, lo: int, hi: int, value: int) -> None:
        if 0 <= lo < hi:
            self.put(group, np.array([lo], np.int64), np.array([hi], np.int64), value)


Hits = tuple[int, np.ndarray, np.ndarray, int]  # (group, slots, word ids, class)


def _spans(starts: np.ndarray, lens: np.ndarray, total: int) -> np.ndarray:
    """``starts[i] .. starts[i] + lens[i] - 1`` for each i, concatenated."""
    if len(starts) <= 8:
        pairs = zip(starts.tolist(), (starts + lens).tolist(), strict=True)
        return np.concatenate([np.arange(a, b) for a, b in pairs])
    before = np.cumsum(lens) - lens
    return np.repeat(starts - before, lens) + np.arange(total)


_NAMED = (NAME, ROMAN, SKEL)  # the groups that hold the name (in some spelling)


def _sound_starts(seg: Segment, out: _Classes, bare: str) -> None:
    """Sound keys starting with the word's consonants (3+ of them: a half-typed name)."""
    if len(bare) >= 3:
        for lo, hi in seg.prefix_ranges(bare):
            out.one(SKEL, lo, hi, START[SKEL])


def _sound_keys(seg: Segment, out: _Classes, word: str, bare: str, heard: str) -> None:
    """Sound keys of exactly the word's consonants whose written vowels the word has
    (see ``roman``), and the Arabic article when the word is one typed alone."""
    if bare:
        for digit in "2301":  # these consonants ("mhmd0…"), without an article (2, 3)
            value = EXACT[SKEL] - (digit in "23") | ALT
            for lo, hi in seg.prefix_ranges(bare + digit):
                for i in range(lo, min(hi, lo + _MAX_KEYS)):
                    if fits(seg.word(i)[len(bare) :], heard):
                        out.one(SKEL, i, i + 1, value)
    if article(word):
        i = seg.exact_id(ARTICLE)
        if i >= 0:
            out.one(SKEL, i, i + 1, EXACT[SKEL] | ALT)


def _each(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return ids, ids + 1


def _fill(seg: Segment, out: _Classes, word: str) -> None:
    """Every way ``word`` matches, weakest class first (see the module docstring)."""
    dense = is_dense(word)
    short = len(word) <= 2 and not dense
    letters = word.isalpha() and not dense
    ranges = seg.prefix_ranges(word)
    exact = seg.exact_id(word) if ranges else -1
    sub = np.zeros(0, np.int64)
    if not short and not word.isdigit():  # numbers match from their start (phones aside)
        sub = seg.substring_ids(word)
        for lo, hi in ranges:
            sub = sub[(sub < lo) | (sub >= hi)]
    starts = [(np.array([lo]), np.array([hi])) for lo, hi in ranges]
    whole = _each(np.array([exact] if exact >= 0 else [], np.int64))
    ids, tight = subsequence_ids(seg, word) if letters else (sub[:0], sub[:0] > 0)
    out.put(TEXT, *_each(sub), SUB[TEXT])  # what matters, notes: below the name
    for g in (NAME,) if short else (OTHER, ROMAN, NAME):
        out.put(g, *_each(ids), SUBSEQ[g])
    if not short:
        for r in starts:
            out.put(TEXT, *r, START[TEXT])
        out.put(TEXT, *whole, EXACT[TEXT])
    out.put(OTHER, *_each(sub), SUB[OTHER])  # inside a word of the email, company, tags
    out.put(NAME, *_each(ids[tight]), SUBSEQ_TIGHT)
    one: tuple[np.ndarray, np.ndarray] = (sub[:0], sub[:0])
    k = budget(word)
    if k:
        lo, hi, dist = fuzzy_ranges(seg, word, k)
        two = dist == 2
        out.put(ROMAN, lo[two], hi[two], FUZZY[2][ROMAN] | ALT)
        out.put(OTHER, lo[two], hi[two], FUZZY[2][OTHER])
        out.put(NAME, lo[two], hi[two], FUZZY[2][NAME])
        one = lo[~two], hi[~two]
        out.put(ROMAN, *one, FUZZY[1][ROMAN] | ALT)
    bare, heard = sound(word) if letters and word.isascii() and seg.off[SKEL][-1] else ("", "")
    _sound_starts(seg, out, bare)
    if not short:
        for r in starts:
            out.put(ROMAN, *r, START[ROMAN] | ALT)
    _sound_keys(seg, out, word, bare, heard)
    if not short:
        out.put(ROMAN, *whole, EXACT[ROMAN] | ALT)
    out.put(OTHER, *one, FUZZY[1][OTHER])
    out.put(NAME, *one, FUZZY[1][NAME])
    out.put(NAME, *_each(sub), SUB[NAME])
    abbreviated = abbreviation_ids(seg, word) if len(ids) else ids
    out.put(NAME, *_each(abbreviated), ABBREV)
    for g in (OTHER, NAME):
        for r in starts:
            out.put(g, *r, START[g])
        if g == OTHER:
            out.put(g, *whole, EXACT[g])
    for lo, hi in ranges:  # "fr": Freya (all but vowels typed) before François
        out.put(NAME, *_each(abbreviated[(abbreviated >= lo) & (abbreviated < hi)]), NICK)
    for form in nickname_forms(word) if letters else ():
        i = seg.exact_id(form)
        out.one(NAME, i, i + 1, NICK)
    out.put(NAME, *whole, EXACT[NAME])


def word_classes(seg: Segment, word: str, record: list[Hits] | None = None) -> np.ndarray:
    """uint8[n]: the best match class of ``word`` for each slot (0: no match); with
    ``record``, also the matches of the name groups (see ``_Classes``)."""
    out = _Classes(seg, record)
    if seg.n:
        _fill(seg, out, word)
    return out.cls


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


def again_classes(seg: Segment, record: list[Hits], times: int) -> np.ndarray:
    """uint16[n]: for a word typed ``times`` times, what its 2nd, 3rd … copies add: each
    copy the class of a further distinct word of the name it matches ("ali al ali":
    Ali Al Ali, علي العلي), the best spelling group's sum."""
    total = np.zeros(seg.n, np.uint16)
    for group in NAMED:
        got = [(s, w, v) for g, s, w, v in record if g == group]
        if not got:
            continue
        slots = np.concatenate([s for s, _, _ in got])
        words = np.concatenate([w for _, w, _ in got])
        value = np.concatenate([np.full(len(s), v, np.int64) for s, _, v in got])
        order = np.lexsort((-value, words, slots))  # the best class of each name word
        slots, words, value = slots[order], words[order], value[order]
        keep = _run_starts(slots, words)
        slots, words, value = slots[keep], words[keep], value[keep]
        if group == NAME:  # a word the name holds twice is two words
            twice = _twice(seg, slots, words)
            slots = np.concatenate([slots, slots[twice]])
            value = np.concatenate([value, value[twice]])
        order = np.lexsort((-value, slots))
        slots, value = slots[order], value[order]
        first = np.flatnonzero(_run_starts(slots))
        nth = np.arange(len(slots)) - np.repeat(first, np.diff(first, append=len(slots)))
        pick = (nth >= 1) & (nth < times)
        sums = np.bincount(slots[pick], value[pick], minlength=seg.n).astype(np.uint16)
        np.maximum(total, sums, out=total)
    return total


def _run_starts(*keys: np.ndarray) -> np.ndarray:
    """Mask of the first row of each run of equal rows of the sorted ``keys``."""
    first = np.ones(len(keys[0]), bool)
    if len(first):
        first[1:] = np.logical_or.reduce([k[1:] != k[:-1] for k in keys])
    return first


def _twice(seg: Segment, slots: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Mask: the name of ``slots[i]`` holds the word ``words[i]`` more than once."""
    repeats = seg.cache.get("name_repeats")
    if repeats is None:  # names with fewer distinct words than words
        typed = np.fromiter(map(str.count, seg.name_keys, repeat(" ")), np.int64, seg.n) + 1
        distinct = np.bincount(seg.post[NAME], minlength=seg.n)
        repeats = typed[seg.name_pos] > distinct
        seg.cache["name_repeats"] = repeats
    out = np.zeros(len(slots), bool)
    for i in np.flatnonzero(repeats[slots]).tolist():  # type: ignore[index]
        out[i] = seg.name_key(int(slots[i])).split().count(seg.word(int(words[i]))) > 1
    return out
