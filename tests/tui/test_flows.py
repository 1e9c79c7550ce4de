"""Quick logging with the default keys: what is stored (through the Desk) and shown."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from deskterm.tui.modals import (
    ConflictModal,
    ContactModal,
    DoneModal,
    FollowUpModal,
    MoodModal,
    NoteModal,
    PersonFormModal,
)
from deskterm.tui.screens.main import MainScreen
from deskterm.tui.screens.search import PREVIEW_PAUSE
from deskterm.tui.widgets.person_view import PersonView
from deskterm.tui.widgets.queue_list import QueueList
from tui.conftest import HOSTILE_SHOWN


def notes(app) -> list[str]:
    """The notifications shown so far, as plain text."""
    return [text for text, _severity in app.notified]


def person_text(app) -> str:
    view = app.screen.query_one(PersonView)
    return "\n".join(str(w.render()) for w in view.query("Static") if w.display)


async def select(app, pilot, settle, person_id: int) -> None:
    app.screen.query_one(QueueList).select_id(person_id)
    await settle(pilot)


async def test_search_then_follow_up(app, settle, desk, people) -> None:
    """`/ m r g o enter f 2d call back… enter`: stored for Margo, shown, confirmed."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j")  # move away from Margo first
        await settle(pilot)
        await pilot.press("slash", *"mrgo", "enter")
        await settle(pilot)
        assert app.screen.query_one(QueueList).selected_id == people.margo.id
        assert isinstance(app.focused, QueueList)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpModal)
        await pilot.press(*"2d call back about the delivery", "enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        stored = desk.detail(people.margo.id).open_follow_ups
        assert [f.note for f in stored] == [
            "call back about the invoice",
            "call back about the delivery",
        ]
        assert "call back about the delivery · ana" in person_text(app)
        assert "Follow-up for Margo Fairweather due Wed 25 Nov 11:00, in 2 days" in notes(app)


async def test_mood_digit_note_enter(app, settle, desk, people) -> None:
    """`m 2 <note> enter` records level 2 with the note and shows it."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(app, pilot, settle, people.jim.id)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoodModal)
        await pilot.press("2", *"invoice was wrong twice", "enter")
        await settle(pilot)
        mood = desk.detail(people.jim.id).mood
        assert (mood.level, mood.note, mood.agent) == (2, "invoice was wrong twice", "ana")
        assert "mood ▂ frustrated · “invoice was wrong twice” · ana, just now" in person_text(app)
        assert "Mood of Jim Okafor: frustrated" in notes(app)
        # Jim is now waiting in a bad mood (after Alecia, who is worse) and stays selected.
        queue = app.screen.query_one(QueueList)
        assert queue.selected_id == people.jim.id
        assert queue.row(queue.cursor).reason == "frustrated · waiting <1m"


async def test_note_and_contact(app, settle, desk, people) -> None:
    """`n` adds a note; `c` logs a contact on the chosen channel."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteModal)
        await pilot.press(*"prefers calls after 4pm", "enter")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ContactModal)
        await pilot.press(*"sent the corrected invoice", "enter")
        await settle(pilot)
        kinds = [(e.kind, e.channel, e.text) for e in desk.detail(people.margo.id).timeline[:2]]
        assert kinds == [
            ("contact", "email", "sent the corrected invoice"),
            ("note", "", "prefers calls after 4pm"),
        ]
        text = person_text(app)
        assert "ana · contact · email" in text and "prefers calls after 4pm" in text
        assert "Note added for Margo Fairweather" in notes(app)
        assert "Contact (email) logged for Margo Fairweather" in notes(app)


async def test_done_closes_the_earliest_follow_up(app, settle, desk, people) -> None:
    """`d` closes Margo's overdue follow-up with the outcome; `n` and a reason: no
    check-back, and she leaves the top."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DoneModal)
        await pilot.press(*"refund confirmed by phone", "enter", "n")
        await pilot.press(*"she confirmed it herself", "enter")
        await settle(pilot)
        assert desk.detail(people.margo.id).open_follow_ups == ()
        assert "Follow-up done for Margo Fairweather: refund confirmed by phone" in notes(app)
        assert "none open" in person_text(app)
        assert app.screen.query_one(QueueList).selected_id == people.margo.id


async def test_done_without_open_follow_up_says_so(app, settle, people) -> None:
    """`d` on Jim, who has nothing open: a notification, no modal."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(app, pilot, settle, people.jim.id)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "Jim Okafor has no open follow-up" in notes(app)


async def test_add_person_selects_them(app, settle, desk) -> None:
    """`a`, a name, enter: the person is stored, selected and shown."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PersonFormModal)
        await pilot.press(*"Noor Haddad", "enter")
        await settle(pilot)
        stored = desk.find_person("Noor Haddad")
        assert app.screen.query_one(QueueList).selected_id == stored.id
        assert app.screen.query_one(PersonView).person_id == stored.id
        assert "Added Noor Haddad" in notes(app)


async def test_a_late_older_queue_keeps_the_new_person_selected(app, settle, desk) -> None:
    """A refresh that started before a save and lands after it changes nothing shown."""
    from deskterm.tui.messages import QueueReady

    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        older = app.screen.queue
        await pilot.press("a", *"Noor Haddad", "enter")
        await settle(pilot)
        stored = desk.find_person("Noor Haddad")
        app.screen.post_message(QueueReady(older))  # the overtaken refresh arrives
        await settle(pilot)
        queue = app.screen.query_one(QueueList)
        assert queue.selected_id == stored.id
        assert app.screen.queue.position_of(stored.id) is not None


async def test_edit_person_saves_only_changes(app, settle, desk, people) -> None:
    """`e`: the form starts from the profile; a changed field is saved."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PersonFormModal)
        company = form.query_one("#field-company", Input)
        assert company.value == "Fairweather Ltd"
        company.value = "Fairweather & Daughters"
        await pilot.press("ctrl+s")
        await settle(pilot)
        record = desk.get_person(people.margo.id)
        assert record.company == "Fairweather & Daughters" and record.version == 2
        assert "Fairweather & Daughters · external" in person_text(app)
        assert "Saved Margo Fairweather" in notes(app)


async def test_edit_conflict_is_reported_and_nothing_overwritten(
    app, settle, desk, other_desk, people
) -> None:
    """Bo edits Margo first: our edit shows the conflict and keeps Bo's change."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        other_desk.edit_person(people.margo.id, 1, {"company": "Bo's Company"})
        app.screen.query_one("#field-company", Input).value = "Ana's Company"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConflictModal)
        assert "bo changed company: 'Fairweather Ltd' → \"Bo's Company\"" in app.screen.changes
        assert desk.get_person(people.margo.id).company == "Bo's Company"
        await pilot.press("escape")
        await settle(pilot)
        assert "Bo's Company · external" in person_text(app)


@pytest.mark.parametrize("key", ["f", "m", "n", "c", "d", "a", "e"])
async def test_escape_cancels_without_writing(app, settle, desk, people, drafts, key) -> None:
    """Every modal: type something, escape — nothing is written, and no draft is kept."""
    before = desk.last_change_id()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert not isinstance(app.screen, MainScreen)
        await pilot.press("2", *"d something", "escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    assert desk.last_change_id() == before
    assert desk.detail(people.margo.id).timeline[0].kind == "follow_up"
    assert drafts.all() == []


async def test_hostile_name_in_modal_and_notification(app, settle, desk, people) -> None:
    """A note for Eve: her name is literal in the modal title and the notification."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("G", "n")
        await pilot.pause()
        assert f"Note for {HOSTILE_SHOWN[:47]}…" == str(app.screen.query_one("#title").render())
        await pilot.press(*"[b]hi[/b]", "enter")
        await settle(pilot)
        assert desk.detail(people.eve.id).timeline[0].text == "[b]hi[/b]"
        assert f"Note added for {HOSTILE_SHOWN[:47]}…" in notes(app)
        assert app.is_running


async def test_desk_errors_are_shown_in_the_dialog(app, settle, other_desk, people) -> None:
    """Jim is erased by someone else while selected: the note dialog stays open saying
    why; escape then closes it (nothing to keep: the database answered)."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(app, pilot, settle, people.jim.id)
        app.screen.watcher.pause()  # hold the refresh so Jim stays on screen
        other_desk.erase(people.jim.id)
        await pilot.press("n", *"hello", "enter")
        await settle(pilot)
        assert isinstance(app.screen, NoteModal)
        assert app.screen.error_text == f"no person with id {people.jim.id}"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.is_running


def control_chars(svg: str) -> list[str]:
    """Control characters in a screenshot (the SVG keeps every drawn character)."""
    return sorted({c for c in svg if (ord(c) < 0x20 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0})


async def test_hostile_name_in_the_edit_form_never_reaches_the_terminal(
    app, settle, desk, people
) -> None:
    """`e` on Eve: her name is drawn inert in the name field, and saving another field
    keeps the stored name byte for byte."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(app, pilot, settle, people.eve.id)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, PersonFormModal)
        field = app.screen.query_one("#field-name", Input)
        assert field.value == people.eve.name  # what is edited is what is stored
        assert field._value.plain.endswith("␛]0;pwned␇")  # what is drawn is inert
        assert control_chars(app.export_screenshot()) == []
        app.screen.query_one("#field-language", Input).value = "English"
        await pilot.press("enter")
        await settle(pilot)
    stored = desk.get_person(people.eve.id)
    assert stored.language == "English" and stored.name == people.eve.name


async def test_the_best_match_is_shown_after_a_pause_and_stays_after_escape(
    app, settle, people
) -> None:
    """`/ j i m`: Jim is selected at once and shown once the agent pauses; escape right
    after `/ m r g o` keeps Margo selected and shows her, not Jim from before."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        queue, view = app.screen.query_one(QueueList), app.screen.query_one(PersonView)
        assert view.person_id == people.margo.id
        await pilot.press("slash", *"jim")
        await settle(pilot)
        assert queue.selected_id == people.jim.id
        await pilot.pause(3 * PREVIEW_PAUSE)
        await settle(pilot)
        assert view.person_id == people.jim.id
        await pilot.press("escape", "slash", *"mrgo")
        await settle(pilot)
        assert queue.selected_id == people.margo.id
        await pilot.press("escape")  # most likely before the pause is over
        await settle(pilot)
        await pilot.pause(3 * PREVIEW_PAUSE)
        await settle(pilot)
        assert app.screen.search_box.value == ""
        assert queue.selected_id == view.person_id == people.margo.id


async def test_control_characters_typed_into_search_are_drawn_inert(app, settle) -> None:
    """A paste with ESC and BEL in the search box shows ␛ and ␇, sends neither."""
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("/")
        app.screen.search_box.insert_text_at_cursor("eve\x1b]0;pwned\x07")
        await settle(pilot)
        assert control_chars(app.export_screenshot()) == []
