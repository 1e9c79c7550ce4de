"""The main screen: the header, the search box and the queue on the left, the person on the
right, the footer below — and the workers that keep them current.

Every database and search call runs in a thread worker that posts a message back; the
handlers here only move data into widgets. Another agent's work arrives live (see
``screens/live.py``) without a keypress, and never disturbs an open modal or the search.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.keys import key_to_character
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from deskterm.config import Settings
from deskterm.directory import Directory
from deskterm.drafts import Drafts
from deskterm.errors import DeskError, StorageError
from deskterm.queue import Queue
from deskterm.services import Desk, PersonDetail
from deskterm.services.health import Health, Transition
from deskterm.services.mail import Mail
from deskterm.services.team import Team
from deskterm.tui import messages as m
from deskterm.tui.commands import OPENERS, CommandsProvider, PeopleProvider, screen_bindings
from deskterm.tui.screens.flows import QuickLogging
from deskterm.tui.screens.live import LiveUpdates
from deskterm.tui.screens.mail_flows import MailFlows, mail_for
from deskterm.tui.screens.owners import OwnerActions
from deskterm.tui.screens.search import SearchMixin
from deskterm.tui.text import people
from deskterm.tui.widgets.footer import DeskFooter
from deskterm.tui.widgets.header import DeskHeader
from deskterm.tui.widgets.person_view import PersonView
from deskterm.tui.widgets.queue_list import QueueList
from deskterm.tui.widgets.search_box import SearchBox

PAGE = 50
FIRST_FRAME_WAIT = 2.0  # seconds the index waits for the queue's first frame at most
RETRY_TICK = 1.0  # seconds between two looks at whether an offline retry is due


class MainScreen(OwnerActions, QuickLogging, MailFlows, LiveUpdates, SearchMixin, Screen[None]):
    """Who needs attention now, and everything about the selected person."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *screen_bindings(),
        # Always in the footer (dimmed when there is nothing to clear), in a word: the
        # footer is full at 120 columns.
        Binding("escape", "clear_search", "Clear", tooltip="Clear the search"),
    ]
    COMMANDS: ClassVar = {CommandsProvider, PeopleProvider}
    AUTO_FOCUS = "#queue"
    # Textual repaints the whole screen when focus moves ("/" into the search box, escape
    # back); the widgets whose look changes repaint themselves (focus, see watch_focused).
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(
        self,
        *,
        desk: Desk,
        directory: Directory,
        team: Team,
        settings: Settings,
        db_label: str,
        clock: Callable[[], datetime],
        drafts: Drafts | None = None,
        health: Health | None = None,
    ) -> None:
        super().__init__()
        self.desk, self.directory, self.team, self.settings = desk, directory, team, settings
        self.clock, self.tz, self.db_label = clock, settings.agent.tz, db_label
        self.drafts = drafts
        self.health = health or Health(clock)
        self.mail = Mail(desk, settings.mail)
        self.queue: Queue | None = None
        self.query_text = ""
        self._want: int | None = None
        self._loading_person = False
        self._again = False
        self._enter_pending = False
        self.view = "everyone"  # whose people the queue shows (v switches)
        self.agents: list[str] = [settings.agent.name]
        self._drawn = threading.Event()  # the first frame with the queue is on screen
        self._letters: dict[str, str] | None = None  # see _footer_letters
        self._left: Widget | None = None  # see watch_focused

    def compose(self) -> ComposeResult:
        yield DeskHeader(self.settings.agent.name, self.db_label, id="header")
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield SearchBox(id="search")
                yield Static(Content.styled("loading people…", "dim"), id="queue-status")
                yield QueueList(id="queue", empty_text="loading people…")
            yield PersonView(
                tz=self.tz, labels=self.settings.mood.labels, clock=self.clock, id="person"
            )
        yield DeskFooter(compact=True)

    def on_resize(self) -> None:
        """On narrow terminals the footer keeps the desk's keys; the palette is in help."""
        self.query_one(Footer).show_command_palette = self.size.width >= 100

    def on_mount(self) -> None:
        self.search_box.footer_keys = frozenset(self._footer_letters())
        self.load_directory()
        # Online, the live watcher keeps the screen current; this tick only retries
        # while the database is away (as often as ``Health`` allows).
        self.sync_timer = self.set_interval(
            min(RETRY_TICK, self.settings.ui.refresh_seconds), self.sync_soon, name="sync"
        )
        self.start_mail()

    def on_unmount(self) -> None:
        self.stop_mail()
        self.stop_live()

    def on_screen_resume(self) -> None:
        self.moved()  # a window closed: no longer writing

    def watch_focused(self, focused: Widget | None) -> None:
        """The queue's side is marked while focus is in it (a class, not ``:focus-within``:
        Textual restyles everything in ``#left`` on every move of focus inside it)."""
        if self._left is None:  # looked up once: a query walks the whole screen
            found = self.query("#left")  # none while the screen is put together
            if not found:
                return
            self._left = found.first()
        left = self._left
        left.set_class(focused is not None and left in focused.ancestors, "-focus-within")

    # -- widgets ------------------------------------------------------------------------
    @property
    def queue_list(self) -> QueueList:
        return self.query_one("#queue", QueueList)

    @property
    def person_view(self) -> PersonView:
        return self.query_one("#person", PersonView)

    @property
    def search_box(self) -> SearchBox:
        return self.query_one("#search", SearchBox)

    @property
    def footer(self) -> DeskFooter:
        return self.query_one(DeskFooter)

    def _status(self, text: str) -> None:
        # One line high (deskterm.tcss): a new text needs no layout of the whole screen,
        # which redraws everything — on every keystroke in the search box.
        self.query_one("#queue-status", Static).update(Content.styled(text, "dim"), layout=False)

    # -- loading and staying current ----------------------------------------------------
    @work(thread=True, exclusive=True, group="load")
    def load_directory(self) -> None:
        """Everyone's summary first (the queue), then the search index."""
        try:
            self.post_message(m.QueueReady(self.directory.load()))
            self.report(None)
            # Opening the saved index is mostly reading and checking its file, outside
            # the interpreter; building it, or its typo tables, would share the
            # interpreter with the first frame: those wait until it is drawn.
            opened = self.directory.build_index(warm=False, fresh=False)
            self._drawn.wait(FIRST_FRAME_WAIT)
            if opened:
                self.directory.warm_index()
            else:
                self.directory.build_index()
        except StorageError as err:
            self.report(err)  # the header says it; a retry follows (``sync_soon``)
            return
        except DeskError as err:
            self.post_message(m.Failed(str(err)))
            return
        # The queue and the index stay for good: millions of objects at 100k people,
        # which every full garbage collection rescanned — 100-200 ms with the screen
        # stopped, every few seconds while the agent types. Frozen, they leave those
        # scans (and are still freed as usual when replaced).
        gc.freeze()
        self.post_message(m.IndexReady())
        try:
            if self.directory.check_queue():  # the saved queue missed someone: read all
                self.post_message(m.QueueReady(self.directory.queue()))
        except DeskError:
            pass  # the file's queue stays; the next start checks again
        self.directory.save_queue()  # for the next start, when this one read everyone

    def _busy(self, group: str) -> bool:
        return any(w.node is self and w.group == group and w.is_running for w in self.workers)

    def sync_soon(self) -> None:
        """The retry tick: while the database is away, sync (or, for a desk that started
        offline, load) as often as ``Health`` allows. Online it does nothing: the live
        watcher (``screens/live.py``) syncs whenever anyone commits.
        """
        if self.health.online and self.queue is not None:
            return
        if not self.health.retry_due():
            return
        if self.queue is None:
            if not self.health.online and not self._busy("load"):
                self.load_directory()
            return
        if not self._busy("sync"):
            self.sync()

    @work(thread=True, group="sync")
    def sync(self, force: bool = False) -> None:
        """Pick up changes by anyone now (ctrl+r); the live watcher does it unasked."""
        try:
            batch = self.directory.sync()
            queue = self.directory.queue()
        except StorageError as err:
            self.report(err)  # one status in the header, not a notification every tick
            return
        except DeskError as err:
            self.post_message(m.Failed(str(err)))
            return
        self.report(None)
        if force or batch or queue is not self.queue:
            self.post_message(m.QueueReady(queue, batch.changed | batch.erased))

    def report(self, error: StorageError | None) -> None:
        """Tell ``Health`` how a database call went (from any thread); a change of state
        reaches the screen once, as ``HealthChanged``."""
        turn = self.health.succeeded() if error is None else self.health.failed(str(error))
        if turn is not Transition.SAME:
            self.post_message(m.HealthChanged(turn))

    def on_health_changed(self, message: m.HealthChanged) -> None:
        self.query_one(DeskHeader).offline = self.health.status().text(self.tz)
        if message.transition is Transition.BACK_ONLINE:
            self.notify("Back online", markup=False)
            if self.queue is not None:  # catch up from the change feed
                self.sync(force=True)
                self.request_person(self.queue_list.selected_id, force=True)

    def on_queue_ready(self, message: m.QueueReady) -> None:
        self._show_queue_data(message.queue, message.changed)

    def _show_queue_data(
        self, queue: Queue, changed: frozenset[int], select: int | None = None
    ) -> None:
        first = self.queue is None
        if not first and queue.generation < self.queue.generation:
            # A worker that started before a newer result (e.g. a sync overtaken by a
            # save) must not put back the older order and lose the new selection.
            if select is None:
                selected = self.queue_list.selected_id
                if selected is not None and selected in changed:
                    self.request_person(selected, force=True)
                return
            queue = self.queue
        self.queue = queue
        keep = select if select is not None else self.queue_list.selected_id
        if self.query_text:
            self.run_search(self.query_text, keep=keep)
        else:
            self.show_full_queue(keep)
        if first and not self.directory.index_ready:
            self._status(f"{people(len(queue))} · most urgent first · indexing for search…")
        if first:
            self.call_after_refresh(self._first_frame_drawn)
        selected = self.queue_list.selected_id
        if selected is not None and selected in changed:
            self.request_person(selected, force=True)

    def _first_frame_drawn(self) -> None:
        """The queue is on screen: now the index, the live watcher and the agent names."""
        self._drawn.set()
        self.start_live()
        self.load_agents()

    def on_index_ready(self, _message: m.IndexReady) -> None:
        if not self.query_text and self.queue is not None:
            self.show_full_queue(self.queue_list.selected_id)
        elif self.query_text:  # results so far came from part of the index: search it all
            self.run_search(self.query_text, keep=self.queue_list.selected_id)

    # -- the person ---------------------------------------------------------------------
    @on(QueueList.Highlighted)
    def _highlighted(self, message: QueueList.Highlighted) -> None:
        if message.person_id is None:
            self._want = None
            self.person_view.show_nobody("no one selected")
        elif self.focused is self.search_box and self.query_text:
            pass  # typing: the best match is loaded when the agent pauses (search.py)
        else:
            self.request_person(message.person_id)
        self.moved()

    def request_person(self, person_id: int | None, *, force: bool = False) -> None:
        """Show ``person_id``; at most one load runs at a time and the last request wins."""
        if person_id is None or (person_id == self._want and not force):
            return
        self._want = person_id
        if self._loading_person:
            self._again = True
            return
        self._loading_person, self._again = True, False
        self.load_person(person_id)

    @work(thread=True, group="person")
    def load_person(self, person_id: int) -> None:
        try:
            detail = self.desk.detail(person_id)
            mail = mail_for(self.mail, person_id, detail.timeline)
            self.post_message(m.PersonLoaded(person_id, detail, messages=mail))
        except StorageError as err:
            self.report(err)
            self.post_message(m.PersonLoaded(person_id, None, str(err), offline=True))
        except DeskError as err:
            self.post_message(m.PersonLoaded(person_id, None, str(err)))

    def on_person_loaded(self, message: m.PersonLoaded) -> None:
        self._loading_person = False
        if message.person_id == self._want:
            if message.detail is not None:
                self.person_view.show(message.detail, message.messages)
                self.show_presence()
            elif message.offline and self.person_view.person_id == message.person_id:
                pass  # the database is away: what is on screen stays readable
            else:
                self.person_view.show_nobody(message.error or "this person is gone")
        if self._want is not None and (self._again or message.person_id != self._want):
            self._again = False
            self.request_person(self._want, force=True)

    def current_detail(self) -> PersonDetail | None:
        """The loaded detail of the selected person, or None (after telling the agent why)."""
        selected = self.queue_list.selected_id
        detail = self.person_view.detail
        if selected is None:
            self.notify("No one is selected", markup=False)
            return None
        if detail is None or detail.person.id != selected:
            self.notify("Still loading this person — try again in a moment", markup=False)
            return None
        return detail

    @on(PersonView.NeedMore)
    def _need_more(self, message: PersonView.NeedMore) -> None:
        self.load_older(message.person_id, message.before, self.person_view.messages)

    @work(thread=True, group="timeline")
    def load_older(self, person_id: int, before, known: Mapping[int, Any]) -> None:
        try:
            entries = self.desk.timeline(person_id, before=before, limit=PAGE + 1)
            mail = mail_for(self.mail, person_id, entries[:PAGE], known)
        except DeskError as err:
            self.post_message(m.Failed(str(err), person_id))
            return
        page = m.TimelinePage(person_id, entries[:PAGE], len(entries) > PAGE, messages=mail)
        self.post_message(page)

    def on_timeline_page(self, message: m.TimelinePage) -> None:
        if message.person_id == self.person_view.person_id:
            self.person_view.add_page(message.entries, message.has_more, message.messages)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A key that cannot act now is dimmed (None), not hidden (False): the footer keeps
        # its keys when focus moves into the search box and back, and is not rebuilt.
        typing = self.focused is self.search_box
        if action == "clear_search":
            return True if self.query_text or typing else None
        # While typing in the search box, "/", "f" or "q" are letters, not commands.
        if typing and (action in OPENERS or action in self._footer_letters().values()):
            return None
        return True

    def _footer_letters(self) -> dict[str, str]:
        """The footer's keys that type a character (after ``[keys]``), to their actions."""
        if self._letters is None:
            bindings = self._bindings.copy()
            bindings.apply_keymap(self.app._keymap)
            self._letters = {
                key: binding.action
                for key, found in bindings.key_to_bindings.items()
                for binding in found
                if binding.show and (char := key_to_character(key)) and char.isprintable()
            }
        return self._letters

    def action_quit(self) -> None:
        """q: close the desk (a screen action, so that it is dimmed while typing)."""
        self.app.exit()

    # -- results of writes --------------------------------------------------------------
    def on_saved(self, message: m.Saved) -> None:
        modal = message.modal
        if modal is not None:
            if modal.is_attached:
                modal.stored()
            elif modal.keeper is not None:  # escaped while saving: its draft is stored
                modal.keeper.forget(modal.write_id)
        if message.select_id is not None and self.query_text:
            self.query_text = ""
            self.search_box.value = ""
        self._show_queue_data(message.queue, frozenset({message.person_id}), message.select_id)
        self.notify(message.text, markup=False)

    def on_failed(self, message: m.Failed) -> None:
        modal = message.modal
        if modal is not None and modal.is_attached:
            modal.not_stored(message.text, temporary=message.temporary)
        elif modal is not None and message.temporary:
            self.notify(f"Not stored yet ({message.text}); kept as a draft", markup=False)
        else:
            self.notify(message.text, severity="error", markup=False)

    def on_edit_conflict(self, message: m.EditConflict) -> None:
        from deskterm.tui.modals import ConflictModal

        modal = message.modal
        if modal is not None:  # a conflict is reported, never kept as a draft
            if modal.keeper is not None:
                modal.keeper.forget()
            if modal.is_attached:
                modal.dismiss(None)
        self.request_person(message.person_id, force=True)
        self.app.push_screen(ConflictModal(message.text, message.changes))

    # -- navigation actions -------------------------------------------------------------
    def action_next_person(self) -> None:
        self.queue_list.move(1)

    def action_previous_person(self) -> None:
        self.queue_list.move(-1)

    def action_first_person(self) -> None:
        self.queue_list.first()

    def action_last_person(self) -> None:
        self.queue_list.last()

    def action_search(self) -> None:
        # Focus now, not after a refresh: a fast "/m" must type "m" into the box. The
        # frame waits for the keys typed with "/" and their results (search.py).
        self.hold_frames()
        self.set_focus(self.search_box)

    def action_refresh(self) -> None:
        self.sync(force=True)
        self.request_person(self.queue_list.selected_id, force=True)

    def action_help(self) -> None:
        from deskterm.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.settings.keys))
