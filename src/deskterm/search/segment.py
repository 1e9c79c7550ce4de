"""An immutable inverted index over a batch of people (one segment of a SearchIndex).

Each person gets a *slot* (0..n-1, in id order). Words are folded (see ``normalize``)
and numbered in two sorted runs: first the packable words (up to 8 of ``[0-9a-z]``,
kept only as integer keys, see ``packed``), then every other word as a string. The
postings of three field groups share these word ids: NAME (the name), OTHER (email,
company, tags) and TEXT (what matters to them, notes): ``post[g][off[g][w]:
off[g][w + 1]]`` are the slots whose group ``g`` holds word ``w``. As both runs are
sorted, the words starting with a prefix form at most two id ranges.
"""

from __future__ import annotations

import gc
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import count, repeat
from operator import attrgetter

import numpy as np

from . import packed
from .model import SearchDoc
from .normalize import ASCII_SPLIT, digits, fold_word
from .roman import romanize_all, skeletons
from .tokenize import Collector, GroupPairs, joined, tokenise

__all__ = [
    "GROUPS", "NAME", "NOTES_LIMIT", "OTHER", "ROMAN", "SKEL", "TEXT", "Segment",
    "build_segment", "csr",
]  # fmt: skip

NAME, OTHER, TEXT, ROMAN, SKEL = 0, 1, 2, 3, 4
GROUPS = 5
NOTES_LIMIT = 500  # characters of notes (and of "what matters") that are indexed
_FIELD_LIMIT = 2_000  # any other field is cut here: names are not essays
_SPACES = re.compile(" +")
_KEEP_DIGITS = str.maketrans(
    {chr(c): None for c in range(128) if not chr(c).isdigit()} | {"\n": "\n"}
)
_I32 = np.int32
_I64 = np.int64
_FIELDS = attrgetter("name", "email", "company", "tags", "matters", "notes", "phone")


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """Arrays for ``n`` people; see the module docstring for the layout."""

    ids: np.ndarray  # int64[n] person id of each slot (ascending)
    keys: np.ndarray  # uint64[A] packable words, sorted: word ids 0..A-1
    key_text: str  # ``packed.text(keys)``: substring search, word i at 9 * i
    words: list[str]  # other words, sorted: word ids A..A+B-1
    word_text: str  # ``words`` joined with "\n"
    word_starts: np.ndarray  # int64[B + 1] offset of each word in word_text
    off: tuple[np.ndarray, ...]  # int64[A + B + 1] per group (GROUPS of them)
    post: tuple[np.ndarray, ...]  # int32 slots per group
    name_keys: list[str]  # sorted folded names, words joined by one space
    name_pos: np.ndarray  # int32[n] position of each slot's name in name_keys
    phone_text: str  # digits of each slot's phone, one line per slot
    phone_starts: np.ndarray  # int64[n + 1] offset of each line in phone_text
    cache: dict[object, object] = field(default_factory=dict)  # lazy fuzzy tables

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def n_keys(self) -> int:
        return len(self.keys)

    def renumbered(self, ids: Sequence[int]) -> Segment | None:
        """The same people, numbered ``ids`` slot by slot instead (an import indexes
        its rows before the database has given them ids); None unless ``ids`` are as
        many as the slots and ascending (as the slots' ids are), so that the slots'
        order, and with it every ranking tie, stays the same."""
        new = np.asarray(ids, dtype=_I64)
        if new.shape != self.ids.shape or (len(new) and (np.diff(new) <= 0).any()):
            return None
        return replace(self, ids=new, cache={})

    def slot_of(self, person_id: int) -> int:
        """The slot holding ``person_id``, or -1."""
        i = int(np.searchsorted(self.ids, person_id))
        return i if i < len(self.ids) and self.ids[i] == person_id else -1

    def name_key(self, slot: int) -> str:
        return self.name_keys[int(self.name_pos[slot])]

    def word(self, word_id: int) -> str:
        if word_id < self.n_keys:
            return packed.decode(self.keys[word_id : word_id + 1])[0]
        return self.words[word_id - self.n_keys]

    def prefix_ranges(self, word: str) -> list[tuple[int, int]]:
        """Word-id ranges ``[lo, hi)`` of the words starting with ``word``."""
        out = []
        if len(word) <= 8 and packed.is_packable(word):
            bounds = np.array(packed.prefix_bounds(word), np.uint64)
            lo, hi = np.searchsorted(self.keys, bounds).tolist()
            if lo < hi:
                out.append((lo, hi))
        lo = bisect_left(self.words, word)
        hi = bisect_left(self.words, word + "\U0010ffff", lo)
        if lo < hi:
            out.append((lo + self.n_keys, hi + self.n_keys))
        return out

    def exact_id(self, word: str) -> int:
        """The id of ``word``, or -1."""
        if packed.is_packable(word):
            key = np.uint64(packed.pack(word))
            i = int(np.searchsorted(self.keys, key))
            return i if i < len(self.keys) and self.keys[i] == key else -1
        i = bisect_left(self.words, word)
        return i + self.n_keys if i < len(self.words) and self.words[i] == word else -1

    def substring_ids(self, word: str) -> np.ndarray:
        """Sorted ids of the words containing ``word``."""
        parts = []
        if len(word) <= 8 and packed.is_packable(word):
            parts.append(_distinct(find_all(self.key_text, word) // 9))
        hits = find_all(self.word_text, word)
        if len(hits):
            ids = np.searchsorted(self.word_starts, hits, side="right") - 1
            parts.append(_distinct(ids) + self.n_keys)
        return np.concatenate(parts) if parts else np.zeros(0, _I64)

    def nbytes(self) -> int:
        """Approximate memory held by the segment (arrays and strings)."""
        arrays = [self.ids, self.keys, self.word_starts, self.name_pos, self.phone_starts]
        size = sum(a.nbytes for a in (*arrays, *self.off, *self.post))
        size += sum(map(len, self.words)) + 57 * len(self.words)
        size += sum(map(len, self.name_keys)) + 57 * len(self.name_keys)
        return size + len(self.key_text) + 2 * len(self.word_text) + len(self.phone_text)


def _distinct(ordered: np.ndarray) -> np.ndarray:
    """``np.unique`` of an already sorted array, without its sort (nor its check for
    masked arrays, which imports ``numpy.ma``: 20 ms of a one-off search)."""
    if len(ordered) < 2:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


def find_all(text: str, needle: str) -> np.ndarray:
    """Start offsets of the non-overlapping occurrences of ``needle`` in ``text``."""
    out: list[int] = []
    find, step = text.find, len(needle)
    at = find(needle)
    while at >= 0:
        out.append(at)
        at = find(needle, at + step)
    return np.array(out, _I64)


def sorted_unique(values: np.ndarray) -> np.ndarray:
    values = np.sort(values)
    return values[_first_of_runs(values)] if len(values) else values


def _first_of_runs(values: np.ndarray) -> np.ndarray:
    first = np.empty(len(values), bool)
    if len(values):
        first[0] = True
        np.not_equal(values[1:], values[:-1], out=first[1:])
    return first


def _runs(values: np.ndarray) -> np.ndarray:
    """Start of each run of equal values in a sorted array."""
    return np.flatnonzero(_first_of_runs(values))


def csr(words: np.ndarray, slots: np.ndarray, n: int, v: int) -> tuple[np.ndarray, np.ndarray]:
    """Offsets and postings (sorted, without duplicates) from word/slot pairs."""
    bits = max(1, int(n).bit_length())
    if len(words) and words.min() < 0:
        keep = words >= 0
        words, slots = words[keep], slots[keep]
    key = (words.astype(_I64) << bits) | slots
    key.sort()
    first = _first_of_runs(key)
    if not first.all():
        key = key[first]
    post = (key & ((1 << bits) - 1)).astype(_I32)
    off = np.zeros(v + 1, _I64)
    np.cumsum(np.bincount(key >> bits, minlength=v), out=off[1:])
    return off, post


def _cut(texts: list[str], limit: int) -> list[str]:
    """``texts`` with any text longer than ``limit`` cut."""
    if texts and max(map(len, texts)) > limit:
        return [t if len(t) <= limit else t[:limit] for t in texts]
    return texts


def _clean(doc: SearchDoc) -> SearchDoc:
    """``doc`` with every field a string (None becomes "", anything else ``str()``)."""

    def text(value: object) -> str:
        return "" if value is None else value if isinstance(value, str) else str(value)

    return SearchDoc(
        doc.id, text(doc.name), text(doc.email), text(doc.company), text(doc.phone),
        text(doc.tags), text(doc.matters), text(doc.notes),
    )  # fmt: skip


def _name_keys(names: list[str], group: GroupPairs, folded: list[str]) -> list[str]:
    """Each name folded, its words joined by single spaces (as ``tokens`` splits).

    ASCII names are done here in bulk; the others reuse the words (in order) that the
    tokeniser found in them and their folded forms.
    """
    is_ascii = np.fromiter(map(str.isascii, names), bool, len(names))
    keys = names
    if not is_ascii.all():
        keys = [""] * len(names)
        folded = ["\x00", *folded[1:]]
        for slots, raw in group.ordered:
            text = _SPACES.sub(" ", " ".join([folded[i] for i in raw.tolist()]))
            parts = text.split("\x00")
            for slot, key in zip(slots.tolist(), map(str.strip, parts), strict=False):
                keys[slot] = key
    where = np.flatnonzero(is_ascii).tolist()
    if where:
        chosen = names if len(where) == len(names) else [names[i] for i in where]
        text = _SPACES.sub(" ", joined(chosen, "\x00", "\x00").lower().translate(ASCII_SPLIT))
        plain = list(map(str.strip, text.split("\x00")))
        if len(where) == len(names):
            return plain
        for i, key in zip(where, plain, strict=True):
            keys[i] = key
    return keys


def _phones(phones: Sequence[str]) -> tuple[str, np.ndarray]:
    """Digits-only phones, one per line, and the offset of each line."""
    text = joined(phones, "\n", "\n")
    if not text.isascii():
        text = "\n".join(p if p.isascii() else digits(p) for p in text.split("\n"))
    text = text.translate(_KEEP_DIGITS)
    raw = np.frombuffer(text.encode("ascii"), np.uint8)
    starts = np.zeros(len(phones) + 1, _I64)
    if phones:
        starts[1:-1] = np.flatnonzero(raw == 10) + 1
        starts[-1] = len(text) + 1
    return text, starts


def _vocabulary(
    groups: list[GroupPairs], into: Collector
) -> tuple[np.ndarray, list[str], list[np.ndarray], list[str]]:
    """Packable keys, other words (both sorted), each group's word id per pair, and
    the folded form of each raw word."""
    spelled: list[str] = []
    hashes = np.zeros(0, np.uint64)
    if into.hashes:
        every = np.concatenate(into.hashes)
        order = np.argsort(every, kind="stable")
        first = order[_first_of_runs(every[order])]
        hashes = every[first]
        halves = np.concatenate(into.halves)[first]
        spelled = [a + b for a, b in zip(*map(packed.decode, halves.T), strict=True)]
    raw = list(into.strings)
    folded = list(map(fold_word, raw))
    folded[0] = ""  # the document separator
    packable = [packed.is_packable(w) for w in folded]
    keys = sorted_unique(
        np.concatenate(
            [k[_runs(k)] for g in groups for k, _ in g.packed]
            + [packed.pack_many([w for w, p in zip(folded, packable, strict=True) if p])]
        )
    )
    others = {w for w, p in zip(folded, packable, strict=True) if w and not p}
    words = sorted(others.union(spelled))
    index = dict(zip(words, count(len(keys))))
    hashed_ids = np.fromiter(map(index.__getitem__, spelled), _I64, len(spelled))
    raw_ids = np.fromiter(map(index.get, folded, repeat(-1)), _I64, len(folded))
    where = np.flatnonzero(packable)
    raw_ids[where] = np.searchsorted(keys, packed.pack_many([folded[i] for i in where.tolist()]))
    out = []
    for g in groups:
        parts = []
        for k, _ in g.packed:
            starts = _runs(k)
            parts.append(
                np.repeat(np.searchsorted(keys, k[starts]), np.diff(starts, append=len(k)))
            )
        for h, _ in g.hashed:
            starts = _runs(h)
            ids = hashed_ids[np.searchsorted(hashes, h[starts])]
            parts.append(np.repeat(ids, np.diff(starts, append=len(h))))
        parts += [raw_ids[r] for r, _ in g.strings]
        out.append(np.concatenate(parts) if parts else np.zeros(0, _I64))
    return keys, words, out, folded


def assemble(
    ids: np.ndarray,
    keys: np.ndarray,
    words: list[str],
    off: Sequence[np.ndarray],
    post: Sequence[np.ndarray],
    name_keys: list[str],
    name_pos: np.ndarray,
    phone_text: str,
    phone_starts: np.ndarray,
) -> Segment:
    """A segment from its parts (derived texts and offsets computed here)."""
    word_starts = np.zeros(len(words) + 1, _I64)
    np.cumsum(np.fromiter(map(len, words), _I64, len(words)) + 1, out=word_starts[1:])
    return Segment(
        ids=ids,
        keys=keys,
        key_text=packed.text(keys),
        words=words,
        word_text="\n".join(words),
        word_starts=word_starts,
        off=tuple(off),
        post=tuple(post),
        name_keys=name_keys,
        name_pos=name_pos,
        phone_text=phone_text,
        phone_starts=phone_starts,
    )


def build_segment(docs: Sequence[SearchDoc]) -> Segment:
    """Index ``docs`` (ids assumed distinct) into a new segment."""
    was_enabled = gc.isenabled()
    gc.disable()  # millions of short-lived words; the collector would only slow us down
    try:
        try:
            return _build(docs)
        except TypeError:  # a field that is not a string (None from a database ...)
            return _build([_clean(d) for d in docs])
    finally:
        if was_enabled:
            gc.enable()


def _build(docs: Sequence[SearchDoc]) -> Segment:
    n = len(docs)
    ids = np.fromiter((d.id for d in docs), _I64, n)
    if n and (np.diff(ids) < 0).any():  # slots in id order: equal names rank by id
        order = np.argsort(ids, kind="stable")
        docs = [docs[i] for i in order.tolist()]
        ids = ids[order]
    into = Collector()
    names, emails, companies, tags, matters, notes, phones = (
        zip(*map(_FIELDS, docs), strict=True) if n else [()] * 7
    )
    groups = [GroupPairs(keep_order=True), *(GroupPairs() for _ in range(GROUPS - 1))]
    tokenise(names, into, groups[NAME], _FIELD_LIMIT)
    for texts in (emails, companies, tags):
        tokenise(texts, into, groups[OTHER], _FIELD_LIMIT)
    for texts in (matters, notes):
        tokenise(texts, into, groups[TEXT], NOTES_LIMIT)
    for texts in (names, emails, companies):
        other = _cut(list(texts), _FIELD_LIMIT)
        tokenise(romanize_all(other), into, groups[ROMAN])
        if texts is not emails:
            tokenise(skeletons(other), into, groups[SKEL])
    del emails, companies, tags, matters, notes
    keys, words, word_ids, folded = _vocabulary(groups, into)
    name_keys = _name_keys(_cut(list(names), _FIELD_LIMIT), groups[NAME], folded)
    v = len(keys) + len(words)
    off, post = [], []
    for g, w in zip(groups, word_ids, strict=True):
        slots = [s for _, s in g.packed] + [s for _, s in g.hashed] + [s for _, s in g.strings]
        o, p = csr(w, np.concatenate(slots) if slots else np.zeros(0, _I32), n, v)
        off.append(o)
        post.append(p)
    del groups, word_ids, into, folded

    order = sorted(range(n), key=name_keys.__getitem__)
    name_pos = np.empty(n, _I32)
    name_pos[np.asarray(order, _I64)] = np.arange(n, dtype=_I32)
    phone_text, phone_starts = _phones(_cut(list(phones), 200))
    return assemble(
        ids, keys, words, off, post, list(map(name_keys.__getitem__, order)), name_pos,
        phone_text, phone_starts,
    )  # fmt: skip
