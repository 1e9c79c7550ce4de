"""The people-search index of one database, kept in a file so no desk waits for a build.

Where: beside a SQLite file (``desk.db`` → ``desk.db.search``); for PostgreSQL in the
user's cache folder, named by a hash of the database's URL (password left out). The
file records the change-feed id it is current up to and which ids of the
``FEED_LOOKBACK`` just below it it has seen (PostgreSQL may commit a lower id after a
higher one); ``open`` loads it (memory-mapped, checked) and applies what the feed says
changed since, and any id of that window that had not been seen. When the file
is missing, damaged or of another format, or the feed moved too far, ``open`` returns
None and the caller builds the index and ``save``s it.

An erased person is gone from the file too: catching up with an erasure rewrites the
file without them (their words included), not merely marked dead.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import URL, Engine, func, select

from deskterm.models import Change
from deskterm.search import SearchIndex, store
from deskterm.search.merge import merge_segments
from deskterm.services.reads import FEED_LOOKBACK, Reads

__all__ = ["SavedIndex", "index_path", "path_for_url"]

RESAVE_AFTER = 200  # new changes caught up on open that are worth writing the file for
REBUILD_SHARE = 0.25  # more changed people than this share of everyone: build anew


def index_path(engine: Engine) -> Path | None:
    """Where the index of this database is kept (None: an in-memory database)."""
    return path_for_url(engine.url)


def path_for_url(url: URL) -> Path | None:
    """``index_path`` for a database URL."""
    if url.get_backend_name() == "sqlite":
        name = url.database or ""
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
        return Path(name).expanduser().absolute().with_name(Path(name).name + ".search")
    import platformdirs

    identity = url._replace(password=None).render_as_string(hide_password=False).encode()
    digest = hashlib.sha256(identity).hexdigest()[:24]
    return platformdirs.user_cache_path("deskterm") / "search" / f"{digest}.search"


@dataclass(frozen=True, slots=True)
class Feed:
    """People changed or erased after a feed position, and the new position."""

    changed: frozenset[int]
    erased: frozenset[int]
    top: int
    seen: frozenset[int]  # change ids in the look-back window below ``top``, all applied
    new: int  # changes not applied before


class SavedIndex:
    """Load, catch up and save the index file of one database."""

    def __init__(self, reads: Reads, path: Path | None) -> None:
        self.reads = reads
        self.path = path
        self.problem = ""  # why the saved index was not used, for tests and benchmarks

    @classmethod
    def of(cls, reads: Reads) -> SavedIndex:
        return cls(reads, index_path(reads.engine))

    def open(
        self, to_doc: object, *, resave_after: int = RESAVE_AFTER
    ) -> tuple[SearchIndex, int] | None:
        """The saved index brought up to date and the feed id it is current to, or None.

        ``to_doc`` turns a ``search_rows`` tuple into a ``SearchDoc``. The file is
        written again when ``resave_after`` new changes or an erasure were caught up.
        """
        if self.path is None:
            self.problem = "no file for an in-memory database"
            return None
        try:
            saved = store.load(self.path)
        except store.Unusable as exc:
            self.problem = str(exc)
            return None
        except Exception as exc:  # never trust the file: whatever it holds, build anew
            self.problem = f"unreadable: {type(exc).__name__}: {exc}"
            return None
        index = SearchIndex.from_parts(saved.segments, saved.alive)
        feed = self.changes_since(saved.seq, saved.seen)
        if len(feed.changed) > REBUILD_SHARE * len(index) + 1000:
            self.problem = f"{len(feed.changed):,} people changed since it was saved"
            return None
        found = {r[0]: r for r in self.reads.search_rows(sorted(feed.changed))}
        index.upsert_many(to_doc(row) for row in found.values())  # type: ignore[operator]
        gone = feed.erased | (feed.changed - found.keys())
        held = [pid for pid in gone if _holds(saved, pid)]  # not erased before it was saved
        for pid in gone:
            index.remove(pid)
        if held or feed.new >= max(resave_after, 1):
            self.save(index, feed.top, feed.seen, compact=bool(held))
        return index, feed.top

    def position(self) -> tuple[int, frozenset[int]]:
        """The feed position now: read it before reading the people to index."""
        feed = self.changes_since(1 << 62, frozenset())
        return feed.top, feed.seen

    def save(
        self,
        index: SearchIndex,
        seq: int,
        seen: frozenset[int] = frozenset(),
        *,
        compact: bool = False,
    ) -> bool:
        """Write the index (``compact``: dead people dropped, not just marked); False if
        the file cannot be written (a read-only folder, a full disk: the desk goes on)."""
        if self.path is None:
            return False
        index.wait_for_merges()
        segments, alive = index.parts()
        if compact and segments and not all(a.all() for a in alive):
            segments = [merge_segments(list(zip(segments, alive, strict=True)))]
            alive = [np.ones(segments[0].n, bool)]
        try:
            store.save(self.path, segments, alive, seq, sorted(seen))
        except OSError as exc:
            self.problem = f"cannot save {self.path}: {exc.strerror or exc}"
            return False
        return True

    def changes_since(self, seq: int, seen: frozenset[int]) -> Feed:
        """What the change feed says happened after ``seq`` — and in the look-back
        window just below it, except the ids in ``seen`` (applied already)."""

        def q(s: object) -> Feed:
            top = s.execute(select(func.max(Change.id))).one()[0] or 0  # type: ignore[attr-defined]
            low = max(0, min(seq, top) - FEED_LOOKBACK)
            rows = s.execute(  # type: ignore[attr-defined]
                select(Change.id, Change.person_id, Change.op)
                .where(Change.id > low, Change.id <= top)
                .order_by(Change.id)
            ).all()
            changed: set[int] = set()
            erased: set[int] = set()
            new = 0
            for cid, pid, op in rows:
                if cid in seen:
                    continue
                new += 1
                if op == "delete":
                    erased.add(pid)
                    changed.discard(pid)
                else:
                    changed.add(pid)
                    erased.discard(pid)
            window = frozenset(cid for cid, *_ in rows if cid > top - FEED_LOOKBACK)
            if seq >= 1 << 62:  # only the position was asked for
                changed, erased, new = set(), set(), 0
            return Feed(frozenset(changed), frozenset(erased), top, window, new)

        return self.reads._run(q)


def _holds(saved: store.Saved, person_id: int) -> bool:
    """True if the saved file still has ``person_id`` alive in it."""
    for seg, alive in zip(saved.segments, saved.alive, strict=True):
        slot = seg.slot_of(person_id)
        if slot >= 0 and alive[slot]:
            return True
    return False
