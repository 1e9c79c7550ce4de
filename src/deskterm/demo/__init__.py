"""Deterministic demo data: Jim, Margo, Alecia and as many made-up people as wanted.

A few of them wrote in by mail (``demo.mail``): Margo 20 minutes ago, still waiting.

``generate_people`` makes people with profiles in many scripts and short, varied
histories (no fake-data library; seeded, no global state). ``populate`` inserts the
essay people and a few hundred others in one transaction; ``demo_database`` does so
in a fresh temporary SQLite file, never touching the user's real database.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from itertools import chain
from pathlib import Path

from sqlalchemy import Engine

from deskterm.demo.essays import essay_people
from deskterm.demo.mail import add_mail
from deskterm.demo.people import DEFAULT_AGENTS, generate_people
from deskterm.demo.words import OUR_COMPANY

__all__ = [
    "DEFAULT_AGENTS",
    "OUR_COMPANY",
    "demo_database",
    "essay_people",
    "generate_people",
    "populate",
]


def _now(now: datetime | None) -> datetime:
    """``now``, or the current local time (so "today" is the local day)."""
    return datetime.now().astimezone() if now is None else now


def populate(
    engine: Engine,
    *,
    count: int = 300,
    seed: int = 7,
    now: datetime | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """Insert Jim, Margo, Alecia and ``count`` made-up people; how many were added.

    One transaction: all or nothing. On a fresh database the essay people get ids 1-3.
    """
    from deskterm.services.bulk import bulk_insert

    when = _now(now)
    people = chain(essay_people(when), generate_people(count, seed=seed, now=when))
    result = bulk_insert(engine, people, agent=DEFAULT_AGENTS[0], now=when, on_progress=on_progress)
    add_mail(engine, when, DEFAULT_AGENTS[0])
    return result.people


def demo_database(now: datetime | None = None, *, count: int = 300) -> str:
    """A new SQLite demo database in a fresh temporary folder; its URL."""
    from deskterm.storage import open_engine

    folder = Path(tempfile.mkdtemp(prefix="deskterm-demo-"))
    url = f"sqlite:///{(folder / 'demo.db').as_posix()}"
    engine = open_engine(url)
    try:
        populate(engine, count=count, now=now)
    finally:
        engine.dispose()
    return url
