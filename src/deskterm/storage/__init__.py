"""Storage: the engine factory, column types and schema migrations.

The names below load on first use: ``deskterm search`` checks a SQLite file's schema
revision (``storage.revisions``) without importing SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from deskterm.storage.engine import make_engine, parse_url, safe_url
    from deskterm.storage.migrate import upgrade

__all__ = ["make_engine", "open_engine", "parse_url", "safe_url", "upgrade"]

_HOME = {
    "make_engine": "deskterm.storage.engine",
    "parse_url": "deskterm.storage.engine",
    "safe_url": "deskterm.storage.engine",
    "upgrade": "deskterm.storage.migrate",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_HOME[name]), name)


def open_engine(url: str, *, migrate: bool = True, busy_timeout_ms: int | None = None) -> Engine:
    """An engine for ``url`` with the schema brought up to date.

    StorageError if unusable; its subclass Unavailable (exit 75) when the database is
    unreachable, locked or full. ``busy_timeout_ms``: how long SQLite waits for a lock.
    """
    from sqlalchemy.exc import DBAPIError

    from deskterm.storage.engine import make_engine, safe_url
    from deskterm.storage.faults import storage_error
    from deskterm.storage.migrate import upgrade

    engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
    try:
        if migrate:
            upgrade(engine)
        else:
            with engine.connect():
                pass
    except DBAPIError as exc:
        engine.dispose()
        raise storage_error(exc, f"cannot open database {safe_url(url)}") from None
    return engine
