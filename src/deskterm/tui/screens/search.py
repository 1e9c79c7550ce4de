"""Search on the main screen: every keystroke filters the queue, in a thread worker.

A newer keystroke cancels the running search; results come back as ``SearchDone``.
The screen draws nothing from "/" or a keystroke until the search answers (at most
``HOLD``): the typed text, the status, the results and the footer come in one frame,
and the search does not share the interpreter with frames nobody would see. The
selected person is loaded once the agent pauses (``PREVIEW_PAUSE``): between a quick
typist's keys the person view would take the screen from the next results.
``enter`` goes to the best match, ``escape`` clears the search and keeps the selected
person selected in the full queue. A mixin for ``MainScreen``.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any

from textual import work
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from deskterm.search import SearchCancelled
from deskterm.tui import messages as m
from deskterm.tui.text import people, plain
from deskterm.tui.widgets.footer import DeskFooter
from deskterm.tui.widgets.header import DeskHeader
from deskterm.tui.widgets.queue_list import RowList
from deskterm.tui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from deskterm.directory import Directory
    from deskterm.queue import Queue, QueueView
    from deskterm.tui.widgets.queue_list import QueueList

SEARCH_LIMIT = 200
PREVIEW_PAUSE = 0.15  # seconds without a keystroke before the selected person is loaded
HOLD = 0.05  # seconds the screen waits for a search's answer before drawing without it


class SearchMixin:
    """The search box's side of the main screen."""

    directory: Directory
    queue: Queue | None
    query_text: str
    view: str
    _enter_pending: bool
    _search_due = False  # a search for the text typed so far is about to start
    _preview_timer: Timer | None = None
    _held: ExitStack | None = None  # frames held until the search answers
    _hold_timer: Timer | None = None

    if TYPE_CHECKING:  # provided by MainScreen / Screen
        queue_list: QueueList
        search_box: SearchBox
        footer: DeskFooter
        workers: Any

        def _status(self, text: str) -> None: ...
        def shown_queue(self) -> Queue | QueueView | None: ...
        def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...

        @property
        def view_words(self) -> str: ...

        def set_focus(self, widget: Any) -> None: ...
        def set_timer(self, delay: float, callback: Any) -> Timer: ...
        def call_later(self, callback: Any, *args: Any) -> bool: ...
        def call_after_refresh(self, callback: Any, *args: Any) -> bool: ...
        def request_person(self, person_id: int | None, *, force: bool = False) -> None: ...
        def post_message(self, message: Any) -> bool: ...

        @property
        def app(self) -> Any: ...

    def show_full_queue(self, keep: int | None) -> None:
        """The whole queue again (no search), as the view filters it, ``keep`` selected."""
        shown = self.shown_queue()
        if shown is None:
            return
        self.query_one(DeskHeader).show(shown.counts, len(shown), self.view_words)
        if self.view == "everyone":
            self.queue_list.set_empty_text("no one here yet — press a to add a person")
            status = f"{people(len(shown))} · most urgent first"
        else:
            self.queue_list.set_empty_text(f"no one here: {self.view_words} · v switches")
            status = f"{people(len(shown))} · {self.view_words} · most urgent first"
        self.queue_list.set_source(shown, keep=keep, fallback=self.queue_list.cursor)
        self._status(status)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is not self.search_box:
            return
        self.query_text = event.value.strip()
        self._stop_preview()  # not a pause
        if not self.query_text:
            self.workers.cancel_group(self, "search")
            self._enter_pending = False
            self.show_full_queue(self.queue_list.selected_id)
            self._preview_soon()
            self.release_frames()
            return
        self.hold_frames()
        waiting = "" if self.directory.searchable else " (building the search index)"
        self._status(f"searching…{waiting}")
        if not self._search_due:  # keys that came together (a paste, a quick typist)
            self._search_due = True  # search once, for the last of them
            self.call_later(self._search_typed)

    def hold_frames(self) -> None:
        """Draw nothing until the search answers or ``HOLD`` passed since the first key."""
        if self._held is None:
            self._held = ExitStack()
            self._held.enter_context(self.app.batch_update())
            self.footer.hold(True)
            self._held.callback(self.footer.hold, False)
            self._hold_timer = self.set_timer(HOLD, self.release_frames)

    def release_frames(self) -> None:
        """Draw again: everything that changed meanwhile, in one frame."""
        if self._held is not None:
            held, self._held = self._held, None
            if self._hold_timer is not None:
                self._hold_timer.stop()
            held.close()
            self.app.screen.check_idle()  # this screen, or a window opened meanwhile

    def _search_typed(self) -> None:
        self._search_due = False
        if self.query_text:
            self.run_search(self.query_text)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, keep: int | None = None) -> None:
        """Search in a thread; a newer keystroke cancels this one."""
        worker = get_current_worker()
        while not self.directory.searchable:  # the index is being built after start-up
            if worker.is_cancelled:
                return
            time.sleep(0.02)
        progress = self.directory.index_progress  # read first: the search may be partial
        try:
            result = self.directory.search(
                query, limit=SEARCH_LIMIT, cancelled=lambda: worker.is_cancelled
            )
            rows = self.directory.rows_for(result.ids)
        except SearchCancelled:
            return
        if not worker.is_cancelled:
            self.post_message(m.SearchDone(query, result, rows, keep, progress))

    def on_search_done(self, message: m.SearchDone) -> None:
        if message.query != self.query_text:
            return  # an older search finished after a newer keystroke
        self.queue_list.set_empty_text(f"no one matches “{plain(message.query)[:40]}”")
        self.queue_list.set_source(RowList(message.rows), keep=message.keep)
        self._preview_soon()
        total, shown = message.result.total, len(message.rows)
        noun = "match" if total == 1 else "matches"
        status = f"{shown:,} of {total:,} {noun}" if total > shown else f"{total:,} {noun}"
        if message.progress is not None:  # only the first part of the index is built
            done, everyone = message.progress
            status += f" · {done * 100 // max(everyone, 1)}% indexed…"  # fits 80 columns
        self._status(status)
        self.release_frames()
        if self._enter_pending:
            self._enter_pending = False
            self._to_queue()

    def _preview_soon(self) -> None:
        """Load the selected person once no keystroke came for ``PREVIEW_PAUSE``."""
        self._stop_preview()
        self._preview_timer = self.set_timer(PREVIEW_PAUSE, self._preview)

    def _stop_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None

    def _preview(self) -> None:
        self._preview_timer = None
        if not self._search_due:
            self.request_person(self.queue_list.selected_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self.search_box:
            return
        searching = any(
            w.node is self and w.group == "search" and w.is_running for w in self.workers
        )
        if self.query_text and searching:
            self._enter_pending = True  # go to the best match when the results arrive
        else:
            self._to_queue()

    def _to_queue(self) -> None:
        """Select the best match and move to the queue."""
        self.queue_list.first()
        self._focus_queue()

    def on_search_box_leave(self, message: SearchBox.Leave) -> None:
        if message.clear:
            self.action_clear_search()
        self._focus_queue()

    def _focus_queue(self) -> None:
        """To the queue, its selected person loaded now (the agent is about to act)."""
        self._stop_preview()
        self.set_focus(self.queue_list)
        self.request_person(self.queue_list.selected_id)

    def action_clear_search(self) -> None:
        """Back to the full queue, keeping the selected person selected."""
        if self.search_box.value:
            # The emptied box, the full queue and the footer's keys in one frame, when
            # the box says it changed (on_input_changed): not a frame for the focus,
            # another for the queue and a third for the footer, in the way of the next
            # keys.
            self.hold_frames()
        self.search_box.value = ""
        self.set_focus(self.queue_list)

    def jump_to(self, person_id: int) -> None:
        """Select ``person_id`` in the full queue (from the palette)."""
        if self.query_text:
            self.query_text = ""
            self.search_box.value = ""
        shown = self.shown_queue()
        if shown is not None and shown.position_of(person_id) is None:
            self.view = "everyone"  # not in this view: show everyone rather than miss them
        self.show_full_queue(person_id)
        self.set_focus(self.queue_list)
