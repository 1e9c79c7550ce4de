"""Build the SQLAlchemy engine from the configured URL — nothing at import time.

SQLite (the default) gets WAL, a busy timeout, foreign keys, and ``BEGIN IMMEDIATE``
for writes: pysqlite's default deferred transactions silently lose concurrent
read-modify-write updates. PostgreSQL is reached through psycopg 3.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import NullPool

from deskterm.errors import BadDatabaseURL, StorageError

WRITE_OPTION = "deskterm_write"
SQLITE_BUSY_MS = 15_000


def parse_url(raw: str) -> URL:
    """Parse and check a database URL, or raise StorageError naming what is wrong."""
    raw = raw.strip()
    if not raw:
        raise BadDatabaseURL("database URL is empty (set [database] url or --db)")
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise BadDatabaseURL(
            f"bad database URL {_hide_password(raw)!r}: expected e.g. sqlite:///path/desk.db or "
            "postgresql+psycopg://user@host/db"
        ) from None
    backend = url.get_backend_name()
    if backend == "postgres":  # the spelling many hosts hand out; SQLAlchemy wants postgresql
        backend = "postgresql"
    if backend == "postgresql":
        # psycopg 3 is what we install; plain postgresql:// would mean psycopg2.
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        if url.get_driver_name() not in ("pysqlite",):
            url = url.set(drivername="sqlite")
        return url
    raise BadDatabaseURL(
        f"unsupported database {backend!r} in {safe_url(url)}: use sqlite:/// or postgresql+psycopg://"
    )


def safe_url(url: URL | str) -> str:
    """The URL with any password hidden, for messages and the header."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return "<unparseable URL>"
    return url.render_as_string(hide_password=True)


def short_url(url: URL | str) -> str:
    """The database as the header names it: no password, no driver, no query options."""
    if isinstance(url, str):
        try:
            url = make_url(url)
        except (ArgumentError, ValueError):
            return "<unparseable URL>"
    url = url.set(drivername=url.get_backend_name(), query={})
    return url.render_as_string(hide_password=True)


def _hide_password(raw: str) -> str:
    """Mask ``user:secret@`` in a URL too broken to parse."""
    head, at, host = raw.rpartition("@")
    scheme, sep, userinfo = head.rpartition("://")
    if not at or ":" not in userinfo:
        return raw
    return f"{scheme}{sep}{userinfo.split(':', 1)[0]}:***@{host}"


def make_engine(raw_url: str, *, busy_timeout_ms: int | None = None) -> Engine:
    """An engine for the URL, tuned for its backend; SQLite waits ``busy_timeout_ms`` for locks."""
    url = parse_url(raw_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, SQLITE_BUSY_MS if busy_timeout_ms is None else busy_timeout_ms)
    return create_engine(
        url, pool_pre_ping=True, pool_size=5, max_overflow=5, connect_args={"connect_timeout": 5}
    )


def _sqlite_engine(url: URL, busy_ms: int) -> Engine:
    database = url.database or ""
    if database in ("", ":memory:"):
        raise BadDatabaseURL("an in-memory SQLite database cannot be shared; give a file path")
    path = Path(database).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder for {path}: {exc.strerror}") from None
    url = url.set(database=str(path))
    engine = create_engine(
        url,
        poolclass=NullPool,
        connect_args={"timeout": busy_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
        _use_wal(cur, busy_ms)
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _use_wal(cur: sqlite3.Cursor, busy_ms: int) -> None:
    """Switch the file to WAL (it stays so), waiting out other desks doing the same.

    The switch needs an exclusive lock, and SQLite answers "database is locked" at once,
    without its busy handler, when two new connections race for it on a fresh file.
    """
    deadline = time.monotonic() + busy_ms / 1000
    pause = 0.005
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            busy = getattr(exc, "sqlite_errorcode", 0) & 0xFF in (5, 6)  # SQLITE_BUSY, _LOCKED
            if not busy or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that SQLite takes the write lock at BEGIN."""
    return engine.execution_options(**{WRITE_OPTION: True})
