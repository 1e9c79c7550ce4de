"""A compact row of options (mood levels, channels, pace): arrows move, digits pick."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Static

from deskterm.tui.modals._base import literal

LABEL_WIDTH = 18


class ChoiceRow(Horizontal, can_focus=True):
    """One option of ``options`` is chosen; ``value`` is its text, ``index`` its place.

    ``index`` -1 means nothing is chosen yet (``value`` is then None).

    ``left``/``right`` move the choice. With ``digits`` the keys ``1``..``9`` pick an
    option and post ``Picked(by_digit=True)`` so the modal can move on to the next field.
    ``enter`` is left to the modal (it saves).
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous", show=False),
        Binding("right", "move(1)", "Next", show=False),
        Binding("home", "pick(0)", "First", show=False),
        Binding("end", "pick(-1)", "Last", show=False),
    ]

    index: reactive[int] = reactive(0, init=False)

    class Picked(Message):
        """An option was chosen by a digit key or a click."""

        def __init__(self, row: ChoiceRow, index: int, *, by_digit: bool) -> None:
            super().__init__()
            self.row = row
            self.index = index
            self.by_digit = by_digit

        @property
        def control(self) -> ChoiceRow:
            return self.row

    def __init__(
        self,
        options: Sequence[str],
        index: int = 0,
        *,
        numbered: bool = False,
        digits: bool = False,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        if not options:
            raise ValueError("a choice row needs at least one option")
        self.options = tuple(options)
        self.numbered = numbered
        self.digits = digits
        self.set_reactive(ChoiceRow.index, index if 0 <= index < len(self.options) else -1)

    @property
    def value(self) -> str | None:
        return self.options[self.index] if self.index >= 0 else None

    def compose(self) -> ComposeResult:
        for number, option in enumerate(self.options, start=1):
            label = literal(option, width=LABEL_WIDTH)
            if self.numbered:
                label = Content(f"{number} ").append(label)
            yield Static(label, classes="choice")

    def on_mount(self) -> None:
        self._show()

    def watch_index(self) -> None:
        self._show()

    def _show(self) -> None:
        for position, child in enumerate(self.query(".choice")):
            child.set_class(position == self.index, "-chosen")

    def action_move(self, step: int) -> None:
        if self.index < 0:
            self.index = 0 if step > 0 else len(self.options) - 1
        else:
            self.index = (self.index + step) % len(self.options)

    def action_pick(self, index: int) -> None:
        self.index = index % len(self.options)

    def on_key(self, event: events.Key) -> None:
        key = event.character or ""
        if not self.digits or len(key) != 1 or key not in "123456789":
            return
        number = int(key)
        if number <= len(self.options):
            event.stop()
            event.prevent_default()
            self.index = number - 1
            self.post_message(self.Picked(self, self.index, by_digit=True))

    def on_click(self, event: events.Click) -> None:
        for position, child in enumerate(self.query(".choice")):
            if child is event.widget:
                self.index = position
                self.post_message(self.Picked(self, position, by_digit=False))
