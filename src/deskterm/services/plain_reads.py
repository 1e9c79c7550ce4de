"""The reads a one-off ``deskterm search`` needs, straight from a SQLite file.

Importing the database layer (SQLAlchemy, SQLModel, the models) takes half a second;
a search then runs a handful of plain SELECTs. ``PlainReads.open`` reads the file
with the standard ``sqlite3`` module instead — when that changes nothing: a plain
``sqlite:///path`` URL, the file there, already in WAL mode, its schema at the
revision this deskterm knows. Otherwise it returns None and the caller opens the
database the usual way (which creates, converts or upgrades it, or says why not).

It answers as ``Reads`` does for the search (the same columns: a test keeps
``SUMMARY_COLUMNS`` and ``SEARCH_COLUMNS`` equal to the ORM's) and is the saved
index's ``IndexSource``, so the directory and the saved index run unchanged on it.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from deskterm.clock import utcnow
from deskterm.services.saved_index import FEED_LOOKBACK, path_for_sqlite
from deskterm.services.views import ChangeBatch
from deskterm.storage.revisions import head_revision

__all__ = ["SEARCH_COLUMNS", "SUMMARY_COLUMNS", "PlainReads"]

SUMMARY_COLUMNS = (
    "id", "name", "s_mood_level", "s_mood_at", "s_next_due", "s_open_follow_ups",
    "s_last_contact", "s_last_done", "s_problem_at", "s_last_activity", "s_unconfirmed",
    "owner", "s_waiting_since",
)  # fmt: skip
SEARCH_COLUMNS = (
    "id", "name", "email", "company", "phone", "tags", "matters", "s_notes", "s_subjects",
)  # fmt: skip
_CHUNK = 500  # ids per IN (...), as ``Reads``
# sqlite:///relative/path or sqlite:////absolute/path; nothing escaped, no options.
_PLAIN_URL = re.compile(r"sqlite(?:\+pysqlite)?:///(?P<path>[^?#%]+)")
T = TypeVar("T")


class PlainReads:
    """Read-only queries on one SQLite connection (``sqlite3``, autocommit)."""

    def __init__(self, conn: sqlite3.Connection, index_path: Path | None) -> None:
        self.conn = conn
        self.index_path = index_path
        self.clock: Callable[[], datetime] = utcnow

    @classmethod
    def open(cls, url: str, *, busy_timeout_ms: int) -> PlainReads | None:
        """Reads on the SQLite file of ``url``, or None if the usual way must open it."""
        found = _PLAIN_URL.fullmatch(url.strip())
        if found is None or found["path"] == ":memory:":
            return None
        path = Path(found["path"]).expanduser()
        if not path.is_file():
            return None
        try:
            conn = sqlite3.connect(
                path, timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error:
            return None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            wal = conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            at = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        except sqlite3.Error:  # locked, damaged, not a desk: the usual way says what
            conn.close()
            return None
        if not wal or at != [(head_revision(),)]:
            conn.close()
            return None
        return cls(conn, path_for_sqlite(found["path"]))

    def close(self) -> None:
        self.conn.close()

    def _read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` in one read transaction; a failure is one ``StorageError``."""
        try:
            self.conn.execute("BEGIN")
            try:
                return fn(self.conn)
            finally:
                self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            from deskterm.storage.faults import storage_error

            raise storage_error(exc) from None

    def summary_rows(self, ids: Sequence[int] | None = None) -> list[tuple[Any, ...]]:
        """``Reads.summary_rows``: attention summary tuples of everyone or of ``ids``."""
        return self._bulk(SUMMARY_COLUMNS, ids)

    def search_rows(self, ids: Sequence[int] | None = None) -> list[tuple[Any, ...]]:
        """``Reads.search_rows``: search field tuples; tags still JSON-encoded."""
        return self._bulk(SEARCH_COLUMNS, ids)

    def _bulk(self, columns: Sequence[str], ids: Sequence[int] | None) -> list[tuple[Any, ...]]:
        sql = f"SELECT {', '.join(f'person.{c}' for c in columns)} FROM person"
        if ids is None:
            return self._read(lambda c: c.execute(sql).fetchall())
        wanted = [int(i) for i in ids]

        def q(c: sqlite3.Connection) -> list[tuple[Any, ...]]:
            out: list[tuple[Any, ...]] = []
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                out.extend(c.execute(f"{sql} WHERE person.id IN ({marks})", chunk).fetchall())
            return out

        return self._read(q)

    def change_window(self, seq: int) -> tuple[int, list[tuple[int, int, str]]]:
        """``IndexSource.change_window``: the newest change id and the changes up to it
        from ``FEED_LOOKBACK`` below ``seq``."""

        def q(c: sqlite3.Connection) -> tuple[int, list[tuple[int, int, str]]]:
            top = c.execute('SELECT max(id) FROM "change"').fetchone()[0] or 0
            low = max(0, min(seq, top) - FEED_LOOKBACK)
            rows = c.execute(
                'SELECT id, person_id, op FROM "change" WHERE id > ? AND id <= ? ORDER BY id',
                (low, top),
            ).fetchall()
            return top, rows

        return self._read(q)

    def poll_changes(self) -> ChangeBatch:
        """Always nothing: a one-off search reads once and never follows the feed (the
        directory calls this only to start it, as ``Reads.poll_changes``' first call)."""
        return ChangeBatch(frozenset(), frozenset())
