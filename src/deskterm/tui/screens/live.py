"""The main screen's team side: live updates, who else is on whom, and the collision line.

One thread worker runs the desk's ``Watcher`` (``services/live.py``): it wakes when
anyone commits, syncs, and posts ``QueueReady`` and ``PresenceSeen`` back here. The
screen tells it where the agent is (the selected person, and whether a writing window
is open), so the other desks can show "ana here" / "ana writing…".

Every window that writes to a person opens through ``open_writing``: if someone else is
writing to that person, one line asks first ("bo is writing to Margo — go on?").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import work
from textual.screen import Screen
from textual.worker import get_current_worker

from deskterm.errors import DeskError, StorageError
from deskterm.services.live import CaughtUp, Watcher
from deskterm.services.team import DeskSeen, Team
from deskterm.textsafe import one_line
from deskterm.tui import messages as m

if TYPE_CHECKING:
    from deskterm.config import Settings
    from deskterm.directory import Directory
    from deskterm.queue import Queue
    from deskterm.tui.widgets.person_view import PersonView
    from deskterm.tui.widgets.queue_list import QueueList


def seen_key(desks: tuple[DeskSeen, ...]) -> tuple[tuple[Any, ...], ...]:
    """What the screen shows of the other desks (heartbeats alone change nothing)."""
    return tuple((d.desk_id, d.agent, d.person_id, d.writing) for d in desks)


def presence_by_person(desks: tuple[DeskSeen, ...]) -> dict[int, str]:
    """Person id → "bo writing…, cy here" for the queue rows (writers first)."""
    found: dict[int, list[DeskSeen]] = {}
    for desk in desks:
        if desk.person_id is not None:
            found.setdefault(desk.person_id, []).append(desk)
    return {
        pid: ", ".join(d.doing() for d in sorted(group, key=lambda d: (not d.writing, d.agent)))
        for pid, group in found.items()
    }


class LiveUpdates:
    """Mixin for ``MainScreen``: keeps the screen live and the team aware of each other."""

    others: tuple[DeskSeen, ...] = ()  # the other open desks, as last read
    _writing: tuple[Screen[Any], int] | None = None  # the open writing window, on whom
    _where: tuple[int | None, bool] = (None, False)

    team: Team
    directory: Directory
    settings: Settings
    queue: Queue | None

    if TYPE_CHECKING:  # provided by Screen / MainScreen
        app: Any
        queue_list: QueueList
        person_view: PersonView

        def post_message(self, message: Any) -> bool: ...
        def report(self, error: StorageError | None) -> None: ...

    def start_live(self) -> None:
        """Start watching (after the first load: the sync needs the directory loaded)."""
        self.watcher = Watcher(
            self.team,
            self.directory,
            fallback=self.settings.ui.refresh_seconds,
            on_caught_up=self._caught_up,
            on_error=self._watch_failed,
            where=self.where,
        )
        self.watch_live()

    @work(thread=True, exclusive=True, group="live", exit_on_error=False)
    def watch_live(self) -> None:
        worker = get_current_worker()
        self.watcher.run(lambda: worker.is_cancelled)

    def stop_live(self) -> None:
        """Quitting: stop the loop (it removes this desk's presence on its way out)."""
        watcher = getattr(self, "watcher", None)
        if watcher is not None:
            watcher.stop()

    def _watch_failed(self, error: DeskError) -> None:
        """From the watcher's thread: an outage goes to ``Health`` (the header says it)."""
        if isinstance(error, StorageError):
            self.report(error)
        else:
            self.post_message(m.Failed(str(error)))

    def _caught_up(self, caught: CaughtUp) -> None:
        """From the watcher's thread: post what changed."""
        self.report(None)
        if caught.batch or caught.queue is not self.queue:
            changed = caught.batch.changed | caught.batch.erased
            self.post_message(m.QueueReady(caught.queue, changed))
        if seen_key(caught.desks) != seen_key(self.others):
            self.others = caught.desks
            self.post_message(m.PresenceSeen(caught.desks))

    def on_presence_seen(self, message: m.PresenceSeen) -> None:
        self.queue_list.set_presence(presence_by_person(message.desks))
        self.show_presence()

    def show_presence(self) -> None:
        """The selected person's line of who else is on them (in the person view)."""
        pid = self.person_view.person_id
        here = [d for d in self.others if pid is not None and d.person_id == pid]
        self.person_view.show_presence(here)

    # -- where this desk is -------------------------------------------------------------
    def where(self) -> tuple[int | None, bool]:
        """(person on screen, writing to them?) — read by the watcher's thread."""
        return self._where

    def moved(self) -> None:
        """The selection changed or a window opened or closed: tell the others now."""
        writing = self._writing
        if writing is not None and writing[0] in self.app.screen_stack:
            now: tuple[int | None, bool] = (writing[1], True)
        else:
            self._writing = None
            now = (self.queue_list.selected_id, False)
        if now != self.where():
            self._where = now
            watcher = getattr(self, "watcher", None)
            if watcher is not None:
                watcher.moved()

    # -- the collision hook -------------------------------------------------------------
    def open_writing(
        self,
        person_id: int,
        window: Screen[Any],
        done: Callable[[Any], None] | None = None,
        *,
        opened: Callable[[], None] | None = None,
    ) -> None:
        """Open ``window`` (writing to ``person_id``; ``done`` gets its result, as with
        ``push_screen``; ``opened`` runs once it is open), asking first when another
        agent is writing to that person. Every window that writes to a person comes
        through here: the quick dialogs and the mail editor alike."""
        writers = [d.agent for d in self.others if d.person_id == person_id and d.writing]
        if not writers:
            self._push_writing(person_id, window, done, opened)
            return
        from deskterm.tui.modals import ConfirmModal

        detail = self.person_view.detail
        name = detail.person.name if detail and detail.person.id == person_id else "them"
        who = " and ".join(dict.fromkeys(writers))
        verb = "is" if len(set(writers)) == 1 else "are"
        question = f"{who} {verb} writing to {one_line(name, 48)} — go on?"

        def answered(go_on: bool | None) -> None:
            if go_on:
                self._push_writing(person_id, window, done, opened)

        self.app.push_screen(ConfirmModal(question), answered)

    def _push_writing(
        self,
        person_id: int,
        window: Screen[Any],
        done: Callable[[Any], None] | None,
        opened: Callable[[], None] | None,
    ) -> None:
        self._writing = (window, person_id)
        self.app.push_screen(window, done)
        if opened is not None:
            opened()
        self.moved()
