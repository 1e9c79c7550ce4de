"""Storage: the engine factory, column types and schema migrations."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from deskterm.errors import StorageError
from deskterm.storage.engine import make_engine, parse_url, safe_url
from deskterm.storage.migrate import upgrade

__all__ = ["make_engine", "open_engine", "parse_url", "safe_url", "upgrade"]


def open_engine(url: str, *, migrate: bool = True) -> Engine:
    """An engine for ``url`` with the schema brought up to date; StorageError if unusable."""
    engine = make_engine(url)
    try:
        if migrate:
            upgrade(engine)
        else:
            with engine.connect():
                pass
    except (OperationalError, DBAPIError) as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StorageError(f"cannot open database {safe_url(url)}: {reason}") from None
    return engine
