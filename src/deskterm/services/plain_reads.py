"""The reads a one-off ``deskterm search`` needs, straight from the database driver.

Importing the database layer (SQLAlchemy, SQLModel, the models) takes half a second;
a search then runs a handful of plain SELECTs. ``PlainReads.open`` reads through the
driver alone (the standard ``sqlite3`` module, or psycopg) when that changes nothing:

- SQLite: a plain ``sqlite:///path`` URL, the file there, already in WAL mode;
- PostgreSQL: a URL of plain words (user, host, port, database, ``?key=value``
  options), whose saved index is then the same file in the cache folder;
- and the schema at the revision this deskterm knows.

Otherwise it returns None and the caller opens the database the usual way (which
creates, converts or upgrades it, or says why not). A PostgreSQL server that cannot
be reached is said as the usual way says it, without trying twice.

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
from urllib.parse import parse_qsl, quote_plus, unquote

from deskterm.clock import utcnow
from deskterm.services.saved_index import FEED_LOOKBACK, path_for_server, path_for_sqlite
from deskterm.services.views import ChangeBatch
from deskterm.storage.revisions import head_revision

__all__ = ["SEARCH_COLUMNS", "SUMMARY_COLUMNS", "PlainReads", "server_identity"]

SUMMARY_COLUMNS = (
    "id", "name", "s_mood_level", "s_mood_at", "s_next_due", "s_open_follow_ups",
    "s_last_contact", "s_last_done", "s_problem_at", "s_last_activity", "s_unconfirmed",
    "owner", "s_waiting_since",
)  # fmt: skip
SEARCH_COLUMNS = (
    "id", "name", "email", "company", "phone", "tags", "matters", "s_notes", "s_subjects",
)  # fmt: skip
_CHUNK = 500  # ids per IN (...), as ``Reads``
PG_CONNECT_TIMEOUT = 5  # seconds, as the desk's engine
# sqlite:///relative/path or sqlite:////absolute/path; nothing escaped, no options.
_SQLITE_URL = re.compile(r"sqlite(?:\+pysqlite)?:///(?P<path>[^?#%]+)")
_WORD = r"[A-Za-z0-9_.~-]+"  # what SQLAlchemy writes back unchanged
_PG_URL = re.compile(
    rf"postgres(?:ql)?(?:\+\w+)?://(?:(?P<user>{_WORD})(?::(?P<password>[^@/?#]*))?@)?"
    rf"(?P<host>{_WORD})?(?::(?P<port>\d+))?/(?P<database>{_WORD})(?:\?(?P<query>[^#]*))?"
)
T = TypeVar("T")


def server_identity(found: re.Match[str], options: dict[str, str]) -> str:
    """The URL as SQLAlchemy renders it for the saved index's name (no password)."""
    user = f"{found['user']}@" if found["user"] else ""
    port = f":{int(found['port'])}" if found["port"] else ""
    query = "&".join(f"{quote_plus(k)}={quote_plus(options[k])}" for k in sorted(options))
    where = f"{user}{found['host'] or ''}{port}/{found['database']}"
    return f"postgresql+psycopg://{where}" + (f"?{query}" if query else "")


class PlainReads:
    """Read-only queries on one driver connection, one transaction each."""

    def __init__(self, conn: Any, index_path: Path | None, *, sqlite: bool) -> None:
        self.conn = conn
        self.index_path = index_path
        self.clock: Callable[[], datetime] = utcnow
        self._sqlite = sqlite
        self._mark = "?" if sqlite else "%s"
        if sqlite:
            self._errors: tuple[type[Exception], ...] = (sqlite3.Error,)
        else:
            import psycopg

            self._errors = (psycopg.Error,)

    @classmethod
    def open(cls, url: str, *, busy_timeout_ms: int) -> PlainReads | None:
        """Reads on the database of ``url``, or None if the usual way must open it."""
        raw = url.strip()
        if raw.startswith("sqlite"):
            return cls._open_sqlite(raw, busy_timeout_ms)
        if raw.startswith("postgres"):
            return cls._open_postgresql(raw)
        return None

    @classmethod
    def _open_sqlite(cls, url: str, busy_timeout_ms: int) -> PlainReads | None:
        found = _SQLITE_URL.fullmatch(url)
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
        return cls(conn, path_for_sqlite(found["path"]), sqlite=True)

    @classmethod
    def _open_postgresql(cls, url: str) -> PlainReads | None:
        found = _PG_URL.fullmatch(url)
        if found is None:
            return None
        pairs = parse_qsl(found["query"] or "")
        options = dict(pairs)
        if len(options) != len(pairs) or "connect_timeout" in options:
            return None  # a repeated option, or one the usual way sets: leave it to that
        import psycopg

        given = {
            "user": found["user"],
            "password": unquote(found["password"]) if found["password"] is not None else None,
            "host": found["host"],
            "port": int(found["port"]) if found["port"] else None,
            "dbname": found["database"],
        }
        args = {k: v for k, v in given.items() if v is not None}
        try:
            conn = psycopg.connect(**args, **options, connect_timeout=PG_CONNECT_TIMEOUT)
        except psycopg.OperationalError as exc:  # unreachable, refused, not allowed in
            from deskterm.storage.engine import safe_url
            from deskterm.storage.faults import storage_error

            raise storage_error(exc, f"cannot open database {safe_url(url)}") from None
        except psycopg.Error:
            return None
        try:
            at = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            conn.rollback()
        except psycopg.Error:  # no schema yet, or not a desk's: the usual way says what
            conn.close()
            return None
        if at != [(head_revision(),)]:
            conn.close()
            return None
        return cls(conn, path_for_server(server_identity(found, options)), sqlite=False)

    def close(self) -> None:
        self.conn.close()

    def _read(self, fn: Callable[[Any], T]) -> T:
        """Run ``fn`` in one read transaction; a failure is one ``StorageError``."""
        try:
            if self._sqlite:
                self.conn.execute("BEGIN")
            try:
                return fn(self.conn)
            finally:
                if self._sqlite:
                    self.conn.execute("COMMIT")
                else:
                    self.conn.rollback()  # it only read: end the transaction
        except self._errors as exc:
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

        def q(c: Any) -> list[tuple[Any, ...]]:
            out: list[tuple[Any, ...]] = []
            for start in range(0, len(wanted), _CHUNK):
                chunk = wanted[start : start + _CHUNK]
                marks = ", ".join([self._mark] * len(chunk))
                out.extend(c.execute(f"{sql} WHERE person.id IN ({marks})", chunk).fetchall())
            return out

        return self._read(q)

    def change_window(self, seq: int) -> tuple[int, list[tuple[int, int, str]]]:
        """``IndexSource.change_window``: the newest change id and the changes up to it
        from ``FEED_LOOKBACK`` below ``seq``."""
        mark = self._mark

        def q(c: Any) -> tuple[int, list[tuple[int, int, str]]]:
            top = c.execute('SELECT max(id) FROM "change"').fetchone()[0] or 0
            low = max(0, min(seq, top) - FEED_LOOKBACK)
            rows = c.execute(
                f'SELECT id, person_id, op FROM "change" WHERE id > {mark} AND id <= {mark} '
                "ORDER BY id",
                (low, top),
            ).fetchall()
            return top, [tuple(r) for r in rows]

        return self._read(q)

    def poll_changes(self) -> ChangeBatch:
        """Always nothing: a one-off search reads once and never follows the feed (the
        directory calls this only to start it, as ``Reads.poll_changes``' first call)."""
        return ChangeBatch(frozenset(), frozenset())
