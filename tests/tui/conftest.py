"""A small SQLite desk with known people, settings from a temporary file, and the app.

The clock is fixed at Monday 23 Nov 2026 10:00 UTC (11:00 in Berlin, the agent's zone):
Jim is calm, Margo's follow-up is two days overdue, Alecia is very upset today, and Eve
has a name full of markup and terminal control characters.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
HOSTILE = "[bold]Eve[/] [@click=app.quit]x oops [/] here \x1b]0;pwned\x07"
HOSTILE_SHOWN = "[bold]Eve[/] [@click=app.quit]x oops [/] here ␛]0;pwned␇"


@dataclass
class People:
    """The ids and names of the people in the test desk."""

    jim: Any
    margo: Any
    alecia: Any
    eve: Any


class Clock:
    """A settable clock shared by the desk, the directory and the screen."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def tui_clock() -> Clock:
    return Clock()


@pytest.fixture
def settings_file(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        '[agent]\nname = "ana"\ntimezone = "Europe/Berlin"\n\n[ui]\nrefresh_seconds = 0.2\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def settings(settings_file: Path):
    from deskterm.config import load_settings

    return load_settings(config_path=settings_file, env={})


@pytest.fixture
def tui_engine(tmp_path: Path) -> Iterator[Any]:
    from deskterm.storage import open_engine

    engine = open_engine(f"sqlite:///{tmp_path / 'desk.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def desk(tui_engine: Any, tui_clock: Clock):
    from deskterm.services import Desk

    return Desk(tui_engine, "ana", clock=tui_clock)


@pytest.fixture
def other_desk(tui_engine: Any, tui_clock: Clock):
    """Another agent, "bo", on the same database (as another process would be)."""
    from deskterm.services import Desk

    return Desk(tui_engine, "bo", clock=tui_clock)


@pytest.fixture
def people(desk: Any, tui_clock: Clock) -> People:
    """Jim, Margo (overdue), Alecia (very upset, with a mood history) and hostile Eve."""
    tui_clock.now = NOW - timedelta(days=14)
    jim = desk.add_person(
        {
            "name": "Jim Okafor",
            "email": "jim@example.org",
            "company": "Okafor Farms",
            "pace": "unhurried",
            "channel": "phone",
            "language": "English",
            "timezone": "Africa/Lagos",
            "matters": "likes time to weigh his options",
        }
    )
    margo = desk.add_person(
        {
            "name": "Margo Fairweather",
            "email": "margo@fairweather.example",
            "company": "Fairweather Ltd",
            "pace": "brisk",
            "channel": "email",
            "timezone": "Europe/London",
            "matters": "always in a hurry; wants answers, not updates",
        }
    )
    alecia = desk.add_person(
        {"name": "Alecia Brandt", "company": "Brandt & Co", "timezone": "Europe/Berlin"}
    )
    eve = desk.add_person({"name": HOSTILE, "company": "[red]Evil[/red] Corp", "internal": True})
    desk.log_mood(alecia.id, 4, "happy with the new plan")
    tui_clock.now = NOW - timedelta(days=6)
    desk.log_mood(alecia.id, 3, "")
    desk.log_contact(jim.id, "phone", "talked through the options, no rush")
    tui_clock.now = NOW - timedelta(days=4)
    desk.log_follow_up(margo.id, NOW - timedelta(days=2), "call back about the invoice")
    desk.log_note(eve.id, "oops [/x] and [@click=app.quit]click me[/]")
    tui_clock.now = NOW - timedelta(hours=3)
    desk.log_mood(alecia.id, 1, "her cat is at the vet")
    tui_clock.now = NOW
    return People(jim, margo, alecia, eve)


@pytest.fixture
def drafts(tmp_path: Path):
    """The drafts folder of the test desk (the user's state directory is left alone)."""
    from deskterm.drafts import Drafts

    return Drafts(tmp_path / "drafts", "sqlite:///tmp/desk.db")


@pytest.fixture
def app(desk: Any, settings: Any, people: People, drafts: Any):
    from deskterm.tui.app import DeskApp

    app = DeskApp(desk=desk, settings=settings, db_label="sqlite:///tmp/desk.db", drafts=drafts)
    return record_notifications(app)


def record_notifications(app: Any) -> Any:
    """Keep every notification in ``app.notified`` (toasts expire after a few seconds)."""
    app.notified = []
    show = app.notify

    def notify(message: Any, **kwargs: Any) -> None:
        app.notified.append((str(message), kwargs.get("severity", "information")))
        show(message, **kwargs)

    app.notify = notify
    return app


def busy_workers(app: Any) -> list[Any]:
    """Running workers, except the live watcher (it runs as long as the desk is open)."""
    return [w for w in app.workers if w.is_running and w.group != "live"]


async def _settle(pilot: Pilot, rounds: int = 20) -> None:
    """Wait until no worker is running and every posted message has been handled."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        busy = busy_workers(app)
        if busy:  # (an empty list would mean: wait for every worker, the watcher too)
            await app.workers.wait_for_complete(busy)
        await pilot.pause()
        if not busy_workers(app):
            return


def shown_text(widget: Any) -> str:
    """What a widget shows, as plain text."""
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


@pytest.fixture
def settle():
    """``await settle(pilot)``: wait for workers and the messages they posted."""
    return _settle
