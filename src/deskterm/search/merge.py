"""Merging segments (dropping dead slots) without the original documents."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import count

import numpy as np

from .segment import GROUPS, Segment, assemble, csr, sorted_unique

__all__ = ["merge_segments"]


def merge_segments(parts: Sequence[tuple[Segment, np.ndarray]]) -> Segment:
    """One segment holding the live slots (``alive`` true) of every part, in id order."""
    keeps = [np.flatnonzero(alive) for _, alive in parts]
    ids = np.concatenate([seg.ids[k] for (seg, _), k in zip(parts, keeps, strict=True)])
    n = len(ids)
    rank = np.empty(n, np.int64)
    rank[np.argsort(ids, kind="stable")] = np.arange(n)
    ids = np.sort(ids)
    slot_maps: list[np.ndarray] = []
    base = 0
    for (seg, _), keep in zip(parts, keeps, strict=True):
        m = np.full(seg.n, -1, np.int64)
        m[keep] = rank[base : base + len(keep)]
        slot_maps.append(m)
        base += len(keep)

    keys = sorted_unique(np.concatenate([seg.keys for seg, _ in parts]))
    words = sorted({w for seg, _ in parts for w in seg.words})
    index = dict(zip(words, count(len(keys))))
    word_maps = [
        np.concatenate(
            [
                np.searchsorted(keys, seg.keys),
                np.fromiter(map(index.__getitem__, seg.words), np.int64, len(seg.words)),
            ]
        )
        for seg, _ in parts
    ]
    v = len(keys) + len(words)
    offs, posts = [], []
    for g in range(GROUPS):
        all_words, all_slots = [], []
        for (seg, _), wmap, smap in zip(parts, word_maps, slot_maps, strict=True):
            s = smap[seg.post[g]]
            w = np.repeat(wmap, np.diff(seg.off[g]))
            live = s >= 0
            all_words.append(w[live])
            all_slots.append(s[live])
        off, post = csr(np.concatenate(all_words), np.concatenate(all_slots), n, v)
        offs.append(off)
        posts.append(post)
    used = sum(np.diff(off) for off in offs) > 0
    if not used.all():  # drop the words nobody holds any more
        n_keys = len(keys)
        keys = keys[used[:n_keys]]
        words = [w for w, u in zip(words, used[n_keys:].tolist(), strict=True) if u]
        offs = [np.concatenate(([0], np.cumsum(np.diff(off)[used]))) for off in offs]

    names: list[tuple[str, int, int]] = []
    lines = [""] * n
    for (seg, _), keep, smap in zip(parts, keeps, slot_maps, strict=True):
        seg_lines = seg.phone_text.split("\n")
        for slot, new in zip(keep.tolist(), smap[keep].tolist(), strict=True):
            lines[new] = seg_lines[slot]
        by_name = keep[np.argsort(seg.name_pos[keep], kind="stable")]
        new_slots = smap[by_name]
        names += zip(
            map(seg.name_key, by_name.tolist()),
            ids[new_slots].tolist(),
            new_slots.tolist(),
            strict=True,
        )
    names.sort()  # sorted runs: timsort merges them; equal names by id
    name_pos = np.empty(n, np.int32)
    name_pos[np.fromiter((s for *_, s in names), np.int64, n)] = np.arange(n, dtype=np.int32)
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(np.fromiter(map(len, lines), np.int64, n) + 1, out=starts[1:])
    return assemble(
        ids, keys, words, offs, posts, [k for k, *_ in names], name_pos, "\n".join(lines), starts
    )
