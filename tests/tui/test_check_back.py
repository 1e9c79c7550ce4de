"""Marking a follow-up done proposes a check-back in the same window (real keys):
enter accepts, a digit changes the days, `n` declines and asks why."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import Input, Static

from deskterm.tui.modals import DoneModal
from deskterm.tui.screens.main import MainScreen
from tui.conftest import NOW


def in_days(days: int) -> datetime:
    """Due N days from the test clock, at the same time of day (as "3d" is read)."""
    return NOW + timedelta(days=days)


async def open_done(app, pilot, outcome: str) -> DoneModal:
    await pilot.press("d")
    await pilot.pause()
    modal = app.screen
    assert isinstance(modal, DoneModal)
    await pilot.press(*outcome, "enter")
    await pilot.pause()
    return modal


def proposal(modal: DoneModal) -> str:
    return str(modal.query_one("#proposal", Static).render())


async def test_enter_accepts_a_check_back_in_three_days(app, settle, desk, people) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await open_done(app, pilot, "refund sent")
        assert app.screen is modal, "enter on the outcome asks about the check-back first"
        assert "check back in 3 days, Thu 26 Nov 11:00?" in proposal(modal)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    (check,) = desk.detail(people.margo.id).open_follow_ups
    assert check.note == "check back: call back about the invoice"
    assert check.due_at == in_days(3) and check.check_back_of is not None
    done = [e for e in desk.detail(people.margo.id).timeline if e.kind == "done"]
    assert done[0].text == "refund sent" and "no_check_back" not in done[0].data
    assert any("check back Thu 26 Nov 11:00" in text for text, _ in app.notified)


async def test_a_digit_changes_the_days(app, settle, desk, people) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await open_done(app, pilot, "refund sent")
        await pilot.press("7")
        await pilot.pause()
        assert "check back in 7 days, Mon 30 Nov 11:00?" in proposal(modal)
        await pilot.press("1")
        await pilot.pause()
        assert "check back in 1 day, Tue 24 Nov 11:00?" in proposal(modal)
        await pilot.press("enter")
        await settle(pilot)
    (check,) = desk.detail(people.margo.id).open_follow_ups
    assert check.due_at == in_days(1)


async def test_n_skips_and_the_reason_is_stored_with_the_done_entry(
    app, settle, desk, people
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await open_done(app, pilot, "refund sent")
        await pilot.press("n")
        await pilot.pause()
        reason = modal.query_one("#reason", Input)
        assert reason.display and app.focused is reason
        await pilot.press("enter")  # a reason is needed
        await pilot.pause()
        assert "why no check-back?" in modal.error_text
        await pilot.press(*"she confirmed on the phone", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert desk.detail(people.margo.id).open_follow_ups == ()
    (done,) = [e for e in desk.detail(people.margo.id).timeline if e.kind == "done"]
    assert done.data["no_check_back"] == "she confirmed on the phone"


async def test_escape_in_the_reason_goes_back_and_escape_again_writes_nothing(
    app, settle, desk, people
) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = await open_done(app, pilot, "refund sent")
        await pilot.press("n", "escape")
        await pilot.pause()
        assert app.screen is modal and modal.step == "propose"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert len(desk.detail(people.margo.id).open_follow_ups) == 1


async def test_closing_a_check_back_proposes_none(app, settle, desk, people, tui_clock) -> None:
    desk.complete_follow_up(people.margo.id, "sent", check_back=NOW + timedelta(days=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.queue_list.select_id(people.margo.id)
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert "closing it confirms" in str(app.screen.query_one("#check-back", Static).render())
        await pilot.press(*"all good, she says", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen), "enter closed it: no question asked"
    assert desk.detail(people.margo.id).open_follow_ups == ()
