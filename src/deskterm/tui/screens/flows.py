"""Quick logging from the main screen: one key opens a modal, enter saves through the Desk.

Each action pushes a modal for the selected person; its result is written by a thread
worker (``write``) that calls the Desk, syncs the directory and posts ``Saved`` (or
``Failed`` / ``EditConflict``). Nothing here touches the database on the event loop.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work

from deskterm.due import describe_due
from deskterm.errors import Conflict, DeskError
from deskterm.services.views import PersonDetail
from deskterm.textsafe import one_line
from deskterm.tui.messages import EditConflict, Failed, Saved

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from deskterm.config import Settings
    from deskterm.directory import Directory
    from deskterm.services import Desk

NAME = 48
TEXT = 60


def _n(name: str) -> str:
    """A name or note as it may appear in a (markup-free) notification."""
    return one_line(name, NAME)


class QuickLogging:
    """The ``f m n c d a e`` actions of the main screen (a mixin for ``MainScreen``)."""

    desk: Desk
    directory: Directory
    settings: Settings
    clock: Callable[[], datetime]
    tz: ZoneInfo

    if TYPE_CHECKING:  # provided by Screen / MainScreen
        app: Any

        def notify(self, message: str, **kwargs: Any) -> None: ...
        def post_message(self, message: Any) -> bool: ...
        def current_detail(self) -> PersonDetail | None: ...
        def request_person(self, person_id: int | None, *, force: bool = False) -> None: ...

    # -- the actions --------------------------------------------------------------------
    def action_follow_up(self) -> None:
        from deskterm.tui.modals import FollowUpModal, FollowUpResult

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person
        settings = self.settings.follow_up
        modal = FollowUpModal(
            person.name,
            now=self.clock,
            tz=self.tz,
            default_hour=settings.default_hour,
            allow_past=settings.allow_past,
            quick=settings.quick,
        )

        def save(result: FollowUpResult | None) -> None:
            if result is None:
                return
            due = describe_due(result.due, now=self.clock(), tz=self.tz)
            self.write(
                person.id,
                lambda: self.desk.log_follow_up(person.id, result.due, result.note),
                f"Follow-up for {_n(person.name)} {due}",
            )

        self.app.push_screen(modal, save)

    def action_mood(self) -> None:
        from deskterm.tui.modals import MoodModal, MoodResult

        detail = self.current_detail()
        if detail is None:
            return
        person, labels = detail.person, self.settings.mood.labels
        current = detail.mood.level if detail.mood else None

        def save(result: MoodResult | None) -> None:
            if result is None:
                return
            label = labels[result.level - 1]
            self.write(
                person.id,
                lambda: self.desk.log_mood(person.id, result.level, result.note),
                f"Mood of {_n(person.name)}: {one_line(label, 30)}",
            )

        self.app.push_screen(MoodModal(person.name, labels, current), save)

    def action_note(self) -> None:
        from deskterm.tui.modals import NoteModal

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person

        def save(text: str | None) -> None:
            if text:
                self.write(
                    person.id,
                    lambda: self.desk.log_note(person.id, text),
                    f"Note added for {_n(person.name)}",
                )

        self.app.push_screen(NoteModal(person.name), save)

    def action_contact(self) -> None:
        from deskterm.tui.modals import ContactModal, ContactResult
        from deskterm.tui.modals.contact import CHANNELS

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person

        def save(result: ContactResult | None) -> None:
            if result is None:
                return
            self.write(
                person.id,
                lambda: self.desk.log_contact(person.id, result.channel, result.text),
                f"Contact ({one_line(result.channel, 20)}) logged for {_n(person.name)}",
            )

        modal = ContactModal(person.name, CHANNELS, default=person.channel)
        self.app.push_screen(modal, save)

    def action_done(self) -> None:
        from deskterm.tui.modals import DoneModal

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person
        if not detail.open_follow_ups:
            self.notify(f"{_n(person.name)} has no open follow-up", markup=False)
            return
        follow_up = detail.open_follow_ups[0]
        due = describe_due(follow_up.due_at, now=self.clock(), tz=self.tz)

        def save(outcome: str | None) -> None:
            if outcome is None:
                return
            self.write(
                person.id,
                lambda: self.desk.complete_follow_up(person.id, outcome, follow_up.id),
                f"Follow-up done for {_n(person.name)}: {one_line(outcome, TEXT)}",
            )

        self.app.push_screen(DoneModal(person.name, follow_up.note, due), save)

    def action_add_person(self) -> None:
        from deskterm.tui.modals import PersonFormModal

        def save(values: dict[str, Any] | None) -> None:
            if values:
                self.write(None, lambda: self.desk.add_person(values).id, "Added {name}")

        self.app.push_screen(PersonFormModal("Add a person"), save)

    def action_edit_person(self) -> None:
        from deskterm.tui.modals import PersonFormModal

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person

        def save(changes: dict[str, Any] | None) -> None:
            if changes is None:
                return
            if not changes:
                self.notify("Nothing changed", markup=False)
                return
            self.write(
                person.id,
                lambda: self.desk.edit_person(person.id, person.version, changes),
                "Saved {name}",
            )

        title = f"Edit {one_line(person.name, NAME)}"
        self.app.push_screen(PersonFormModal(title, person.profile()), save)

    # -- the write worker ---------------------------------------------------------------
    @work(thread=True, group="write")
    def write(self, person_id: int | None, call: Callable[[], Any], text: str) -> None:
        """Run one Desk write, sync the directory, and report back with a message.

        ``text`` may hold ``{name}``: it is filled with the name as stored afterwards
        (for add and edit); a write returning an id selects that person.
        """
        try:
            result = call()
            target = result if isinstance(result, int) and person_id is None else person_id
            if "{name}" in text and target is not None:
                text = text.replace("{name}", _n(self.desk.get_person(target).name))
            self.directory.sync()
            queue = self.directory.queue()
        except Conflict as err:
            self.post_message(EditConflict(person_id or 0, str(err), list(err.changes)))
            return
        except DeskError as err:
            self.post_message(Failed(str(err), person_id))
            return
        select = target if person_id is None else None
        self.post_message(Saved(target or 0, text, queue, select))
