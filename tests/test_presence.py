"""Presence: which open desk is on whom — never history, gone when the desk is."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from deskterm.cli.main import run
from deskterm.models import Change, Entry
from deskterm.services.team import Team
from deskterm.team import open_feed


class WallClock:
    """A clock that starts now and can be moved forward (presence uses real time)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


def counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Change)).scalar_one(),
            conn.execute(select(func.count()).select_from(Entry)).scalar_one(),
        )


def test_a_beat_is_seen_by_others_and_never_becomes_history(engine, desk):
    """bo's desk on Margo, writing: ana sees it; no change row, no timeline entry."""
    margo = desk.add_person({"name": "Margo"})
    before = counts(engine)
    bo, ana = Team(engine, "bo"), Team(engine, "ana")
    bo.beat(margo.id, writing=True)
    ana.beat(None)
    [seen] = ana.who(others_only=True)
    assert (seen.agent, seen.person_id, seen.person_name, seen.writing) == (
        "bo",
        margo.id,
        "Margo",
        True,
    )
    assert seen.doing() == "bo writing…"
    assert {d.agent for d in ana.who()} == {"ana", "bo"}
    assert counts(engine) == before


def test_since_moves_only_when_the_state_changes(engine, desk):
    """Heartbeats keep "since"; another person or a writing window resets it."""
    jim = desk.add_person({"name": "Jim"})
    clock = WallClock()
    bo = Team(engine, "bo", clock=clock)
    bo.beat(jim.id)
    first = bo.who()[0].since
    clock.now += timedelta(seconds=10)
    bo.beat(jim.id)
    assert bo.who()[0].since == first
    clock.now += timedelta(seconds=5)
    bo.beat(jim.id, writing=True)
    assert bo.who()[0].since == clock.now


def test_a_silent_desk_expires_and_is_cleaned(engine, desk):
    """A desk that stops beating (killed) is ignored after the expiry, then deleted."""
    clock = WallClock()
    dead, alive = Team(engine, "bo", clock=clock), Team(engine, "ana", clock=clock)
    dead.beat(None)
    clock.now += timedelta(seconds=44)
    assert [d.agent for d in alive.who()] == ["bo"]
    clock.now += timedelta(seconds=2)
    assert alive.who() == []
    alive.beat(None)
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT agent FROM presence").all()
    assert [r[0] for r in rows] == ["ana"]


def test_leaving_removes_the_row_at_once_and_for_good(engine):
    """Quitting deletes the row; a heartbeat arriving later does not bring it back."""
    bo, ana = Team(engine, "bo"), Team(engine, "ana")
    bo.beat(None)
    bo.leave()
    assert ana.who() == []
    bo.beat(None)
    assert ana.who() == []


def test_a_beat_wakes_the_other_desks(engine):
    """Presence rides on the live feed: a beat wakes a waiting desk."""
    with open_feed(engine) as feed:
        feed.wait(0.05)
        Team(engine, "bo").beat(None)
        started = time.monotonic()
        assert feed.wait(5) is True
        assert time.monotonic() - started < 1


def test_who_lists_the_open_desks(db_url, engine, desk, capsys):
    """`deskterm who`: agent, person, writing, since, host — and none when none."""
    assert run(["--db", db_url, "who"]) == 0
    assert capsys.readouterr().out == "no desk is open\n"
    margo = desk.add_person({"name": "Margo Fairweather"})
    Team(engine, "bo").beat(margo.id, writing=True)
    Team(engine, "cy").beat(None)
    assert run(["--db", db_url, "who"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["AGENT", "ON", "DOING", "SINCE", "HOST"]
    assert lines[1].startswith("bo ") and "Margo Fairweather" in lines[1]
    assert "writing" in lines[1] and "(pid " in lines[1]
    assert lines[2].split()[:3] == ["cy", "-", "-"]
    assert run(["--db", db_url, "who", "--json"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert '"person": "Margo Fairweather"' in first and '"writing": true' in first
