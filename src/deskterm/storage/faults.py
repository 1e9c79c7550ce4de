"""Which database failures are temporary: the one place that tells "try later" from "wrong".

A failure is *unavailable* (``errors.Unavailable``, exit 75) when the database is
unreachable, locked or full — retrying the same write later can succeed. It is read
from the driver's own error class and code, not guessed from the text:

- psycopg: a connection failure (``OperationalError`` without a SQLSTATE: refused,
  timed out, closed under us) or SQLSTATE class 08 (connection), 53 (insufficient
  resources: disk full, too many connections), 57P (shutdown, server starting), or a
  lock that could not be had (deadlock 40P01, lock_not_available 55P03, serialization
  40001);
- sqlite3: SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_PROTOCOL, and the write and
  sync I/O errors a full disk or a file-size limit give.

Anything else is a plain ``StorageError`` (exit 1).
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

from deskterm.errors import StorageError, Unavailable

PG_TEMPORARY_CLASSES = ("08", "53", "57P")
PG_TEMPORARY_STATES = frozenset({"40P01", "55P03", "40001"})
PG_FULL_STATES = frozenset({"53100"})
PG_SHUTDOWN_STATES = frozenset({"57P01", "57P02", "57P03"})
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_FULL, SQLITE_PROTOCOL = 5, 6, 13, 15
SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_IOERR_TRUNCATE = 778, 1034, 1546
SQLITE_IOERR_SHMSIZE = 4874
SQLITE_LOCK_CODES = frozenset({SQLITE_BUSY, SQLITE_LOCKED, SQLITE_PROTOCOL})
SQLITE_FULL_CODES = frozenset(
    {SQLITE_IOERR_WRITE, SQLITE_IOERR_FSYNC, SQLITE_IOERR_TRUNCATE, SQLITE_IOERR_SHMSIZE}
)


def driver_error(error: BaseException) -> BaseException:
    """The driver's own exception inside a SQLAlchemy one (or ``error`` itself)."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        return error.orig
    return error


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0].strip() if text else type(error).__name__


def kind_of(error: BaseException) -> str | None:
    """``"locked"``, ``"full"``, ``"shutdown"`` or ``"unreachable"`` when temporary, else None."""
    orig = driver_error(error)
    if isinstance(orig, sqlite3.Error):
        code = getattr(orig, "sqlite_errorcode", None)
        if code is None:
            return None
        if code & 0xFF in SQLITE_LOCK_CODES:
            return "locked"
        if code & 0xFF == SQLITE_FULL or code in SQLITE_FULL_CODES:
            return "full"
        return None
    sqlstate = getattr(orig, "sqlstate", None)
    if _is_psycopg(orig):
        import psycopg

        if sqlstate is None:
            return "unreachable" if isinstance(orig, psycopg.OperationalError) else None
        if sqlstate in PG_FULL_STATES:
            return "full"
        if sqlstate in PG_SHUTDOWN_STATES:
            return "shutdown"
        if sqlstate in PG_TEMPORARY_STATES:
            return "locked"
        if sqlstate.startswith(PG_TEMPORARY_CLASSES):
            return "unreachable"
        return None
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return "unreachable"  # SQLAlchemy recognised a lost connection
    return None


def _is_psycopg(error: BaseException) -> bool:
    return type(error).__module__.startswith("psycopg")


def is_unavailable(error: BaseException) -> bool:
    """Whether retrying later may succeed: unreachable, locked or full."""
    return kind_of(error) is not None


_SAID = {
    "locked": "the database is locked by another program; try again in a moment",
    "full": "the disk holding the database is full; nothing was stored ({reason})",
    "shutdown": "the database server is shutting down or starting; try again later ({reason})",
    "unreachable": "the database is unreachable; try again later ({reason})",
}


def describe(error: BaseException) -> str:
    """One line for a database failure, naming a lock, a full disk or an outage as such."""
    reason = first_line(driver_error(error))
    kind = kind_of(error)
    if kind is None:
        return f"database error: {reason}"
    return _SAID[kind].format(reason=reason)


def storage_error(error: BaseException, prefix: str = "") -> StorageError:
    """``Unavailable`` (exit 75) for a temporary failure, else ``StorageError`` (exit 1)."""
    message = f"{prefix}: {describe(error)}" if prefix else describe(error)
    return (Unavailable if is_unavailable(error) else StorageError)(message)
