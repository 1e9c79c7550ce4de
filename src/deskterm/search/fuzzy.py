"""Typo tolerance: which vocabulary words are within a few edits of a query word.

Only words of the NAME, OTHER and ROMAN groups that are letters only (3+ long, not
CJK ...) take part. For a query word of length L with budget k (1 for 4 letters, 2 for 5+;
two edits only against 6+ letters of a word, as Lucene's ``AUTO`` fuzziness, so
"gscia" finds "garcia" but "hnnaa" not "hanna")
the candidates are the distinct P-letter *prefixes* of those words, P in [L-k, L+k],
so "fiarwe" (half of "fairweather", with a slip) matches. Distance is optimal string
alignment (a transposition is one edit), computed by rapidfuzz on the few candidates
that pass a letter-set filter (a 64-bit mask per prefix: more than k letters missing
either way cannot be within k edits). Tables are numpy arrays (packed keys, or code
points), built per prefix length on first use and cached in the segment; only the
candidates that pass the filter become strings. Query words longer than 10 letters
compare with whole words of length L-k..L+k instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from . import packed
from .normalize import is_dense
from .segment import NAME, OTHER, ROMAN, Segment

__all__ = ["budget", "fuzzy_ranges", "warm_up"]

TWO_EDITS_FROM = 6  # two edits only against 6+ letters of a word (Lucene's AUTO)
_MAX_PREFIX = 12  # prefix tables for P <= this; longer words compare whole
_WIDTH = 24  # other words are kept as fixed-width code points, cut here
_CODE_BITS = np.array(
    [0, *(np.uint64(1) << np.uint64(ord(ch) & 63) for ch in packed.ALPHABET)] + [0] * 27,
    np.uint64,
)


@dataclass(frozen=True, slots=True)
class _Part:
    rows: np.ndarray  # packed keys (uint64) or code points (uint32[m, P])
    lo: np.ndarray  # int64: first word id with each prefix
    hi: np.ndarray  # int64: one past the last
    masks: np.ndarray  # uint64: set of letters (code point mod 64, NUL bit cleared)

    def spell(self, which: np.ndarray) -> list[str]:
        if self.rows.ndim == 1:
            return packed.decode(self.rows[which])
        rows = np.ascontiguousarray(self.rows[which])
        return rows.view(f"<U{rows.shape[1]}").ravel().tolist()


def budget(word: str) -> int:
    """Edits allowed for ``word`` (0: no fuzzy matching at all)."""
    if not 4 <= len(word) <= 32 or not word.isalpha() or is_dense(word):
        return 0
    return 1 if len(word) <= 4 else 2


def _mask(points: np.ndarray) -> np.ndarray:
    """Letter-set masks of rows of code points (0 = padding)."""
    bits = np.left_shift(np.uint64(1), (points & 63).astype(np.uint64))
    return np.bitwise_or.reduce(bits, axis=1) & ~np.uint64(1)


def _eligible(seg: Segment) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Words worth fuzzy matching: packed ids and lengths; other ids, lengths, points."""
    got = seg.cache.get("eligible")
    if got is None:
        has = np.diff(seg.off[NAME]) > 0
        has |= np.diff(seg.off[OTHER]) > 0
        has |= np.diff(seg.off[ROMAN]) > 0
        n_keys = seg.n_keys
        a = np.flatnonzero(has[:n_keys])
        keys = seg.keys[a]
        a_len = packed.lengths(keys)
        ok = (a_len >= 3) & packed.letters_only(keys)
        words = seg.words
        b = [i for i in np.flatnonzero(has[n_keys:]).tolist() if words[i].isalpha()]
        b = [i for i in b if words[i].isascii() or not is_dense(words[i])]  # ASCII: not dense
        points = np.array([words[i] for i in b], dtype=f"<U{_WIDTH}")
        points = points.view(np.uint32).reshape(len(b), _WIDTH)
        b_ids = np.array(b, np.int64)
        b_len = seg.word_starts[b_ids + 1] - seg.word_starts[b_ids] - 1
        got = (a[ok], a_len[ok], b_ids + n_keys, b_len, points)
        seg.cache["eligible"] = got
    return got  # type: ignore[return-value]


def _runs(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First and last index of each run of equal rows (sorted, non-empty)."""
    new = np.empty(len(rows), bool)
    new[0] = True
    diff = rows[1:] != rows[:-1]
    new[1:] = diff if diff.ndim == 1 else diff.any(axis=1)
    first = np.flatnonzero(new)
    return first, np.append(first[1:], len(rows)) - 1


def _parts(seg: Segment, size: int, whole: bool) -> list[_Part]:
    key = ("whole" if whole else "prefix", size)
    got = seg.cache.get(key)
    if got is None:
        a, a_len, b, b_len, points = _eligible(seg)
        got = []
        pick = a_len == size if whole else a_len >= size
        if size <= 8 and pick.any():
            ids = a[pick]
            cut = packed.truncate(seg.keys[ids], size)
            first, last = _runs(cut)
            masks = np.bitwise_or.reduce(_CODE_BITS[packed.codes(cut[first])], axis=1)
            got.append(_Part(cut[first], ids[first], ids[last] + 1, masks))
        pick = (b_len == size) if whole else (b_len >= size)
        if size <= _WIDTH and pick.any():
            ids = b[pick]
            cut = points[pick, :size]  # one copy of just the prefix columns
            first, last = _runs(cut)
            got.append(_Part(cut[first], ids[first], ids[last] + 1, _mask(cut[first])))
        seg.cache[key] = got
    return got  # type: ignore[return-value]


def fuzzy_ranges(seg: Segment, word: str, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word-id ranges ``[lo, hi)`` within ``k`` edits of ``word`` (exact prefix excluded),
    and the number of edits of each, at most 2; a slip in the first letter counts as
    two (agents seldom mistype the first letter: "tonas" is Tomás before Jonas)."""
    size = len(word)
    whole = size + k > _MAX_PREFIX
    mask = _mask(np.array([[ord(ch) for ch in word]], np.uint32))[0]
    los: list[np.ndarray] = []
    his: list[np.ndarray] = []
    dists: list[np.ndarray] = []
    for p in range(max(3, size - k), size + k + 1):
        for part in _parts(seg, p, whole):
            extra = np.bitwise_count(part.masks & ~mask)
            missing = np.bitwise_count(mask & ~part.masks)
            near = np.flatnonzero((extra <= k) & (missing <= k))
            if not len(near):
                continue
            spelled = part.spell(near)
            dist = process.cdist(
                [word], spelled, scorer=OSA.distance, score_cutoff=k, dtype=np.int32
            )[0]
            ok = dist <= k
            if p == size and not whole:
                ok &= dist > 0  # the word itself: that is prefix matching, done elsewhere
            if p < TWO_EDITS_FROM:
                ok &= dist <= 1
            hit = near[ok]
            if len(hit):
                los.append(part.lo[hit])
                his.append(part.hi[hit])
                slip = np.fromiter((w[0] != word[0] for w in spelled), bool, len(spelled))
                dists.append(np.minimum(dist + slip, 2)[ok])
    if not los:
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    return np.concatenate(los), np.concatenate(his), np.concatenate(dists)


def warm_up(seg: Segment) -> None:
    """Build the tables of the prefix lengths typed queries use most (3 to 10)."""
    for size in range(3, _MAX_PREFIX - 1):
        _parts(seg, size, whole=False)
