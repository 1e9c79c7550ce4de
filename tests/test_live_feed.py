"""The live feed wakes a desk when another connection commits, on both backends."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from deskterm.services import Desk
from deskterm.storage import open_engine
from deskterm.team import open_feed


def later(seconds: float, fn) -> threading.Thread:
    """Run ``fn`` in another thread after ``seconds``."""

    def run() -> None:
        time.sleep(seconds)
        fn()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


@pytest.fixture
def other(db_url, clock):
    """Another desk on its own engine (its own connections), as another process has."""
    engine = open_engine(db_url)
    yield Desk(engine, "bo", clock=clock)
    engine.dispose()


def test_nothing_happens_nothing_wakes(engine):
    """An idle database: wait runs out and says so."""
    with open_feed(engine) as feed:
        feed.wait(0.05)  # the first look sets the starting point
        started = time.monotonic()
        assert feed.wait(0.3) is False
        assert time.monotonic() - started >= 0.25


def test_a_commit_elsewhere_wakes_the_desk(engine, other):
    """A note by another desk wakes wait() well within a second."""
    jim = other.add_person({"name": "Jim"})
    with open_feed(engine) as feed:
        feed.wait(0.05)
        started = time.monotonic()
        writer = later(0.2, lambda: other.log_note(jim.id, "called"))
        assert feed.wait(5) is True
        woke = time.monotonic() - started
        writer.join()
        assert 0.15 < woke < 1.0


def test_a_rolled_back_write_never_wakes_postgresql(engine, other):
    """The trigger notifies inside the transaction: no commit, no wake-up."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no notifications; data_version only moves on commit")
    with open_feed(engine) as feed:
        feed.wait(0.05)
        with other.engine.connect() as conn:
            conn.execute(text("INSERT INTO change (person_id, op, at) VALUES (1, 'upsert', now())"))
            conn.rollback()
        assert feed.wait(0.4) is False


def test_postgresql_notification_carries_the_change_id(engine, other):
    """The payload is the newest change id of the committing statement."""
    if engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL carries a payload")
    with open_feed(engine) as feed:
        feed.wait(0.05)
        other.add_person({"name": "Margo"})
        assert feed.wait(5) is True
        assert feed.payloads[-1] == str(other.last_change_id())


def test_close_wakes_the_waiter_at_once(engine):
    """close() from another thread ends a long wait immediately."""
    feed = open_feed(engine)
    feed.wait(0.05)
    started = time.monotonic()
    closer = later(0.2, feed.close)
    assert feed.wait(30) is False
    closer.join()
    assert time.monotonic() - started < 2
    feed.close()  # twice is harmless


def test_postgresql_listener_comes_back_after_the_connection_dies(engine, other):
    """Killing the listening connection: one wake-up for the loss, one on listening
    again, and then commits wake it as before."""
    if engine.dialect.name != "postgresql":
        pytest.skip("the SQLite feed holds no server connection")
    with open_feed(engine) as feed:
        feed.wait(0.05)
        backend = feed._conn.info.backend_pid
        with other.engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
        assert feed.wait(5) is True  # lost
        assert feed.wait(5) is True  # listening again
        assert feed._conn.info.backend_pid != backend
        jim = other.add_person({"name": "Jim"})
        other.log_note(jim.id, "still there?")
        assert feed.wait(5) is True


def test_a_poke_wakes_the_waiter_at_once(engine):
    """poke() from another thread: wait returns True without any commit."""
    with open_feed(engine) as feed:
        feed.wait(0.05)
        started = time.monotonic()
        poker = later(0.1, feed.poke)
        assert feed.wait(30) is True
        poker.join()
        assert time.monotonic() - started < 1
        assert feed.wait(0.2) is False  # one poke, one wake-up
