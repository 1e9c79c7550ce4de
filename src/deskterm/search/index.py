"""SearchIndex: fuzzy people search that answers in milliseconds for a million people.

Matching (per query word, against the folded words of each field):

- every query word must match some field of the person (``mrgo fair`` = a Margo at
  Fairweather); a group of 3+ digits ("555 0199") may instead match inside the
  digits of the phone number;
- a word matches by word start (prefix), exactly, by substring (3+ letters, or any
  length for CJK, kana, Hangul, Thai ...), or fuzzily (see ``match``); one- and
  two-letter words match word starts of the name, email, company and tags only.

Ranking, best first:

1. the whole name equals the query, then the name starts with the query;
2. the sum over query words of the best way each word matched (the classes of
   ``match``): any match of the name (its words, their nicknames, abbreviations,
   typos, other spellings) above what matters and notes, whose words only narrow
   the list; email/company/tags between; a word typed twice counts again for a
   second name word it matches ("ali al ali"); plus a point for a name starting with
   the first query word and one for a name no longer than the query (``query``);
3. ties: the caller's attention order (``rank_by_id[id]``, lower first; ids outside
   it last), then the folded name, then the id.

Design: people live in immutable segments (``segment``): a big one from ``build`` and
small ones for changes. ``upsert`` and ``remove`` mark the old version dead in a
per-segment mask and queue the new version; the queue becomes a segment on the next
search (or every ``FLUSH_AT`` changes), and small segments are merged as they grow.
A search takes a snapshot under the lock and then runs without it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable

import numpy as np

from .merge import merge_segments
from .model import SearchCancelled, SearchDoc, SearchResult
from .query import parse, score_segment
from .segment import Segment, build_segment

__all__ = ["SearchIndex"]

FLUSH_AT = 512  # queued changes that trigger building a segment right away
MERGE_INLINE = 50_000  # bigger merges run in a background thread
_MAX_SEGMENTS = 6
_WORST_RANK = (1 << 30) - 1  # ranks are clipped to [0, this]; unknown ids get it


class SearchIndex:
    """People search; see the module docstring. Safe to search from another thread."""

    def __init__(self, segments: list[Segment] | None = None) -> None:
        self._lock = threading.RLock()
        self._segments: list[Segment] = segments or []
        self._alive: list[np.ndarray] = [np.ones(s.n, bool) for s in self._segments]
        self._live: list[int] = [s.n for s in self._segments]
        self._pending: dict[int, SearchDoc] = {}
        self._merger: threading.Thread | None = None

    @classmethod
    def build(cls, docs: Iterable[SearchDoc]) -> SearchIndex:
        """Index ``docs``; for a repeated id the last version wins."""
        docs = list(docs)
        ids = np.fromiter((d.id for d in docs), np.int64, len(docs))
        if len(np.unique(ids)) != len(docs):
            docs = list({d.id: d for d in docs}.values())
        return cls([build_segment(docs)] if docs else [])

    @classmethod
    def build_in_parts(
        cls,
        parts: Iterable[list[SearchDoc]],
        on_part: Callable[[SearchIndex], None] | None = None,
    ) -> SearchIndex:
        """Index people part by part (one segment each, ids unique across parts).

        After each part but the last, ``on_part`` gets an index of the parts so far, so
        a million people can be searched seconds after start rather than half a minute.
        Keep parts large (a few hundred thousand): every segment adds to query time.
        """
        segments: list[Segment] = []
        pending: list[SearchDoc] | None = None
        for part in parts:
            if pending is not None:
                segments.append(build_segment(pending))
                if on_part is not None:
                    on_part(cls(list(segments)))
            pending = part
        if pending:
            segments.append(build_segment(pending))
        return cls(segments)

    @classmethod
    def from_parts(cls, segments: list[Segment], alive: list[np.ndarray]) -> SearchIndex:
        """An index of saved segments and which of their people are alive (copied)."""
        index = cls(segments)
        index._alive = [np.array(a, bool) for a in alive]
        index._live = [int(a.sum()) for a in index._alive]
        return index

    def parts(self) -> tuple[list[Segment], list[np.ndarray]]:
        """The segments and copies of their alive masks (queued changes built first)."""
        with self._lock:
            if self._pending:
                self._flush()
            return list(self._segments), [a.copy() for a in self._alive]

    def upsert_many(self, docs: Iterable[SearchDoc]) -> None:
        """``upsert`` each of ``docs`` (the last version of an id wins), as one segment."""
        docs = list({d.id: d for d in docs}.values())
        if docs:
            self.upsert_segment(build_segment(docs))  # built outside the lock

    def upsert_segment(self, seg: Segment, alive: np.ndarray | None = None) -> None:
        """Add a segment built elsewhere (e.g. while an import was being stored): its
        people replace their older versions — only those ``alive`` marks, if given."""
        alive = np.ones(seg.n, bool) if alive is None else np.array(alive, bool)
        ids = seg.ids[alive]
        if not len(ids):
            return
        with self._lock:
            for i, old in enumerate(self._segments):
                slots = np.searchsorted(old.ids, ids).clip(0, max(old.n - 1, 0))
                hit = slots[old.ids[slots] == ids] if old.n else slots[:0]
                self._live[i] -= int(self._alive[i][hit].sum())
                self._alive[i][hit] = False
            for pid in ids.tolist():
                self._pending.pop(pid, None)
            self._segments.append(seg)
            self._alive.append(alive)
            self._live.append(len(ids))
            self._compact()

    def __len__(self) -> int:
        with self._lock:
            return sum(self._live) + len(self._pending)

    def upsert(self, doc: SearchDoc) -> None:
        """Add a person, or replace every field of an indexed one."""
        with self._lock:
            self._kill(doc.id)
            self._pending[doc.id] = doc
            if len(self._pending) >= FLUSH_AT:
                self._flush()

    def remove(self, person_id: int) -> None:
        """Forget a person (unknown ids are ignored)."""
        with self._lock:
            self._kill(person_id)
            self._pending.pop(person_id, None)

    def search(
        self,
        query: str,
        *,
        limit: int = 200,
        rank_by_id: np.ndarray | None = None,
        cancelled: Callable[[], bool] | None = None,
        rank_for: Callable[[np.ndarray], np.ndarray] | None = None,
    ) -> SearchResult:
        """The best ``limit`` people for ``query`` and how many matched in all.

        ``cancelled`` is called between stages; when it returns True the search stops
        with ``SearchCancelled``. Instead of ``rank_by_id``, ``rank_for`` may compute
        the ranks for just the ids that could make the top ``limit`` (everyone scoring
        at least the ``limit``-th best score: ranks only decide among equal scores).
        """
        parsed = parse(query)
        if not parsed.terms:
            return SearchResult([], 0, query)
        if cancelled is not None and cancelled():
            raise SearchCancelled(query)
        with self._lock:
            if self._pending:
                self._flush()
            snapshot = list(zip(self._segments, self._alive, strict=True))
        scored = []
        for seg, alive in snapshot:
            slots, score = score_segment(seg, parsed, alive, cancelled)
            scored.append((seg, slots, score))
            if cancelled is not None and cancelled():
                raise SearchCancelled(query)
        if rank_for is not None:
            rank_by_id = rank_for(_contenders(scored, limit))
        ranks = None if rank_by_id is None else np.asarray(rank_by_id)
        total = sum(len(slots) for _, slots, _ in scored)
        found: list[tuple[int, int, str, int]] = []
        best: list[int] = []
        for seg, slots, score in scored:
            top = _top(seg, slots, score, ranks, limit)
            if len(snapshot) == 1:
                best = seg.ids[top[0]].tolist()
                break
            for slot, sc, rk in zip(*(a.tolist() for a in top), strict=True):
                found.append((-sc, rk, seg.name_key(slot), int(seg.ids[slot])))
        if len(snapshot) > 1:
            found.sort()
            best = [item[3] for item in found[: max(limit, 0)]]
        return SearchResult(best, total, query)

    def warm(self) -> None:
        """Build the lazy tables typo matching needs (and load the nickname data) now,
        so the first query an agent types is as quick as the next ones."""
        from .fuzzy import warm_up
        from .roman import nickname_forms

        nickname_forms("bob")
        with self._lock:
            segments = list(self._segments)
        for seg in segments:
            warm_up(seg)

    # -- internals (call with the lock held) ------------------------------------------

    def _kill(self, person_id: int) -> None:
        for i, seg in enumerate(self._segments):
            slot = seg.slot_of(person_id)
            if slot >= 0 and self._alive[i][slot]:
                self._alive[i][slot] = False
                self._live[i] -= 1

    def _flush(self) -> None:
        docs = list(self._pending.values())
        self._pending.clear()
        seg = build_segment(docs)
        self._segments.append(seg)
        self._alive.append(np.ones(seg.n, bool))
        self._live.append(seg.n)
        self._compact()

    def _compact(self) -> None:
        """Merge the newest segments while they are of similar size (log-structured).

        Small merges run here; a big one runs in a background thread while searches go
        on with the segments as they are.
        """
        segs, live = self._segments, self._live
        while (
            self._merger is None
            and len(segs) >= 2
            and (live[-2] <= 4 * live[-1] or len(segs) > _MAX_SEGMENTS)
        ):
            parts = (segs[-2], segs[-1])
            alive = (self._alive[-2].copy(), self._alive[-1].copy())
            if live[-2] + live[-1] > MERGE_INLINE:
                self._merger = threading.Thread(
                    target=self._merge_in_background, args=(parts, alive), daemon=True
                )
                self._merger.start()
                return
            self._install(parts, alive, merge_segments(list(zip(parts, alive, strict=True))))

    def _merge_in_background(
        self, parts: tuple[Segment, Segment], alive: tuple[np.ndarray, np.ndarray]
    ) -> None:
        try:
            merged = merge_segments(list(zip(parts, alive, strict=True)))
        except BaseException:
            with self._lock:
                self._merger = None
            raise
        with self._lock:
            self._merger = None
            self._install(parts, alive, merged)
            self._compact()

    def _install(
        self, parts: tuple[Segment, Segment], alive: tuple[np.ndarray, np.ndarray], merged: Segment
    ) -> None:
        """Replace ``parts`` by ``merged``, keeping deaths that happened meanwhile."""
        at = next(i for i, seg in enumerate(self._segments) if seg is parts[0])
        mask = np.ones(merged.n, bool)
        for seg, snap, now in zip(parts, alive, self._alive[at : at + 2], strict=True):
            died = np.flatnonzero(snap & ~now)
            mask[np.searchsorted(merged.ids, seg.ids[died])] = False
        self._segments[at : at + 2] = [merged]
        self._alive[at : at + 2] = [mask]
        self._live[at : at + 2] = [int(mask.sum())]

    def wait_for_merges(self) -> None:
        """Block until no background merge is running (for tests and shutdown)."""
        while True:
            with self._lock:
                merger = self._merger
            if merger is None:
                return
            merger.join()


def _contenders(scored: list[tuple[Segment, np.ndarray, np.ndarray]], limit: int) -> np.ndarray:
    """Ids of everyone scoring at least the ``limit``-th best score (sorted)."""
    if not scored or limit <= 0:
        return np.zeros(0, np.int64)
    every = np.concatenate([seg.ids[slots] for seg, slots, _ in scored])
    score = np.concatenate([sc for _, _, sc in scored])
    if len(score) > limit:
        cutoff = np.partition(score, len(score) - limit)[len(score) - limit]
        every = every[score >= cutoff]
    return np.sort(every)


def _top(
    seg: Segment,
    slots: np.ndarray,
    score: np.ndarray,
    ranks: np.ndarray | None,
    limit: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(slots, scores, ranks) of the best ``limit`` of ``slots``, best first."""
    if limit <= 0 or not len(slots):
        empty = np.zeros(0, np.int64)
        return empty, empty, empty
    name_bits = max(23, int(seg.n).bit_length())  # 30 bits of rank up to 8M people
    worst = min(_WORST_RANK, (1 << (53 - name_bits)) - 1)
    if ranks is None or not len(ranks):
        rank = np.zeros(len(slots), np.int64)
    else:
        ids = seg.ids[slots]
        inside = (ids >= 0) & (ids < len(ranks))
        rank = np.full(len(slots), worst, np.int64)
        rank[inside] = ranks[ids[inside]]
        np.clip(rank, 0, worst, out=rank)
    key = (1023 - score.astype(np.int64)) << 53
    key |= rank << name_bits
    key |= seg.name_pos[slots]
    if len(key) > limit:
        pick = np.argpartition(key, limit - 1)[:limit]
        pick = pick[np.argsort(key[pick])]
    else:
        pick = np.argsort(key)
    return slots[pick], score[pick].astype(np.int64), rank[pick]
