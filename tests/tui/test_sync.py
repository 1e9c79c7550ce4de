"""Changes made elsewhere (another agent, the CLI) appear without a keypress."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from textual.pilot import Pilot
from textual.widgets import Input

from deskterm.tui.modals import NoteModal
from deskterm.tui.widgets.person_view import PersonView
from deskterm.tui.widgets.queue_list import QueueList
from tui.conftest import NOW


async def until(pilot: Pilot, condition: Callable[[], bool], seconds: float = 5.0) -> None:
    """Let the app run (no keys pressed) until ``condition`` holds, or fail."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the change did not appear in time"
        await pilot.pause(0.05)


def person_text(app) -> str:
    view = app.screen.query_one(PersonView)
    return "\n".join(str(w.render()) for w in view.query("Static") if w.display)


async def test_another_agents_mood_appears_without_a_keypress(
    app, settle, other_desk, people
) -> None:
    """Bo records that Jim is furious; the queue and Jim's view update on their own."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        queue = app.screen.query_one(QueueList)
        queue.select_id(people.jim.id)
        await settle(pilot)
        other_desk.log_mood(people.jim.id, 1, "furious about the invoice")
        await until(pilot, lambda: "furious about the invoice" in person_text(app))
        row = queue.row(queue.cursor)
        assert (row.id, row.reason) == (people.jim.id, "very upset · waiting <1m")
        assert "furious about the invoice” · bo, just now" in person_text(app)


async def test_selection_follows_the_person_when_they_move(app, settle, other_desk, people):
    """Jim gets an overdue follow-up from Bo and jumps up; he stays selected."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        queue = app.screen.query_one(QueueList)
        queue.select_id(people.jim.id)
        await settle(pilot)
        assert queue.cursor == 2
        other_desk.log_follow_up(people.jim.id, NOW - timedelta(days=3), "send the contract")
        await until(pilot, lambda: queue.cursor == 0)
        assert queue.selected_id == people.jim.id
        await until(pilot, lambda: "send the contract · bo" in person_text(app))


async def test_sync_leaves_an_open_modal_and_the_search_alone(
    app, settle, other_desk, people
) -> None:
    """A search and a half-typed note survive another agent's change."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"jim", "enter")
        await settle(pilot)
        await pilot.press("n", *"half a")
        await pilot.pause()
        assert isinstance(app.screen, NoteModal)
        main = app.screen_stack[-2]
        other_desk.log_mood(people.jim.id, 1, "furious")
        await until(pilot, lambda: main.query_one(QueueList).row(0).reason.startswith("very"))
        assert isinstance(app.screen, NoteModal)
        assert app.screen.query_one("#text", Input).value == "half a"
        assert main.query_one("#search", Input).value == "jim"
        assert [r.id for r in main.query_one(QueueList).visible_rows()] == [people.jim.id]


async def test_an_erased_person_leaves_the_queue(app, settle, other_desk, people) -> None:
    """Someone erases Eve; she disappears from the queue and the counts."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        queue = app.screen.query_one(QueueList)
        assert len(queue.source) == 4
        other_desk.erase(people.eve.id)
        await until(pilot, lambda: len(queue.source) == 3)
        assert people.eve.id not in [r.id for r in queue.visible_rows()]
