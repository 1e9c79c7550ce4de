"""Quick-logging modals driven by key presses: what they return and what they show."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static

from deskterm.tui.modals import (
    ChoiceRow,
    ConfirmModal,
    ConflictModal,
    ContactModal,
    ContactResult,
    DoneModal,
    DoneResult,
    FollowUpModal,
    FollowUpResult,
    MoodModal,
    MoodResult,
    NoteModal,
    PersonFormModal,
)

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 6, 10, 14, 0, tzinfo=BERLIN)
LABELS = ("very upset", "upset", "okay", "happy", "delighted")
HOSTILE = ["[bold]Eve[/]", "[@click=app.quit]x", "oops [/] here", "\x1b]0;pwned\x07"]


class Host(App[None]):
    """An empty app that pushes one modal and keeps what it was dismissed with."""

    def __init__(self, modal: Screen[Any]) -> None:
        super().__init__()
        self.modal = modal
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.modal, self.results.append)

    @property
    def open(self) -> bool:
        return self.screen is self.modal


@asynccontextmanager
async def opened(modal: Screen[Any], size: tuple[int, int] = (80, 24)) -> AsyncIterator[Pilot]:
    app = Host(modal)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        yield pilot


async def type_text(pilot: Pilot, text: str) -> None:
    await pilot.press(*text)


def shown(modal: Screen[Any], selector: str) -> str:
    return str(modal.query_one(selector, Static).render())


def follow_up(name: str = "Margo") -> FollowUpModal:
    return FollowUpModal(name, now=lambda: NOW, tz=BERLIN)


async def test_follow_up_previews_then_saves_due_and_note() -> None:
    modal = follow_up()
    async with opened(modal) as pilot:
        await type_text(pilot, "2d check the refund arrived")
        await pilot.pause()
        assert "in 2 days" in modal.preview_text
        assert "check the refund arrived" in modal.preview_text
        assert not pilot.app.results
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [
            FollowUpResult(
                due=NOW + timedelta(days=2),
                note="check the refund arrived",
                text="2d check the refund arrived",
            )
        ]
        assert not pilot.app.open


async def test_follow_up_impossible_date_is_shown_and_nothing_saved() -> None:
    modal = follow_up()
    async with opened(modal) as pilot:
        await type_text(pilot, "2026-02-30 renewal talk")
        await pilot.press("enter")
        await pilot.pause()
        assert "not a date" in modal.error_text
        assert pilot.app.open
        assert pilot.app.results == []


async def test_follow_up_needs_a_note() -> None:
    modal = follow_up()
    async with opened(modal) as pilot:
        await type_text(pilot, "tomorrow")
        await pilot.press("enter")
        await pilot.pause()
        assert modal.error_text == "add what to follow up on"
        assert pilot.app.open


async def test_follow_up_tab_cycles_quick_choices() -> None:
    modal = follow_up()
    async with opened(modal) as pilot:
        await type_text(pilot, "call back")
        await pilot.press("tab")
        assert modal.query_one("#text", Input).value == "1h call back"
        await pilot.press("tab")
        assert modal.query_one("#text", Input).value == "tomorrow call back"
        assert "quick (tab): 1h · tomorrow · 2d · 1w" in shown(modal, ".hint")


async def test_escape_cancels_with_none() -> None:
    modal = follow_up()
    async with opened(modal) as pilot:
        await type_text(pilot, "2d something")
        await pilot.press("escape")
        await pilot.pause()
        assert pilot.app.results == [None]


async def test_mood_digit_moves_to_note_then_enter_saves() -> None:
    modal = MoodModal("Alecia", LABELS)
    async with opened(modal) as pilot:
        assert isinstance(pilot.app.focused, ChoiceRow)
        await pilot.press("4")
        assert pilot.app.focused is modal.query_one("#note", Input)
        await type_text(pilot, "cat is home")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [MoodResult(level=4, note="cat is home")]


async def test_mood_digit_then_enter_saves_without_note() -> None:
    modal = MoodModal("Alecia", LABELS)
    async with opened(modal) as pilot:
        await pilot.press("2", "enter")
        await pilot.pause()
        assert pilot.app.results == [MoodResult(level=2, note="")]


async def test_mood_arrows_move_from_current_and_enter_saves_from_the_row() -> None:
    modal = MoodModal("Alecia", LABELS, current=3)
    async with opened(modal) as pilot:
        row = modal.query_one("#level", ChoiceRow)
        assert row.value == "okay"
        assert "okay" in str(row.query(".-chosen").first(Static).render())
        await pilot.press("right", "enter")
        await pilot.pause()
        assert pilot.app.results == [MoodResult(level=4, note="")]


async def test_mood_without_a_level_asks_for_one() -> None:
    modal = MoodModal("Alecia", LABELS)
    async with opened(modal) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "pick a level" in modal.error_text
        assert pilot.app.open


async def test_note_saves_text_and_refuses_empty() -> None:
    modal = NoteModal("Jim")
    async with opened(modal) as pilot:
        await pilot.press("space", "enter")
        await pilot.pause()
        assert modal.error_text == "write the note first"
        assert pilot.app.open
        await type_text(pilot, "prefers calls after 5")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == ["prefers calls after 5"]


async def test_contact_starts_on_preferred_channel_and_saves_summary() -> None:
    modal = ContactModal("Jim", default="email")
    async with opened(modal) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert "summary" in modal.error_text
        await pilot.press("ctrl+n")
        await type_text(pilot, "walked through the invoice")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [ContactResult("chat", "walked through the invoice")]


async def test_contact_tab_to_channel_digit_back_to_summary() -> None:
    modal = ContactModal("Jim")
    async with opened(modal) as pilot:
        await pilot.press("shift+tab", "5")
        assert pilot.app.focused is modal.query_one("#summary", Input)
        await type_text(pilot, "call")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [ContactResult("video", "call")]


async def test_done_shows_the_follow_up_literally_and_needs_an_outcome() -> None:
    modal = DoneModal("Jim", "check the [b]refund[/b] arrived", "overdue [2d]")
    async with opened(modal) as pilot:
        assert "check the [b]refund[/b] arrived" in shown(modal, "#closing")
        assert "overdue [2d]" in shown(modal, "#due")
        await pilot.press("enter")
        await pilot.pause()
        assert "what happened?" in modal.error_text
        await type_text(pilot, "refund arrived")
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [DoneResult("refund arrived")]  # nothing to propose with


async def test_person_form_add_requires_a_name_then_a_valid_email() -> None:
    modal = PersonFormModal("New person")
    async with opened(modal) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert modal.error_text.startswith("name:")
        assert pilot.app.open
        await type_text(pilot, "Zoë")
        await pilot.press("tab")
        await type_text(pilot, "nope")
        await pilot.press("enter")
        await pilot.pause()
        assert modal.error_text.startswith("email:")
        assert pilot.app.focused is modal.query_one("#field-email")
        await pilot.press(*"zoe@example.com", "tab", "tab", "tab", "space")
        await pilot.press("tab", "right", "ctrl+s")
        await pilot.pause()
        [values] = pilot.app.results
        assert values["name"] == "Zoë"
        assert values["email"] == "zoe@example.com"
        assert values["internal"] is True
        assert values["pace"] == "brisk"
        assert values["tags"] == []


async def test_person_form_edit_returns_only_changed_fields() -> None:
    initial = {"name": "Margo", "email": "margo@example.com", "pace": "brisk", "tags": ["vip"]}
    modal = PersonFormModal("Edit Margo", initial)
    async with opened(modal) as pilot:
        modal.query_one("#field-company", Input).value = "Acme"
        modal.query_one("#field-tags", Input).value = "vip "
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [{"company": "Acme"}]


async def test_person_form_edit_with_nothing_changed_returns_empty() -> None:
    modal = PersonFormModal("Edit Jim", {"name": "Jim", "internal": False, "tags": ("a", "b")})
    async with opened(modal) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [{}]


async def test_conflict_lists_changes_literally() -> None:
    changes = ["email: a@b → [c]@d", "tags: [@click=app.quit]vip"]
    modal = ConflictModal("Ana changed Margo.", changes)
    async with opened(modal) as pilot:
        listed = [str(w.render()) for w in modal.query(".change").results(Static)]
        assert listed == [f"• {change}" for change in changes]
        assert "nothing was saved" in shown(modal, "#not-saved").lower()
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.results == [None]


@pytest.mark.parametrize(("keys", "answer"), [("enter", True), ("escape", False), ("n", False)])
async def test_confirm(keys: str, answer: bool) -> None:
    modal = ConfirmModal("Erase Margo?")
    async with opened(modal) as pilot:
        await pilot.press(keys)
        await pilot.pause()
        assert pilot.app.results == [answer]


@pytest.mark.parametrize("name", HOSTILE)
async def test_hostile_names_are_shown_literally_and_inert(name: str) -> None:
    modals = [
        follow_up(name),
        MoodModal(name, LABELS),
        NoteModal(name),
        ContactModal(name, channels=[name, "email"]),
        DoneModal(name, name, name),
        PersonFormModal(name, {"name": name}),
    ]
    expected = name.replace("\x1b", "␛").replace("\x07", "␇")
    for modal in modals:
        async with opened(modal) as pilot:
            title = shown(modal, "#title")
            assert expected in title
            assert "\x1b" not in title
            await pilot.click("#title")
            await pilot.pause()
            assert pilot.app.is_running and pilot.app.open


async def _steady(pilot: Pilot) -> None:
    """Freeze the cursor so the snapshot does not depend on the blink phase."""
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def test_snapshot_follow_up_preview(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot) -> None:
        await type_text(pilot, "fri 10:00 ship the replacement")
        await _steady(pilot)

    assert snap_compare(Host(follow_up("Margo")), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_person_form_error(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot) -> None:
        await type_text(pilot, "Zoë Müller")
        await pilot.press("tab", *"zoe.example.com", "enter")
        await _steady(pilot)

    modal = PersonFormModal("New person")
    assert snap_compare(Host(modal), terminal_size=(80, 24), run_before=run_before)


def test_snapshot_mood_chosen(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot) -> None:
        await pilot.press("2", *"cat at the vet")
        await _steady(pilot)

    modal = MoodModal("Alecia", LABELS, current=3)
    assert snap_compare(Host(modal), terminal_size=(80, 24), run_before=run_before)
