"""Words stay until stored: a SQLite file held locked by another program (a real lock,
from a plain sqlite3 connection) past the desk's busy timeout, under a running desk.

The dialog stays open with the reason; enter retries with the same write id; escape keeps
a draft that comes back (also in a new app) and is stored exactly once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import Input

from deskterm.tui.modals import ConflictModal, NoteModal, PersonFormModal, QuickModal
from deskterm.tui.screens.main import MainScreen
from tui.conftest import record_notifications

BUSY_MS = 300  # how long a write waits for the lock before the dialog says so


@pytest.fixture
def tui_engine(tmp_path: Path) -> Iterator[Any]:
    """The test desk's SQLite file, with a short busy timeout (no 15 s waits in tests)."""
    from deskterm.storage import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'desk.db'}", busy_timeout_ms=BUSY_MS)
    yield engine
    engine.dispose()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Another program holds the write lock (as a backup tool or a long import would)."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def stored(engine: Any, write_id: str) -> int:
    """How many timeline entries carry ``write_id``."""
    with engine.connect() as conn:
        query = text("SELECT count(*) FROM entry WHERE write_id = :w")
        return conn.execute(query, {"w": write_id}).scalar_one()


def notes_with(engine: Any, words: str) -> int:
    with engine.connect() as conn:
        query = text("SELECT count(*) FROM entry WHERE kind = 'note' AND text = :t")
        return conn.execute(query, {"t": words}).scalar_one()


async def fail_then_escape(app: Any, pilot: Any, settle: Any, path: Path, keys: list[str]):
    """Open a dialog, type, press enter while the file is locked, escape: the draft."""
    await pilot.press(keys[0])
    await pilot.pause()
    modal = app.screen
    assert isinstance(modal, QuickModal)
    with locked(path):
        await pilot.press(*keys[1:], "enter")
        await settle(pilot)
        assert app.screen is modal, "the dialog stays open when the write fails"
        assert "locked by another program — enter retries, escape keeps a draft" in (
            modal.error_text
        )
        await pilot.press("escape")
        await settle(pilot)
    assert isinstance(app.screen, MainScreen)
    return modal


async def test_locked_file_keeps_the_note_open_until_enter_stores_it_once(
    app, settle, desk, people, tmp_path, drafts
) -> None:
    """(a) The note dialog stays open with the reason; after the lock goes, enter stores
    the note exactly once (same write id), the dialog closes and nothing is left over."""
    words = "called about the refund"
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        modal = app.screen
        with locked(tmp_path / "desk.db"):
            await pilot.press(*words, "enter")
            await settle(pilot)
            assert isinstance(app.screen, NoteModal)
            assert modal.error_text == (
                "the database is locked by another program — enter retries, escape keeps a draft"
            )
            assert modal.query_one("#text", Input).value == words
            first_id = modal.write_id
            await pilot.press("enter")  # still locked: still open, same id
            await settle(pilot)
            assert app.screen is modal and modal.write_id == first_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert f"Note added for {people.margo.name}" in [t for t, _ in app.notified]
    assert notes_with(desk.engine, words) == 1
    assert stored(desk.engine, first_id) == 1
    assert drafts.all() == []


KEYS = {
    "f": ["f", *"2d call back about the refund"],
    "m": ["m", "2", *"invoice was wrong"],
    "n": ["n", *"called about the refund"],
    "c": ["c", *"asked for the invoice"],
    "d": ["d", *"refund arrived", "enter"],  # enter: on to the check-back, then accept it
    "a": ["a", *"Zed Newman"],
    "e": ["e", *"Margo Jones"],  # the name field starts selected: typing replaces it
}
KINDS = {
    "f": "follow_up",
    "m": "mood",
    "n": "note",
    "c": "contact",
    "d": "done",
    "a": "person",
    "e": "edit",
}


@pytest.mark.parametrize("key", list(KEYS))
async def test_every_dialog_keeps_a_draft_and_brings_it_back(
    app, settle, desk, people, tmp_path, drafts, key
) -> None:
    """Escape after a failed write keeps a draft; the same dialog for the same person
    brings the words back with the same write id, says it is a draft, and enter stores
    it once and removes the draft."""
    person_id = None if key == "a" else people.margo.id
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        before = app.screen.queue_list.selected_id
        assert before == people.margo.id
        failed = await fail_then_escape(app, pilot, settle, tmp_path / "desk.db", KEYS[key])
        draft = drafts.load(KINDS[key], person_id)
        assert draft is not None and draft.write_id == failed.write_id
        assert stored(desk.engine, draft.write_id) == 0
        assert any("Kept as a draft" in t for t, _ in app.notified)

        await pilot.press(key)
        await pilot.pause()
        again = app.screen
        assert isinstance(again, QuickModal) and again is not failed
        assert again.draft_fields() == draft.fields
        assert again.write_id == draft.write_id
        assert again.status_text.startswith("draft from 11:00 — enter saves it")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert stored(desk.engine, draft.write_id) == 1
    assert drafts.all() == []
    if key == "a":
        assert len([p for p in desk.summary_rows() if p[1] == "Zed Newman"]) == 1
    if key == "e":
        assert desk.get_person(people.margo.id).name == "Margo Jones"


async def test_a_draft_survives_the_desk_being_closed(
    desk, settings, people, settle, tmp_path, drafts
) -> None:
    """(d) The words kept by one app come back in a new app on the same drafts folder."""
    from deskterm.tui.app import DeskApp

    words = "promised a call on friday"
    first = record_notifications(DeskApp(desk=desk, settings=settings, drafts=drafts))
    async with first.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await fail_then_escape(first, pilot, settle, tmp_path / "desk.db", ["n", *words])
    kept = drafts.load("note", people.margo.id)
    assert kept is not None and kept.fields == {"text": words}

    second = record_notifications(DeskApp(desk=desk, settings=settings, drafts=drafts))
    async with second.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert second.screen.query_one("#text", Input).value == words
        assert second.screen.write_id == kept.write_id
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(second.screen, MainScreen)
    assert notes_with(desk.engine, words) == 1
    assert drafts.all() == []


async def test_escape_on_a_draft_keeps_it_and_clearing_it_lets_it_go(
    app, settle, desk, people, tmp_path, drafts
) -> None:
    """A draft that came back stays on a plain escape; cleared and escaped, it goes."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await fail_then_escape(app, pilot, settle, tmp_path / "desk.db", ["n", *"hello"])
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert drafts.load("note", people.margo.id) is not None
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#text", Input).value = ""
        await pilot.press("escape")
        await settle(pilot)
    assert drafts.all() == []
    assert notes_with(desk.engine, "hello") == 0


async def test_an_edit_conflict_is_never_a_draft(
    app, settle, desk, other_desk, people, tmp_path, drafts
) -> None:
    """An edit kept as a draft, then Bo edits Margo: saving the draft is a conflict
    (reported, nothing overwritten), and the draft is gone."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await fail_then_escape(app, pilot, settle, tmp_path / "desk.db", KEYS["e"])
        assert drafts.load("edit", people.margo.id).fields["version"] == 1
        other_desk.edit_person(people.margo.id, 1, {"company": "Bo's Company"})
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PersonFormModal)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictModal)
    assert desk.get_person(people.margo.id).name == "Margo Fairweather"
    assert drafts.all() == []
