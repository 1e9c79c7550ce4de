"""The live feed: wake an open desk as soon as anyone commits, on either backend.

One interface, two flavours. ``wait(timeout)`` returns True when the database may have
moved (a change, a presence beat, or a reconnection after an outage) and False when
the time ran out. A wake-up carries no data: the desk then runs its ordinary sync
against the ``change`` table, which stays the source of truth — a missed or doubled
wake-up costs nothing, and the desk keeps a slow fallback poll anyway.

- PostgreSQL: a dedicated autocommit connection ``LISTEN``\\s on the schema's channel;
  triggers (migration 0004) ``pg_notify`` it from inside every writing transaction.
- SQLite: one long-lived connection reads ``PRAGMA data_version`` every ~100 ms; the
  number moves whenever another connection commits to the file.

Both are thread-safe in one way only: one thread waits; any thread may ``poke()`` (the
waiter returns True at once) or ``close()`` (it returns False at once).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
import time
from abc import ABC, abstractmethod
from typing import Any

from sqlalchemy import Engine

SQLITE_POLL = 0.1  # seconds between two looks at PRAGMA data_version
RECONNECT_EVERY = 1.0  # seconds between two attempts to listen again after an outage
CHANNEL_SQL = (  # the schema's channel, as the triggers of migration 0004 name it
    "SELECT left('deskterm_' || n.nspname, 63) FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('change')"
)


class LiveFeed(ABC):
    """Wake-ups when the shared database moves; ``close()`` from any thread."""

    def __init__(self) -> None:
        self._closed = threading.Event()
        self.wakes = 0  # how many wake-ups were reported (for the benchmark and tests)

    @abstractmethod
    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True if the database may have moved."""

    @abstractmethod
    def close(self) -> None:
        """Stop: wake a waiting thread (it returns False) and release the connection."""

    @abstractmethod
    def poke(self) -> None:
        """Wake a waiting thread now (it returns True): this desk itself has news."""

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def __enter__(self) -> LiveFeed:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_feed(engine: Engine, *, poll: float = SQLITE_POLL) -> LiveFeed:
    """The feed for ``engine``'s backend. Never raises: an unreachable database is
    retried inside ``wait`` (the desk's own sync reports the outage)."""
    if engine.dialect.name == "postgresql":
        return NotifyFeed(engine)
    return DataVersionFeed(engine, poll=poll)


class DataVersionFeed(LiveFeed):
    """SQLite: watch ``PRAGMA data_version`` on one connection that stays open."""

    def __init__(self, engine: Engine, *, poll: float = SQLITE_POLL) -> None:
        super().__init__()
        self.engine = engine
        self.poll = poll
        self._lock = threading.Lock()  # held while the connection is in use
        self._conn: Any = None
        self._version: int | None = None
        self._lost = False
        self._poked = threading.Event()

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self.closed:
            with self._lock:
                if self.closed:
                    break
                moved = self._look()
            if moved or self._poked.is_set():
                self._poked.clear()
                self.wakes += 1
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._poked.wait(min(self.poll, left))
        return False

    def poke(self) -> None:
        self._poked.set()

    def _look(self) -> bool:
        """Read the version; True if it moved, or on losing or regaining the file."""
        try:
            if self._conn is None:
                self._conn = self.engine.raw_connection()
            cursor = self._conn.cursor()
            try:
                version = cursor.execute("PRAGMA data_version").fetchone()[0]
            finally:
                cursor.close()
        except Exception:  # gone, locked or unreadable: the desk's sync says why
            self._release()
            lost, self._lost = self._lost, True
            return not lost
        if self._lost:
            self._lost, self._version = False, version
            return True
        was, self._version = self._version, version
        return was is not None and was != version

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                conn.close()

    def close(self) -> None:
        self._closed.set()
        self._poked.set()
        with self._lock:
            self._release()


class NotifyFeed(LiveFeed):
    """PostgreSQL: ``LISTEN`` on the schema's channel over a dedicated connection.

    The connection is autocommit and does nothing but listen. When it breaks (a
    restart, a failover), ``wait`` reports one wake-up (the desk's sync then meets the
    outage and says so), tries again every ``RECONNECT_EVERY`` seconds, and reports
    another wake-up once listening again — whatever was missed is in the change table.
    """

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self.engine = engine
        self._lock = threading.Lock()
        self._conn: Any = None
        self._lost = False
        self._next_try = 0.0
        self.channel: str | None = None
        self.payloads: list[str] = []  # the newest notifications' payloads (for tests)
        self._poked = False
        self._wake_r, self._wake_w = self._pipe = os.pipe()
        os.set_blocking(self._wake_w, False)

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not self.closed:
                if self._lost_now():
                    self.wakes += 1
                    return True
                if self._conn is None and not self._connect():
                    pause = min(self._next_try, deadline) - time.monotonic()
                    if pause > 0 and self._closed.wait(pause):
                        break
                    if time.monotonic() >= deadline:
                        return False
                    continue
                if self._regained():
                    self.wakes += 1
                    return True
                got = self._receive(deadline - time.monotonic())
                if got:
                    self.wakes += 1
                    return True
                if got is False and time.monotonic() >= deadline:
                    return False
        return False

    # -- the connection -----------------------------------------------------------------
    def _connect(self) -> bool:
        if time.monotonic() < self._next_try:
            return False
        import psycopg
        from psycopg import sql

        self._next_try = time.monotonic() + RECONNECT_EVERY
        try:
            cargs, cparams = self.engine.dialect.create_connect_args(self.engine.url)
            conn = psycopg.connect(*cargs, **{**cparams, "connect_timeout": 5}, autocommit=True)
            try:
                channel = conn.execute(CHANNEL_SQL).fetchone()
                if channel is None or channel[0] is None:
                    raise psycopg.OperationalError("the change table is missing")
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel[0])))
            except BaseException:
                conn.close()
                raise
        except psycopg.Error:
            if self.channel is not None and not self._lost:  # listened before: an outage
                self._lost_pending, self._lost = True, True
            return False
        self._conn, self.channel = conn, channel[0]
        return True

    _lost_pending = False

    def _lost_now(self) -> bool:
        """True once, right after an outage began."""
        pending, self._lost_pending = self._lost_pending, False
        return pending

    def _regained(self) -> bool:
        """True once, right after listening again after an outage."""
        if self._lost and self._conn is not None:
            self._lost = False
            return True
        return False

    def _receive(self, timeout: float) -> bool | None:
        """Wait for notifications: True if some came, False if none, None if it broke."""
        import psycopg

        conn = self._conn
        with selectors.DefaultSelector() as selector:
            selector.register(conn.fileno(), selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            ready = selector.select(max(0.0, timeout))
        if any(key.fd == self._wake_r for key, _ in ready):
            with contextlib.suppress(OSError):
                os.read(self._wake_r, 4096)
            poked, self._poked = self._poked, False
            return poked and not self.closed
        try:
            got = [n.payload for n in conn.notifies(timeout=0)] if ready else []
        except psycopg.Error:
            self._release()
            self._lost_pending, self._lost = True, True
            self._next_try = 0.0
            return None
        if got:
            self.payloads = got[-20:]
        return bool(got)

    def _release(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):  # a broken connection may fail to close
                conn.close()

    def poke(self) -> None:
        if not self._pipe:
            return
        self._poked = True
        with contextlib.suppress(OSError):  # full: the waiter wakes anyway; closed: no waiter
            os.write(self._wake_w, b"p")

    def close(self) -> None:
        if not self._pipe:
            return
        self._closed.set()
        with contextlib.suppress(OSError):  # the pipe is full: the waiter wakes anyway
            os.write(self._wake_w, b"x")
        with self._lock:
            self._release()
            pipe, self._pipe = self._pipe, ()
            for fd in pipe:
                os.close(fd)
