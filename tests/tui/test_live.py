"""Two desks on one database (SQLite file and PostgreSQL schema): live, present, careful.

The safety-net refresh is set to a minute here, so whatever shows up within a couple of
seconds came through the live feed. Presence beats every 0.3 s and expires after 1.5 s.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from deskterm.config import load_settings
from deskterm.services import Desk
from deskterm.services.team import Team
from deskterm.storage import open_engine
from deskterm.tui.app import DeskApp
from deskterm.tui.modals import ConfirmModal, NoteModal
from deskterm.tui.screens.main import MainScreen
from deskterm.tui.widgets.person_view import PersonView
from deskterm.tui.widgets.queue_list import QueueList
from deskterm.tui.widgets.search_box import SearchBox
from tui.conftest import record_notifications

TEAM = "[ui]\nrefresh_seconds = 60\n\n[team]\nheartbeat_seconds = 0.3\nexpiry_seconds = 1.5\n"


def settings_for(tmp_path: Path, agent: str) -> Any:
    path = tmp_path / f"{agent}.toml"
    path.write_text(f'[agent]\nname = "{agent}"\ntimezone = "Europe/Berlin"\n\n{TEAM}', "utf-8")
    return load_settings(config_path=path, env={})


@pytest.fixture
def shared(db_url: str) -> Any:
    """The shared database with Margo (overdue: first in the queue) and Jim."""
    engine = open_engine(db_url)
    desk = Desk(engine, "ana")
    margo = desk.add_person({"name": "Margo Fairweather", "email": "margo@example.org"})
    desk.log_follow_up(margo.id, desk.clock().replace(year=2020), "call back")
    jim = desk.add_person({"name": "Jim Okafor"})
    yield engine, margo, jim
    engine.dispose()


def open_desk(db_url: str, tmp_path: Path, agent: str) -> DeskApp:
    """A desk for ``agent`` on its own engine, as another process would have."""
    settings = settings_for(tmp_path, agent)
    desk = Desk(open_engine(db_url), agent)
    return record_notifications(DeskApp(desk=desk, settings=settings, db_label="test"))


async def until(pilot: Pilot, ok: Callable[[], bool], seconds: float = 3.0) -> float:
    """Let the app run until ``ok()`` holds; how long it took (fails after ``seconds``)."""
    started = time.monotonic()
    while not ok():
        assert time.monotonic() - started < seconds, "not shown in time"
        await pilot.pause(0.02)
    return time.monotonic() - started


async def loaded(pilot: Pilot) -> None:
    """Wait for the queue, the watcher and the selected person's view."""
    screen = pilot.app.screen
    await until(pilot, lambda: getattr(screen, "watcher", None) is not None, 10)
    await until(pilot, lambda: screen.person_view.person_id == screen.queue_list.selected_id, 5)


def shown(app: DeskApp) -> str:
    view = app.screen.query_one(PersonView)
    return "\n".join(str(w.render()) for w in view.query("Static") if w.display)


def row_presence(app: DeskApp, person_id: int) -> str:
    return app.screen.query_one(QueueList).presence_of(person_id)


def cli(db_url: str, *args: str) -> None:
    env = {**os.environ, "DESKTERM_AGENT_NAME": "script"}
    done = subprocess.run(
        [sys.executable, "-m", "deskterm", "--db", db_url, *args],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr


async def test_a_note_by_a_script_shows_without_a_keypress(db_url, tmp_path, shared) -> None:
    """A script logs a note on Margo: it is on the open desk without a keypress, and the
    half-typed search and the selection stay as they were."""
    engine, margo, _jim = shared
    app = open_desk(db_url, tmp_path, "ana")
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await pilot.press("slash", *"mar")
        await until(pilot, lambda: app.screen.query_one(QueueList).selected_id == margo.id)
        await asyncio.to_thread(cli, db_url, "note", "margo@example.org", "rang from the car")
        await until(pilot, lambda: "rang from the car" in shown(app))
        assert app.screen.query_one(SearchBox).value == "mar"
        assert app.screen.query_one(QueueList).selected_id == margo.id
        Desk(engine, "script").add_person({"name": "Zed Newcomer"})
        await until(pilot, lambda: app.screen.queue is not None and len(app.screen.queue) == 3)


async def test_two_desks_see_each_other_and_the_collision(db_url, tmp_path, shared) -> None:
    """ana on Margo shows on bo's desk ("ana here"), then "ana writing…"; bo opening a
    note on Margo is asked first, and escape writes nothing; ana's note reaches bo's
    screen by itself; ana quitting takes her off bo's screen at once."""
    engine, margo, jim = shared
    ana, bo = open_desk(db_url, tmp_path, "ana"), open_desk(db_url, tmp_path, "bo")
    async with bo.run_test(size=(120, 36)) as bo_pilot:
        await loaded(bo_pilot)
        async with ana.run_test(size=(120, 36)) as ana_pilot:
            await loaded(ana_pilot)
            await until(bo_pilot, lambda: row_presence(bo, margo.id) == "ana here")
            assert "ana here since" in shown(bo)
            await ana_pilot.press("n")
            await until(ana_pilot, lambda: isinstance(ana.screen, NoteModal))
            await until(bo_pilot, lambda: row_presence(bo, margo.id) == "ana writing…", 1.0)
            assert "ana writing… since" in shown(bo)
            before = len(Desk(engine, "x").detail(margo.id).timeline)
            await bo_pilot.press("n")
            await until(bo_pilot, lambda: isinstance(bo.screen, ConfirmModal))
            title = str(bo.screen.query_one("#title").render())
            assert title == "ana is writing to Margo Fairweather — go on?"
            await bo_pilot.press("escape")
            await until(bo_pilot, lambda: isinstance(bo.screen, MainScreen))
            assert len(Desk(engine, "x").detail(margo.id).timeline) == before
            await ana_pilot.press(*"promised a call at 3", "enter")
            await until(bo_pilot, lambda: "promised a call at 3" in shown(bo))
            await until(bo_pilot, lambda: row_presence(bo, margo.id) == "ana here")
            await ana_pilot.press("j")
            await until(bo_pilot, lambda: row_presence(bo, jim.id) == "ana here")
            assert row_presence(bo, margo.id) == ""
        await until(bo_pilot, lambda: row_presence(bo, jim.id) == "", 1.0)
        assert [d.agent for d in Team(engine, "x").who()] == ["bo"]


async def test_go_on_opens_the_window_anyway(db_url, tmp_path, shared) -> None:
    """Enter on the collision line opens the note window, and the note is stored."""
    engine, margo, _jim = shared
    other = Team(engine, "bo")
    other.beat(margo.id, writing=True)
    app = open_desk(db_url, tmp_path, "ana")
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        await until(pilot, lambda: row_presence(app, margo.id) == "bo writing…")
        other.beat(margo.id, writing=True)  # still alive
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ConfirmModal))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, NoteModal))
        await pilot.press(*"me too", "enter")
        await until(pilot, lambda: "me too" in shown(app))
    other.leave()


async def test_a_desk_that_dies_is_gone_after_the_expiry(db_url, tmp_path, shared) -> None:
    """A desk that stops beating (kill -9) shows until its beats are 1.5 s old, then not."""
    engine, _margo, jim = shared
    app = open_desk(db_url, tmp_path, "ana")
    async with app.run_test(size=(120, 36)) as pilot:
        await loaded(pilot)
        Team(engine, "cy").beat(jim.id)  # …and never again
        await until(pilot, lambda: row_presence(app, jim.id) == "cy here", 1.0)
        gone = await until(pilot, lambda: row_presence(app, jim.id) == "", 3.0)
        assert gone > 0.8
