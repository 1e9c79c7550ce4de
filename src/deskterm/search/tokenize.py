"""Splitting many texts into (word, slot) pairs fast, for building segments.

ASCII texts (most of them) never become Python word objects: a batch is joined into
one string, translated to 6-bit codes (see ``packed``) and handled in numpy. Words of
up to 8 characters are packed into 48-bit keys and one sort of ``key << 16 | doc``
groups and de-duplicates the pairs; words of 9 to 16 characters are hashed from two
packed halves (the halves of one occurrence per distinct hash are kept to spell the
word once, at the end). Longer ASCII words and all non-ASCII texts go through a dict
of *raw* words (after ``prepare``, before ``fold_word``), folded once per distinct word.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import compress, count

import numpy as np

from .normalize import prepare, word_re
from .packed import ALPHABET

__all__ = ["Collector", "GroupPairs", "joined", "tokenise"]

# One translate turns ASCII text into codes: 1..36 for [0-9a-z] (either case), 37 for
# the apostrophe (inside words, then dropped), 0 for anything else (between words, and
# the NUL between documents).
_APOSTROPHE = 37
_TO_CODE = {c: "\x00" for c in range(128)}
_TO_CODE |= {ord(ch): chr(i) for i, ch in enumerate(ALPHABET, 1)}
_TO_CODE |= {ord(ch.upper()): chr(i) for i, ch in enumerate(ALPHABET, 1) if ch.isalpha()}
_TO_CODE |= {ord("'"): chr(_APOSTROPHE)}
_KEEP = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], np.uint64)
_DOC_BITS = 16
_BATCH_DOCS = 1 << _DOC_BITS
_BATCH_CHARS = 1 << 23
_U = np.uint64


@dataclass(slots=True)
class GroupPairs:
    """The (word, slot) pairs of one field group, in batches, sorted by word in each."""

    packed: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (key, slot)
    hashed: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (hash, slot)
    strings: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (raw, slot)
    keep_order: bool = False  # record ``ordered`` (for the name group)
    ordered: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (slots, raw)


@dataclass(slots=True)
class Collector:
    """What the groups of one build share: raw words, and how to spell each hash."""

    strings: dict[str, int] = field(default_factory=lambda: {"\x00": 0})
    hashes: list[np.ndarray] = field(default_factory=list)  # u64, distinct per batch
    halves: list[np.ndarray] = field(default_factory=list)  # u64[k, 2]: packed halves


def joined(parts: Sequence[str], sep: str, mark: str) -> str:
    """``sep.join(parts)``, first blanking ``mark`` inside the parts if any held it."""
    out = sep.join(parts)
    if out.count(mark) != max(len(parts) - 1, 0) * sep.count(mark):
        out = sep.join(p.replace(mark, " ") for p in parts)
    return out


def _ids(words: list[str], strings: dict[str, int]) -> np.ndarray:
    new = set(words)
    new.difference_update(strings)
    strings.update(zip(new, count(len(strings))))
    return np.fromiter(map(strings.__getitem__, words), np.int32, len(words))


def _pack(x: np.ndarray) -> np.ndarray:
    """Eight 6-bit codes, one per byte (first code lowest), into 48 bits, first highest."""
    x = ((x & _U(0x003F003F003F003F)) << _U(6)) | ((x & _U(0x3F003F003F003F00)) >> _U(8))
    x = ((x & _U(0x00000FFF00000FFF)) << _U(12)) | ((x & _U(0x0FFF00000FFF0000)) >> _U(16))
    return ((x & _U(0xFFFFFF)) << _U(24)) | ((x & _U(0x00FFFFFF00000000)) >> _U(32))


def _window(code: np.ndarray, at: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """The packed codes of the (up to) 8 characters from each ``at``."""
    window = np.lib.stride_tricks.sliding_window_view(code, 8)[at]
    return _pack(window.view(np.uint64).ravel() & _KEEP[np.minimum(lens, 8)])


def _distinct(sorted_keys: np.ndarray) -> np.ndarray:
    """Mask of the first of each run of equal values (array sorted, non-empty)."""
    first = np.empty(len(sorted_keys), bool)
    first[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=first[1:])
    return first


def _short_words(
    code: np.ndarray, at: np.ndarray, lens: np.ndarray, doc: np.ndarray, slots: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Words of up to 8 characters: (key, slot) pairs, sorted and distinct."""
    key = (_window(code, at, lens) << _U(_DOC_BITS)) | doc.astype(_U)
    key.sort()
    key = key[_distinct(key)]
    local = (key & _U(_BATCH_DOCS - 1)).astype(np.int64)
    return key >> _U(_DOC_BITS), slots[local].astype(np.int32)


def _medium_words(
    code: np.ndarray,
    at: np.ndarray,
    lens: np.ndarray,
    doc: np.ndarray,
    slots: np.ndarray,
    into: Collector,
) -> tuple[np.ndarray, np.ndarray]:
    """Words of 9 to 16 characters: (hash, slot) pairs, sorted and distinct."""
    head, tail = _window(code, at, lens), _window(code, at + 8, lens - 8)
    mixed = head * _U(0x9E3779B97F4A7C15) + tail * _U(0xC2B2AE3D27D4EB4F)
    mixed ^= mixed >> _U(29)
    order = np.argsort(mixed, kind="stable")  # equal words together, documents ascending
    mixed, doc = mixed[order], doc[order]
    new_word = _distinct(mixed)
    first = order[new_word]
    into.hashes.append(mixed[new_word])
    into.halves.append(np.stack([head[first], tail[first]], axis=1))
    keep = new_word.copy()
    keep[1:] |= doc[1:] != doc[:-1]
    return mixed[keep], slots[doc[keep]].astype(np.int32)


def _ascii_batch(
    texts: Sequence[str],
    sizes: np.ndarray,
    slots: np.ndarray,
    out: GroupPairs,
    into: Collector,
    text: str | None = None,
) -> None:
    text = "\x00".join(texts) if text is None else text
    code = np.frombuffer(("\x00" + text.translate(_TO_CODE) + "\x00" * 16).encode(), np.uint8)
    edges = np.flatnonzero(code[1:].astype(bool) != code[:-1].astype(bool)) + 1
    starts, ends = edges[0::2], edges[1::2]  # the text starts and ends between words
    if not len(starts):
        return
    doc_ends = np.cumsum(sizes + 1)
    per_doc = np.diff(np.searchsorted(starts, doc_ends), prepend=0)
    doc = np.repeat(np.arange(len(texts)), per_doc)
    lens = ends - starts
    kind = np.minimum((lens + 7) >> 3, 3)  # 1: up to 8 characters, 2: up to 16, 3: longer
    if "'" in text:  # words with an apostrophe are spelled without it, by the slow path
        kind[np.searchsorted(starts, np.flatnonzero(code == _APOSTROPHE), side="right") - 1] = 3
    for size in (1, 2, 3):
        sel = np.flatnonzero(kind == size)
        if not len(sel):
            continue
        if size == 1:
            out.packed.append(_short_words(code, starts[sel], lens[sel], doc[sel], slots))
        elif size == 2:
            out.hashed.append(_medium_words(code, starts[sel], lens[sel], doc[sel], slots, into))
        else:
            plain = text.lower()  # offsets: one less than in ``code``
            a, e = (starts[sel] - 1).tolist(), (ends[sel] - 1).tolist()
            words = [plain[i:j].replace("'", "") for i, j in zip(a, e, strict=True)]
            out.strings.append((_ids(words, into.strings), slots[doc[sel]].astype(np.int32)))


def _other_batch(
    texts: Sequence[str], sizes: np.ndarray, slots: np.ndarray, out: GroupPairs, into: Collector
) -> None:
    text = prepare(joined([*texts, ""], " \x00 ", "\x00")).replace("_", " ")
    ids = _ids(word_re().findall(text), into.strings)
    if out.keep_order:  # every text's raw words in order, each text ended by a 0
        out.ordered.append((slots, ids))
    sep = ids == 0  # "\x00" is raw word 0: the end of a text
    local = np.cumsum(sep) - sep
    keep = ~sep
    out.strings.append((ids[keep], slots[local[keep]].astype(np.int32)))


def _batches(sizes: np.ndarray) -> list[tuple[int, int]]:
    """``[a, b)`` index ranges of at most 2**16 texts and about 8M characters."""
    if len(sizes) <= _BATCH_DOCS and int(sizes.sum()) <= _BATCH_CHARS:
        return [(0, len(sizes))] if len(sizes) else []
    ends = np.cumsum(sizes + 1)
    out = []
    a = 0
    while a < len(sizes):
        limit = (ends[a - 1] if a else 0) + _BATCH_CHARS
        b = max(a + 1, min(a + _BATCH_DOCS, int(np.searchsorted(ends, limit, side="right"))))
        out.append((a, b))
        a = b
    return out


def tokenise(
    texts: Sequence[str], into: Collector, out: GroupPairs | None = None, limit: int = 1 << 30
) -> GroupPairs:
    """Add the (word, slot) pairs of ``texts`` (slot = index) to ``out``.

    Texts longer than ``limit`` are cut. Raises TypeError if a text is not a string.
    """
    n = len(texts)
    out = GroupPairs() if out is None else out
    sizes = np.fromiter(map(len, texts), np.int64, n)
    if n and sizes.max() > limit:
        texts = [t[:limit] for t in texts]
        np.minimum(sizes, limit, out=sizes)
    slots = np.arange(n)
    for a, b in _batches(sizes):
        part = texts[a:b]
        text = "\x00".join(part)
        if text.isascii():
            _ascii_batch(part, sizes[a:b], slots[a:b], out, into, text)
            continue
        plain = np.fromiter(map(str.isascii, part), bool, len(part))
        for flag, handler in ((True, _ascii_batch), (False, _other_batch)):
            where = np.flatnonzero(plain == flag)
            if len(where):
                chosen = list(compress(part, plain if flag else ~plain))
                handler(chosen, sizes[a:b][where], slots[a:b][where], out, into)
    return out
