"""Shared fixtures: a desk on each backend, so every service test runs on both.

PostgreSQL is used when reachable (``DESKTERM_TEST_PG`` or 127.0.0.1:5432, user
postgres, database test). Under ``CI=true`` an unreachable PostgreSQL fails the run
instead of skipping, so CI always proves both backends.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from faults import pg_cluster, pg_template, tcp_proxy  # noqa: F401  (fixtures for every test)

PG_BASE = os.environ.get("DESKTERM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_state: dict[str, str | None] = {}


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No DESKTERM_ setting of the machine reaches the CLI (the tests' own stay)."""
    for name in list(os.environ):
        if name.startswith("DESKTERM_") and not name.startswith("DESKTERM_TEST_"):
            monkeypatch.delenv(name)


def pg_unreachable_reason() -> str | None:
    """None when PostgreSQL answers, else why not (cached for the session)."""
    if "reason" not in _pg_state:
        import psycopg

        plain = PG_BASE.replace("postgresql+psycopg://", "postgresql://")
        try:
            psycopg.connect(plain, connect_timeout=3).close()
            _pg_state["reason"] = None
        except Exception as exc:  # any failure means: not usable here
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            _pg_state["reason"] = f"PostgreSQL not reachable at {plain}: {first}"
    return _pg_state["reason"]


def require_pg() -> None:
    reason = pg_unreachable_reason()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
    pytest.skip(reason)


class PgSchema:
    """A throw-away schema; its URL points search_path at it."""

    def __init__(self) -> None:
        from sqlalchemy import create_engine

        self.name = f"t_{uuid.uuid4().hex[:12]}"
        self._admin = create_engine(PG_BASE)
        with self._admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{self.name}"')
        sep = "&" if "?" in PG_BASE else "?"
        self.url = f"{PG_BASE}{sep}options=-csearch_path%3D{self.name}"

    def drop(self) -> None:
        with self._admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')
        self._admin.dispose()


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Saved search indexes of PostgreSQL test schemas go to a temporary cache folder,
    never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'desk.db'}"
        return
    require_pg()
    schema = PgSchema()
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'desk.db'}"


class FakeClock:
    """A clock tests can move; starts 2026-11-23 10:00 UTC."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 23, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(db_url: str):
    from deskterm.storage import open_engine

    eng = open_engine(db_url)
    yield eng
    eng.dispose()


@pytest.fixture
def desk(engine, clock):
    """A desk for agent "ana" on a fresh database, on each backend."""
    from deskterm.services import Desk

    return Desk(engine, "ana", clock=clock)
