"""An open desk on a PostgreSQL server that goes away: a private cluster (``faults.py``)
stopped and started under the running app, and a proxy that cuts the connection right
after COMMIT (the ambiguous commit). No mocks: real server, real sockets, real keys.

Every note the agent typed is on screen or in a draft while the server is away, and is
stored exactly once when it is back; the header says "offline since …" in one place.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import Input

from deskterm.tui.modals import NoteModal
from deskterm.tui.screens.main import MainScreen
from deskterm.tui.widgets.header import DeskHeader
from deskterm.tui.widgets.queue_list import QueueList


@pytest.fixture
def proxy(pg_cluster, tcp_proxy) -> Any:
    """A wire-cutting proxy in front of the private cluster."""
    return tcp_proxy(pg_cluster.port)


@pytest.fixture
def tui_engine(pg_cluster, proxy) -> Iterator[Any]:
    """The test desk on the private cluster, reached through the proxy."""
    from deskterm.storage import open_engine

    engine = open_engine(pg_cluster.url_at(proxy.port))
    yield engine
    engine.dispose()


def notes_with(cluster: Any, words: str) -> int:
    """Counted on the server itself (psql), not through the desk's connections."""
    quoted = words.replace("'", "''")
    sql = f"SELECT count(*) FROM entry WHERE kind = 'note' AND text = '{quoted}'"
    return int(cluster.psql(sql))


async def wait_until(pilot: Any, check: Callable[[], Any], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "waited too long"
        await pilot.pause(0.1)


def quick_retries(app: Any) -> None:
    """Retry every 0.2 s instead of backing off to 30 s (the test is short)."""
    app.screen.health.first_retry = app.screen.health.max_retry = 0.2


def errors(app: Any) -> list[str]:
    return [t for t, severity in app.notified if severity == "error"]


async def test_server_stopped_and_started_under_an_open_desk(
    app, settle, desk, people, pg_cluster, drafts
) -> None:
    """(b) Stopped: the header says offline once (no pile of notices), search still works,
    a note typed now stays in its dialog and then in a draft, and words typed and escaped
    while offline are kept too. Started: "Back online" once, and the draft is stored
    exactly once."""
    words = "called about the refund"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        quick_retries(app)
        header = app.screen.query_one(DeskHeader)
        pg_cluster.stop()
        await wait_until(pilot, lambda: header.offline)
        assert header.offline == "offline since 11:00 · retrying"  # the agent's zone
        assert "offline since 11:00 · retrying" in str(header.render())

        await pilot.press("n", *words, "enter")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NoteModal)
        assert modal.error_text.startswith("the database is unreachable — enter retries")
        await pilot.press("enter")  # retry while still down: still open, same words
        await settle(pilot)
        assert app.screen is modal and modal.query_one("#text", Input).value == words
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        kept = drafts.load("note", people.margo.id)
        assert kept is not None and kept.write_id == modal.write_id
        await pilot.press("c", *"tried to call back", "escape")  # no enter: offline, typed
        await settle(pilot)
        contact = drafts.load("contact", people.margo.id)
        assert contact is not None and contact.fields["summary"] == "tried to call back"

        await pilot.press("slash", *"okafor", "enter")  # searching what is loaded works
        await settle(pilot)
        assert app.screen.query_one(QueueList).selected_id == people.jim.id
        await pilot.pause(1.0)  # many sync ticks fail meanwhile
        assert errors(app) == []

        pg_cluster.start()
        await wait_until(pilot, lambda: not header.offline)
        await settle(pilot)
        assert [t for t, _ in app.notified].count("Back online") == 1
        await pilot.press("escape")  # leave the search; back to the whole queue
        app.screen.query_one(QueueList).select_id(people.margo.id)
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.query_one("#text", Input).value == words
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert notes_with(pg_cluster, words) == 1
    assert drafts.load("note", people.margo.id) is None  # stored: gone
    assert [d.kind for d in drafts.all()] == ["contact"]  # never sent: still kept


async def test_an_ambiguous_commit_is_retried_into_one_note(
    app, settle, desk, people, pg_cluster, proxy, drafts
) -> None:
    """(c) The server commits the note but the answer never arrives (the proxy cuts the
    connection after COMMIT): the dialog stays open; enter retries with the same write
    id, and the note is there once."""
    words = "promised a refund by friday"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n", *words)
        await pilot.pause()
        proxy.cut_after_commit()
        await pilot.press("enter")
        await settle(pilot)
        modal = app.screen
        assert proxy.commits_cut == 1
        assert isinstance(modal, NoteModal), "the desk was never told the note is stored"
        assert "enter retries" in modal.error_text
        assert notes_with(pg_cluster, words) == 1  # … but it is
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert "Note added for Margo Fairweather" in [t for t, _ in app.notified]
    assert notes_with(pg_cluster, words) == 1
    with desk.engine.connect() as conn:
        ids = conn.execute(text("SELECT write_id FROM entry WHERE text = :t"), {"t": words})
        assert [row[0] for row in ids] == [modal.write_id]
