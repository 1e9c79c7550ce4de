"""Whose person it is, with the real keys: `o` takes or gives, `v` filters the queue."""

from __future__ import annotations

from deskterm.tui.modals import OwnerModal
from deskterm.tui.screens.main import MainScreen
from deskterm.tui.widgets.header import DeskHeader
from deskterm.tui.widgets.queue_list import QueueList
from tui.conftest import shown_text


def queue_ids(app) -> list[int]:
    queue = app.screen.query_one(QueueList)
    return [queue.source.row(p).id for p in range(len(queue.source))]


def row_of(app, person_id: int):
    queue = app.screen.query_one(QueueList)
    return queue.source.row(queue.source.position_of(person_id))


async def select(app, pilot, settle, person_id: int) -> None:
    app.screen.query_one(QueueList).select_id(person_id)
    await settle(pilot)


async def test_o_enter_takes_the_person_and_the_row_says_whose(app, settle, desk, people):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(app, pilot, settle, people.jim.id)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, OwnerModal)
        await pilot.press("enter")  # prefilled with the agent's own name
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert desk.get_person(people.jim.id).owner == "ana"
        assert row_of(app, people.jim.id).owner == "ana"
        line = app.screen.query_one(QueueList).render_line(
            app.screen.query_one(QueueList).cursor
            - int(app.screen.query_one(QueueList).scroll_offset.y)
        )
        assert "ana · " in line.text
        timeline = desk.detail(people.jim.id).timeline
        assert (timeline[0].kind, timeline[0].text) == ("handoff", "nobody → ana")


async def test_o_gives_to_another_agent_with_a_note_completed_from_known_names(
    app, settle, desk, other_desk, people
):
    other_desk.log_note(people.jim.id, "bo was here")  # "bo" is now an agent of this desk
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(app, pilot, settle, people.margo.id)
        await pilot.press("o")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, OwnerModal) and "bo" in modal.agents
        await pilot.press("ctrl+u", "b", "right")  # "b" completes to "bo"; → takes it
        await pilot.press("tab", *"she wants a call by Friday", "enter")
        await settle(pilot)
        assert desk.get_person(people.margo.id).owner == "bo"
        timeline = desk.detail(people.margo.id).timeline
        assert timeline[0].text == "nobody → bo: she wants a call by Friday"
        assert any("given to bo" in text for text, _ in app.notified)


async def test_escape_gives_nobody_away(app, settle, desk, people):
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert all(desk.get_person(p.id).owner is None for p in (people.jim, people.margo))


async def test_v_cycles_everyone_mine_nobodys_and_the_header_says_which(
    app, settle, desk, other_desk, people
):
    desk.take(people.jim.id)
    other_desk.take(people.margo.id)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        everyone = queue_ids(app)
        assert len(everyone) == 4
        header = app.screen.query_one(DeskHeader)
        await pilot.press("v")
        await settle(pilot)
        assert queue_ids(app) == [people.jim.id]
        assert shown_text(header).count("mine:") == 1
        await pilot.press("v")
        await settle(pilot)
        assert set(queue_ids(app)) == {people.alecia.id, people.eve.id}
        assert "nobody's:" in shown_text(header)
        await pilot.press("v")
        await settle(pilot)
        assert queue_ids(app) == everyone
        assert ":" not in shown_text(header).split("·")[-1]


async def test_a_person_given_away_leaves_the_mine_view(app, settle, desk, people):
    desk.take(people.jim.id)
    desk.take(people.alecia.id)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert set(queue_ids(app)) == {people.jim.id, people.alecia.id}
        await select(app, pilot, settle, people.jim.id)
        await pilot.press("o", "ctrl+u", *"cy", "enter")
        await settle(pilot)
        assert desk.get_person(people.jim.id).owner == "cy"
        assert queue_ids(app) == [people.alecia.id]
