"""The search index on disk: saved whole, memory-mapped on open, checked, never trusted.

One file holds every segment of an index (with which of its people are still alive)
and the change-feed position it is current up to. Layout: a 64-byte header (magic,
format version, the lengths and CRC-32s of the metadata and of the body), the
metadata as JSON (the feed position, and per segment where each array lies), then
the body: the arrays, each 64-byte aligned, and the texts as UTF-8.

``load`` maps the file and checks the magic, version, lengths and both checksums
before using anything; the big arrays (postings, offsets, keys) are then read-only
views of the mapping, so the page cache is shared by every desk on the machine and
nothing is parsed. Any mismatch raises ``Unusable`` (the caller rebuilds).

``save`` writes a temporary file beside the target and renames it over, so a reader
(another desk, another ``deskterm search``) sees the old file or the new one, never
half of one.
"""

from __future__ import annotations

import json
import mmap
import os
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from . import packed
from .segment import GROUPS, Segment

__all__ = ["FORMAT", "Saved", "Unusable", "load", "save"]

MAGIC = b"DTSRCH\r\n"  # the CR LF catches a file mangled by newline conversion
FORMAT = 5  # bump whenever the layout or what is indexed changes: old files are rebuilt
_HEAD = struct.Struct("<8sIIIIQQ")  # magic, format, meta len, meta crc, body crc, body len, at
_ALIGN = 64  # the body starts here too: arrays aligned in memory as in the file
_ARRAYS = ("ids", "keys", "word_starts", "name_pos", "phone_starts")


class Unusable(Exception):
    """The file is missing, damaged, or of another format: build the index anew."""


class Saved:
    """What ``load`` found: the segments, their alive masks and the feed position (the
    newest change id included, and the ids just below it that were included too)."""

    def __init__(
        self,
        segments: list[Segment],
        alive: list[np.ndarray],
        seq: int,
        seen: frozenset[int] = frozenset(),
    ) -> None:
        self.segments = segments
        self.alive = alive
        self.seq = seq
        self.seen = seen


def _pad(n: int) -> int:
    return -n % _ALIGN


class _Writer:
    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.at = 0
        self.crc = 0

    def put(self, data: bytes | memoryview) -> tuple[int, int]:
        gap = _pad(self.at)
        if gap:
            self._raw(b"\0" * gap)
        start = self.at
        self._raw(data)
        return start, len(data)

    def _raw(self, data: bytes | memoryview) -> None:
        self.out.write(data)
        self.crc = zlib.crc32(data, self.crc)
        self.at += len(data)

    def array(self, a: np.ndarray) -> list[Any]:
        a = np.ascontiguousarray(a)
        start, _ = self.put(memoryview(a).cast("B"))
        return [start, a.dtype.str, len(a)]

    def text(self, s: str) -> list[int]:
        return list(self.put(s.encode("utf-8", "surrogatepass")))


def _segment_meta(w: _Writer, seg: Segment, alive: np.ndarray) -> dict[str, Any]:
    meta: dict[str, Any] = {name: w.array(getattr(seg, name)) for name in _ARRAYS}
    meta["alive"] = w.array(alive.astype(np.uint8))
    meta["off"] = [w.array(a) for a in seg.off]
    meta["post"] = [w.array(a) for a in seg.post]
    meta["words"] = w.text(seg.word_text)
    meta["names"] = w.text("\n".join(seg.name_keys))
    meta["phones"] = w.text(seg.phone_text)
    meta["n_words"] = len(seg.words)
    return meta


def save(
    path: Path,
    segments: Sequence[Segment],
    alive: Sequence[np.ndarray],
    seq: int,
    seen: Sequence[int] = (),
) -> None:
    """Write the index to ``path`` atomically (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            out.write(b"\0" * _ALIGN)  # the header, once the rest is known
            body = out.tell()
            w = _Writer(out)
            metas = [_segment_meta(w, s, a) for s, a in zip(segments, alive, strict=True)]
            meta = json.dumps(
                {"seq": seq, "seen": sorted(seen), "groups": GROUPS, "segments": metas}
            ).encode()
            out.write(meta)
            out.seek(0)
            out.write(_HEAD.pack(MAGIC, FORMAT, len(meta), zlib.crc32(meta), w.crc, w.at, body))
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load(path: Path) -> Saved:
    """The index saved at ``path``; ``Unusable`` if it cannot be trusted."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size < _ALIGN:
                raise Unusable("truncated")
            mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        raise Unusable(type(exc).__name__) from None
    except (OSError, ValueError) as exc:
        raise Unusable(str(exc)) from None
    magic, fmt, meta_len, meta_crc, body_crc, body_len, body = _HEAD.unpack_from(mm, 0)
    if magic != MAGIC:
        raise Unusable("not a deskterm search index")
    if fmt != FORMAT:
        raise Unusable(f"format {fmt}, not {FORMAT}")
    if body != _ALIGN or body + body_len + meta_len != size:
        raise Unusable("truncated or padded")
    raw = mm[body + body_len : size]
    view = memoryview(mm)[body : body + body_len]
    if zlib.crc32(raw) != meta_crc or zlib.crc32(view) != body_crc:
        raise Unusable("checksum mismatch")
    try:
        meta = json.loads(raw)
        if not isinstance(meta, dict) or meta["groups"] != GROUPS:
            raise Unusable("other field groups")
        parts = [_segment(view, m) for m in meta["segments"]]
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise Unusable(f"bad metadata: {exc}") from None
    try:
        seen = frozenset(int(i) for i in meta["seen"])
        seq = int(meta["seq"])
    except (KeyError, TypeError, ValueError) as exc:
        raise Unusable(f"bad metadata: {exc}") from None
    return Saved([p[0] for p in parts], [p[1] for p in parts], seq, seen)


def _array(view: memoryview, spec: list[Any]) -> np.ndarray:
    start, dtype, count = spec
    return np.frombuffer(view, np.dtype(dtype), count, start)


def _text(view: memoryview, spec: list[int]) -> str:
    start, length = spec
    return bytes(view[start : start + length]).decode("utf-8", "surrogatepass")


def _segment(view: memoryview, m: dict[str, Any]) -> tuple[Segment, np.ndarray]:
    arrays = {name: _array(view, m[name]) for name in _ARRAYS}
    word_text = _text(view, m["words"])
    words = word_text.split("\n") if m["n_words"] else []
    names = _text(view, m["names"])
    n = len(arrays["ids"])
    seg = Segment(
        ids=arrays["ids"],
        keys=arrays["keys"],
        key_text=packed.text(arrays["keys"]),
        words=words,
        word_text=word_text,
        word_starts=arrays["word_starts"],
        off=tuple(_array(view, s) for s in m["off"]),
        post=tuple(_array(view, s) for s in m["post"]),
        name_keys=names.split("\n") if n else [],
        name_pos=arrays["name_pos"],
        phone_text=_text(view, m["phones"]),
        phone_starts=arrays["phone_starts"],
    )
    if len(words) != m["n_words"] or len(seg.name_keys) != n or len(seg.off) != GROUPS:
        raise ValueError("segment sizes disagree")
    return seg, _array(view, m["alive"]).astype(bool)
