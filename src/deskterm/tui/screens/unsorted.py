"""Unsorted mail: messages with no usable sender, filed on a person one by one.

The list and the filing run in thread workers through the callables the main screen
hands over (the mail service); the person is chosen by typing a few letters, searched
in the desk's own index. Everything from the mail is shown literally.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from deskterm.errors import DeskError
from deskterm.search import SearchCancelled
from deskterm.tui.text import day_time, line
from deskterm.tui.widgets.safe_input import SafeInput

LIST_HINT = "enter file on a person · v read it · escape close"
PICK_HINT = "type a name, email or company · ↑↓ choose · enter file here · escape back"
SHOWN = 12


def message_line(message: Any, tz: tzinfo, now: datetime) -> Content:
    """'Mon 23 Nov 09:40 · sender · subject — first line', all literal."""
    first = next((row for row in message.preview.splitlines() if row.strip()), "")
    return Content.assemble(
        (day_time(message.at, tz, now=now), "dim"),
        (" · ", "dim"),
        line(message.from_addr or "(no sender)", 30),
        (" · ", "dim"),
        line(message.subject or "(no subject)", 40).stylize("bold"),
        (" — ", "dim"),
        line(first, 60).stylize("dim"),
    )


class PersonPicker(ModalScreen[int | None]):
    """Choose one person by a few letters of their name; dismisses with their id."""

    CSS_PATH: ClassVar = Path(__file__).with_name("mail.tcss")
    AUTO_FOCUS: ClassVar[str] = "#pick-query"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Back", show=False),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
    ]

    def __init__(self, title: Content, directory: Any) -> None:
        super().__init__(id="pick")
        self._title = title
        self.directory = directory

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box"):
            yield Static(self._title, id="pick-title")
            yield SafeInput(placeholder="who is this from?", id="pick-query")
            yield OptionList(id="pick-people")
            yield Static(Content.styled(PICK_HINT, "dim"), id="pick-hint")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.find(event.value)

    @work(thread=True, exclusive=True, group="pick", exit_on_error=False)
    def find(self, query: str) -> None:
        if not query.strip():
            self.app.call_from_thread(self._show, [])
            return
        try:
            found = self.directory.search(query, limit=SHOWN)
            rows = self.directory.rows_for(found.ids)
        except (SearchCancelled, DeskError):
            return
        self.app.call_from_thread(self._show, rows)

    def _show(self, rows: Sequence[Any]) -> None:
        people = self.query_one("#pick-people", OptionList)
        people.clear_options()
        people.add_options(
            Option(
                Content.assemble(line(r.name, 40), "  ", line(r.reason, 30).stylize("dim")),
                str(r.id),
            )
            for r in rows
        )
        if rows:
            people.highlighted = 0

    def action_move(self, delta: int) -> None:
        people = self.query_one("#pick-people", OptionList)
        if people.option_count:
            current = people.highlighted or 0
            people.highlighted = max(0, min(people.option_count - 1, current + delta))

    @on(Input.Submitted)
    def _chosen(self) -> None:
        people = self.query_one("#pick-people", OptionList)
        if people.highlighted is None:
            self.notify("Type a few letters of their name first", markup=False)
            return
        option = people.get_option_at_index(people.highlighted)
        self.dismiss(int(option.id or 0))

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))


class UnsortedScreen(ModalScreen[None]):
    """The unsorted messages, newest first; enter files the chosen one on a person."""

    CSS_PATH: ClassVar = Path(__file__).with_name("mail.tcss")
    AUTO_FOCUS: ClassVar[str] = "#unsorted-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Close", show=False),
        Binding("v", "read", "Read", show=False),
    ]

    def __init__(
        self,
        *,
        load: Callable[[], Sequence[Any]],
        file: Callable[[int, int], Any],
        directory: Any,
        open_message: Callable[[int], None],
        tz: tzinfo,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__(id="unsorted")
        self._load, self._file = load, file
        self.directory = directory
        self._open_message = open_message
        self.tz, self.clock = tz, clock
        self.messages: list[Any] = []
        self.filed = 0  # how many messages were filed while the screen was open

    def compose(self) -> ComposeResult:
        with Vertical(id="unsorted-box"):
            yield Static(Content.styled("Unsorted mail", "bold"), id="unsorted-title")
            yield OptionList(id="unsorted-list")
            yield Static(Content(""), id="unsorted-status")
            yield Static(Content.styled(LIST_HINT, "dim"), id="unsorted-hint")

    def on_mount(self) -> None:
        self._say("loading…")
        self.reload()

    def _say(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#unsorted-status", Static)
        status.update(line(text, 300))
        status.set_class(error, "-error")

    @property
    def status_text(self) -> str:
        return str(self.query_one("#unsorted-status", Static).render())

    @work(thread=True, exclusive=True, group="unsorted", exit_on_error=False)
    def reload(self, keep: int | None = None) -> None:
        try:
            messages = list(self._load())
        except DeskError as err:
            self.app.call_from_thread(self._say, str(err), error=True)
            return
        self.app.call_from_thread(self._show, messages, keep)

    def _show(self, messages: list[Any], keep: int | None) -> None:
        self.messages = messages
        status_before = self.status_text
        listed = self.query_one("#unsorted-list", OptionList)
        listed.clear_options()
        now = self.clock()
        listed.add_options(Option(message_line(m, self.tz, now), id=str(m.id)) for m in messages)
        count = len(messages)
        title = f"Unsorted mail ({count})" if count else "Unsorted mail"
        self.query_one("#unsorted-title", Static).update(Content.styled(title, "bold"))
        if messages:
            listed.highlighted = min(keep or 0, count - 1)
            if status_before in ("loading…", "filing…"):
                self._say("")
        else:
            done = "nothing unsorted: every message is on a person"
            if status_before.startswith("filed on"):
                done = f"{status_before} · nothing else is unsorted"
            self._say(done)

    @property
    def chosen(self) -> Any | None:
        listed = self.query_one("#unsorted-list", OptionList)
        if listed.highlighted is None or not self.messages:
            return None
        return self.messages[listed.highlighted]

    def action_read(self) -> None:
        message = self.chosen
        if message is not None:
            self._open_message(message.id)

    @on(OptionList.OptionSelected, "#unsorted-list")
    def _file_it(self) -> None:
        message = self.chosen
        if message is None:
            return
        title = Content.assemble(
            "File ", line(message.subject or "(no subject)", 40).stylize("bold"), " on…"
        )

        position = self.query_one("#unsorted-list", OptionList).highlighted

        def picked(person_id: int | None) -> None:
            if person_id:
                self._say("filing…")
                self.file(message.id, person_id, position)

        self.app.push_screen(PersonPicker(title, self.directory), picked)

    @work(thread=True, group="unsorted-file", exit_on_error=False)
    def file(self, message_id: int, person_id: int, position: int | None) -> None:
        """File one message on a person (filing it there again changes nothing)."""
        try:
            self._file(message_id, person_id)
            row = self.directory.row_for(person_id)
        except DeskError as err:
            self.app.call_from_thread(self._say, f"not filed — {err}", error=True)
            return
        name = row.name if row is not None else f"person {person_id}"
        self.app.call_from_thread(self._filed, f"filed on {line(name, 40).plain}", position)

    def _filed(self, text: str, position: int | None) -> None:
        self.filed += 1
        self._say(text)
        self.reload(keep=position)
