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

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from deskterm.search import SearchIndex, store
from deskterm.search.merge import merge_segments

if TYPE_CHECKING:
    from sqlalchemy import URL, Engine

    from deskterm.search.segment import Segment
    from deskterm.services.reads import Reads

__all__ = [
    "IndexSource", "SavedIndex", "index_path", "path_for_server", "path_for_sqlite", "path_for_url",
]  # fmt: skip

RESAVE_AFTER = 200  # new changes caught up on open that are worth writing the file for
REBUILD_SHARE = 0.25  # more changed people than this share of everyone: build anew
FEED_LOOKBACK = 500  # change ids re-read below the saved position (as ``Reads`` does)


def index_path(engine: Engine) -> Path | None:
    """Where the index of this database is kept (None: an in-memory database)."""
    return path_for_url(engine.url)


def path_for_sqlite(database: str) -> Path | None:
    """``index_path`` for the SQLite database file ``database`` (as in its URL)."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().absolute().with_name(Path(database).name + ".search")


def path_for_url(url: URL) -> Path | None:
    """``index_path`` for a database URL."""
    if url.get_backend_name() == "sqlite":
        return path_for_sqlite(url.database or "")
    return path_for_server(url._replace(password=None).render_as_string(hide_password=False))


def path_for_server(identity: str) -> Path:
    """``index_path`` for a database server's database, named by its URL as SQLAlchemy
    writes it, without the password: a file in the user's cache folder."""
    import hashlib

    import platformdirs

    digest = hashlib.sha256(identity.encode()).hexdigest()[:24]
    return platformdirs.user_cache_path("deskterm") / "search" / f"{digest}.search"


@dataclass(frozen=True, slots=True)
class Feed:
    """People changed or erased after a feed position, and the new position."""

    changed: frozenset[int]
    erased: frozenset[int]
    top: int
    seen: frozenset[int]  # change ids in the look-back window below ``top``, all applied
    new: int  # changes not applied before
    last: dict[int, int] = field(default_factory=dict)  # person -> their newest such change


@runtime_checkable
class IndexSource(Protocol):
    """What the saved index reads from the database: people's search fields and the
    change feed. ``Reads`` (SQLAlchemy) is adapted to it; ``PlainReads`` is one."""

    index_path: Path | None

    def search_rows(self, ids: Sequence[int] | None = None) -> list[tuple[Any, ...]]:
        """``Reads.search_rows``: search field tuples of everyone or of ``ids``."""
        ...

    def change_window(self, seq: int) -> tuple[int, list[tuple[int, int, str]]]:
        """The newest change id ``top``, and the changes ``(id, person_id, op)`` with ids
        above ``min(seq, top) - FEED_LOOKBACK`` up to ``top``, by id."""
        ...


class _DeskSource:
    """``IndexSource`` over the desk's ``Reads`` (one SQLAlchemy session a read)."""

    def __init__(self, reads: Reads) -> None:
        self.reads = reads
        self.index_path = index_path(reads.engine)

    def search_rows(self, ids: Sequence[int] | None = None) -> list[tuple[Any, ...]]:
        return self.reads.search_rows(ids)

    def change_window(self, seq: int) -> tuple[int, list[tuple[int, int, str]]]:
        from sqlalchemy import func, select

        from deskterm.models import Change

        def q(s: Any) -> tuple[int, list[tuple[int, int, str]]]:
            top = s.execute(select(func.max(Change.id))).one()[0] or 0
            low = max(0, min(seq, top) - FEED_LOOKBACK)
            # The driver's own cursor: after an import the feed holds a change per
            # imported person, and SQLAlchemy rows cost ten times as much to read.
            cursor = s.connection().connection.dbapi_connection.cursor()
            try:
                cursor.execute(
                    'SELECT id, person_id, op FROM "change"'
                    f" WHERE id > {int(low)} AND id <= {int(top)} ORDER BY id"
                )
                return top, [tuple(r) for r in cursor.fetchall()]
            finally:
                cursor.close()

        return self.reads._run(q)


class SavedIndex:
    """Load, catch up and save the index file of one database."""

    def __init__(self, source: IndexSource, path: Path | None) -> None:
        self.source = source
        self.path = path
        self.problem = ""  # why the saved index was not used, for tests and benchmarks

    @classmethod
    def of(cls, reads: Reads | IndexSource) -> SavedIndex:
        """The saved index of the database ``reads`` reads (a desk, or ``PlainReads``)."""
        source = reads if isinstance(reads, IndexSource) else _DeskSource(reads)
        return cls(source, source.index_path)

    def open(
        self,
        to_doc: object,
        *,
        resave_after: int = RESAVE_AFTER,
        fresh: Segment | None = None,
        fresh_changes: tuple[int, int] = (0, 0),
    ) -> tuple[SearchIndex, int] | None:
        """The saved index brought up to date and the feed id it is current to, or None.

        ``to_doc`` turns a ``search_rows`` tuple into a ``SearchDoc``. The file is
        written again when ``resave_after`` new changes or an erasure were caught up.
        ``fresh`` holds people just inserted (an import), indexed from the rows that
        were stored, whose changes have ids in ``fresh_changes`` (above the first, at
        most the second): whoever of them has that change and no other left to apply is
        taken from it instead of being read back from the database.
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
        low, high = fresh_changes
        known = frozenset[int]()
        if fresh is not None:
            mine = feed.changed.intersection(fresh.ids.tolist())
            known = frozenset(p for p in mine if low < feed.last[p] <= high)
        stale = feed.changed - known
        if len(stale) > REBUILD_SHARE * len(index) + 1000:
            self.problem = f"{len(stale):,} people changed since it was saved"
            return None
        if fresh is not None and known:  # the others, the file or the database has
            index.upsert_segment(fresh, np.isin(fresh.ids, np.fromiter(known, np.int64)))
        found = {r[0]: r for r in self.source.search_rows(sorted(stale))}
        index.upsert_many(to_doc(row) for row in found.values())  # type: ignore[operator]
        gone = feed.erased | (stale - found.keys())
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
        top, rows = self.source.change_window(seq)
        changed: set[int] = set()
        erased: set[int] = set()
        last: dict[int, int] = {}  # of people with one change to apply; -1: more
        new = 0
        for cid, pid, op in rows:
            if cid in seen:
                continue
            new += 1
            last[pid] = -1 if pid in last else cid
            if op == "delete":
                erased.add(pid)
                changed.discard(pid)
            else:
                changed.add(pid)
                erased.discard(pid)
        window = frozenset(cid for cid, *_ in rows if cid > top - FEED_LOOKBACK)
        if seq >= 1 << 62:  # only the position was asked for
            changed, erased, last, new = set(), set(), {}, 0
        return Feed(frozenset(changed), frozenset(erased), top, window, new, last)


def _holds(saved: store.Saved, person_id: int) -> bool:
    """True if the saved file still has ``person_id`` alive in it."""
    for seg, alive in zip(saved.segments, saved.alive, strict=True):
        slot = seg.slot_of(person_id)
        if slot >= 0 and alive[slot]:
            return True
    return False
