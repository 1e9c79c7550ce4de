"""Quick logging from the main screen: one key opens a modal, enter saves through the Desk.

Each action opens a dialog for the selected person through ``_open``, which gives it a
``Keeper``: on enter the dialog stays open ("saving…") while a thread worker (``write``)
calls the Desk with the write id chosen at that moment, syncs the directory and posts
``Saved`` (the dialog closes, its draft goes) or ``Failed`` / ``EditConflict``. A dialog
whose write failed keeps the words: enter retries with the same id, escape keeps a
draft. Nothing here touches the database on the event loop.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work

from deskterm.due import describe_due, parse_due_only
from deskterm.errors import Conflict, DeskError, StorageError
from deskterm.services.views import PersonDetail, PersonRecord
from deskterm.textsafe import one_line
from deskterm.tui.messages import EditConflict, Failed, Saved
from deskterm.tui.text import day_time

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from deskterm.config import Settings
    from deskterm.directory import Directory
    from deskterm.drafts import Drafts
    from deskterm.services import Desk
    from deskterm.services.health import Health
    from deskterm.tui.modals import QuickModal

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
    drafts: Drafts | None
    health: Health

    if TYPE_CHECKING:  # provided by Screen / MainScreen
        app: Any

        def notify(self, message: str, **kwargs: Any) -> None: ...
        def post_message(self, message: Any) -> bool: ...
        def current_detail(self) -> PersonDetail | None: ...
        def request_person(self, person_id: int | None, *, force: bool = False) -> None: ...
        def report(self, error: StorageError | None) -> None: ...
        def open_writing(self, person_id: int, window: Any) -> None: ...

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

        def said(result: FollowUpResult) -> str:
            due = describe_due(result.due, now=self.clock(), tz=self.tz)
            return f"Follow-up for {_n(person.name)} {due}"

        self._open(
            modal,
            "follow_up",
            person.id,
            lambda r, wid: self.desk.log_follow_up(person.id, r.due, r.note, write_id=wid),
            said,
        )

    def action_mood(self) -> None:
        from deskterm.tui.modals import MoodModal, MoodResult

        detail = self.current_detail()
        if detail is None:
            return
        person, labels = detail.person, self.settings.mood.labels
        current = detail.mood.level if detail.mood else None

        def said(result: MoodResult) -> str:
            return f"Mood of {_n(person.name)}: {one_line(labels[result.level - 1], 30)}"

        self._open(
            MoodModal(person.name, labels, current),
            "mood",
            person.id,
            lambda r, wid: self.desk.log_mood(person.id, r.level, r.note, write_id=wid),
            said,
        )

    def action_note(self) -> None:
        from deskterm.tui.modals import NoteModal

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person

        self._open(
            NoteModal(person.name),
            "note",
            person.id,
            lambda text, wid: self.desk.log_note(person.id, text, write_id=wid),
            lambda _text: f"Note added for {_n(person.name)}",
        )

    def action_contact(self) -> None:
        from deskterm.tui.modals import ContactModal, ContactResult
        from deskterm.tui.modals.contact import CHANNELS

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person

        def said(result: ContactResult) -> str:
            return f"Contact ({one_line(result.channel, 20)}) logged for {_n(person.name)}"

        self._open(
            ContactModal(person.name, CHANNELS, default=person.channel),
            "contact",
            person.id,
            lambda r, wid: self.desk.log_contact(person.id, r.channel, r.text, write_id=wid),
            said,
        )

    def action_done(self) -> None:
        from deskterm.tui.modals import DoneModal, DoneResult

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person
        if not detail.open_follow_ups:
            self.notify(f"{_n(person.name)} has no open follow-up", markup=False)
            return
        follow_up = detail.open_follow_ups[0]
        due = describe_due(follow_up.due_at, now=self.clock(), tz=self.tz)

        def check_back(days: int) -> datetime:
            hour = self.settings.follow_up.default_hour
            return parse_due_only(f"{days}d", now=self.clock(), tz=self.tz, default_hour=hour)

        def when(days: int) -> str:
            return day_time(check_back(days), self.tz, now=self.clock())

        def done(result: DoneResult, write_id: str) -> Any:
            days = result.check_back_days
            return self.desk.complete_follow_up(
                person.id,
                result.outcome,
                follow_up.id,
                write_id=write_id,
                check_back=None if days is None else check_back(days),
                no_check_back=result.reason,
            )

        def said(result: DoneResult) -> str:
            text = f"Follow-up done for {_n(person.name)}: {one_line(result.outcome, TEXT)}"
            if result.check_back_days is not None:
                text += f" · check back {when(result.check_back_days)}"
            return text

        modal = DoneModal(
            person.name,
            follow_up.note,
            due,
            check_back_days=self.settings.queue.check_back_days,
            when=when,
            is_check_back=follow_up.check_back_of is not None,
        )
        self._open(modal, "done", person.id, done, said)

    def action_add_person(self) -> None:
        from deskterm.tui.modals import PersonFormModal

        self._open(
            PersonFormModal("Add a person"),
            "person",
            None,
            lambda values, wid: self.desk.add_person(values, write_id=wid),
            lambda _values: "Added {name}",
        )

    def action_edit_person(self) -> None:
        from deskterm.tui.modals import PersonFormModal

        detail = self.current_detail()
        if detail is None:
            return
        person = detail.person

        title = f"Edit {one_line(person.name, NAME)}"
        form = PersonFormModal(title, person.profile(), version=person.version)

        def edit(changes: dict[str, Any], write_id: str) -> PersonRecord | None:
            if not changes:
                return None  # nothing to store: the form closes saying so
            version = form.version if form.version is not None else person.version
            return self.desk.edit_person(person.id, version, changes, write_id=write_id)

        self._open(
            form,
            "edit",
            person.id,
            edit,
            lambda changes: "Saved {name}" if changes else "Nothing changed",
        )

    # -- the write worker ---------------------------------------------------------------
    def _open(
        self,
        modal: QuickModal[Any],
        kind: str,
        person_id: int | None,
        call: Callable[[Any, str], Any],
        said: Callable[[Any], str],
    ) -> None:
        """Open a writing dialog: enter stores ``call(result, write_id)`` in a worker and
        the dialog closes once it is stored (``said(result)`` is the confirmation)."""
        from deskterm.tui.modals._keep import Keeper

        def submit(result: Any, write_id: str) -> None:
            self.write(person_id, lambda: call(result, write_id), said(result), modal=modal)

        keeper = Keeper(
            kind,
            person_id,
            submit,
            drafts=self.drafts,
            offline=lambda: not self.health.online,
            clock=self.clock,
            tz=self.tz,
        )
        if person_id is None:  # a new person: nobody can be writing to them yet
            self.app.push_screen(modal.keep_with(keeper))
        else:  # asks first if someone else is writing to them (``screens/live.py``)
            self.open_writing(person_id, modal.keep_with(keeper))

    @work(thread=True, group="write")
    def write(
        self,
        person_id: int | None,
        call: Callable[[], Any],
        text: str,
        *,
        modal: QuickModal[Any] | None = None,
    ) -> None:
        """Run one Desk write, sync the directory, and report back with a message.

        ``text`` may hold ``{name}``: it is filled with the name as stored afterwards
        (for add and edit); a write returning an id selects that person. Once stored,
        the dialog's draft (if any) is removed here, off the event loop.
        """
        write_id = modal.write_id if modal is not None else None
        try:
            result = call()
        except Conflict as err:
            self.post_message(EditConflict(person_id or 0, str(err), list(err.changes), modal))
            return
        except StorageError as err:  # the header follows the sync (a lock is not "offline")
            self.post_message(Failed(str(err), person_id, temporary=True, modal=modal))
            return
        except DeskError as err:
            self.post_message(Failed(str(err), person_id, modal=modal))
            return
        self.report(None)
        if modal is not None and modal.keeper is not None:
            modal.keeper.forget(write_id)
        target = person_id
        if isinstance(result, PersonRecord):  # add and edit: say the name as stored
            target = result.id
            text = text.replace("{name}", _n(result.name))
        with contextlib.suppress(DeskError):  # stored all the same; the next sync catches up
            self.directory.sync()
        select = target if person_id is None else None
        self.post_message(Saved(target or 0, text, self.directory.queue(), select, modal))
