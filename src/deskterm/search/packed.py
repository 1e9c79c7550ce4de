"""Short words as integers: most words of most texts never become Python objects.

A *packable* word is 1 to 8 characters of ``[0-9a-z]``. Each character gets a 6-bit
code (``0``-``9`` → 1..10, ``a``-``z`` → 11..36, 0 = nothing) and the word is the
48-bit integer of its codes, first character highest, zero-padded: integer order is
alphabetical order, and the words starting with a prefix form one integer range.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ALPHABET",
    "decode",
    "is_packable",
    "lengths",
    "letters_only",
    "pack",
    "pack_many",
    "prefix_bounds",
    "text",
    "truncate",
]

ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_CODE = {ch: i for i, ch in enumerate(ALPHABET, 1)}
CHARS = np.frombuffer(b"\x00" + ALPHABET.encode() + bytes(27), np.uint8)
_SHIFTS = np.arange(42, -1, -6, dtype=np.uint64)
_U = np.uint64


def is_packable(word: str) -> bool:
    return 0 < len(word) <= 8 and all(ch in _CODE for ch in word)


def pack(word: str) -> int:
    """The key of a packable word (or of the packable prefix of a query word)."""
    key = 0
    for ch in word:
        key = key * 64 + _CODE[ch]
    return key << (6 * (8 - len(word)))


def pack_many(words: list[str]) -> np.ndarray:
    """Keys of packable words."""
    return np.fromiter(map(pack, words), _U, len(words))


def prefix_bounds(word: str) -> tuple[int, int]:
    """Keys ``[lo, hi)`` of the packable words starting with ``word`` (packable)."""
    lo = pack(word)
    return lo, lo + (1 << (6 * (8 - len(word))))


def codes(keys: np.ndarray) -> np.ndarray:
    """uint8[len(keys), 8]: the character codes of each key."""
    out = np.empty((len(keys), 8), np.uint8)
    for i, shift in enumerate(_SHIFTS):  # a column at a time: no 8-wide uint64 temporary
        out[:, i] = (keys >> shift) & _U(63)
    return out


def decode(keys: np.ndarray) -> list[str]:
    """The words behind packed keys."""
    if not len(keys):
        return []
    raw = np.ascontiguousarray(CHARS[codes(keys)]).view("S8").ravel()
    return [w.decode("ascii") for w in raw.tolist()]


def text(keys: np.ndarray) -> str:
    """All words, 9 characters each (NUL-padded, then a newline): word i is at 9 * i."""
    out = np.full((len(keys), 9), 10, np.uint8)
    for i, shift in enumerate(_SHIFTS):  # a column at a time (five times quicker at 100k)
        out[:, i] = CHARS[((keys >> shift) & _U(63)).astype(np.intp)]
    return out.tobytes().decode("ascii")


def lengths(keys: np.ndarray) -> np.ndarray:
    """Number of characters of each key."""
    return (codes(keys) != 0).sum(axis=1)


def letters_only(keys: np.ndarray) -> np.ndarray:
    """True for the keys made of letters only (no digit)."""
    c = codes(keys)
    return ((c == 0) | (c > 10)).all(axis=1)


def truncate(keys: np.ndarray, size: int) -> np.ndarray:
    """The keys of the first ``size`` characters of each key."""
    return keys & ~_U((1 << (6 * (8 - size))) - 1)
