"""The search box above the queue: a one-line Input whose keys the screen listens to.

Typing posts ``Input.Changed`` (the screen searches in a worker); ``enter`` posts
``Input.Submitted``; ``down`` posts ``SearchBox.Leave`` so the screen can hand focus to
the queue; ``escape`` is the screen's "Clear" (the search).

The footer shows the same keys whether the box or the queue has focus (the letters dimmed
while typing): Textual's Input would drop every letter key from the bindings on focus, so
the footer would be rebuilt and the whole screen laid out on "/" and again on escape.
"""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Input

from deskterm.tui.widgets.safe_input import SafeInput

PLACEHOLDER = "/ search people (typos welcome)"


class SearchBox(SafeInput):
    """A borderless, one-line search field."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "leave(False)", "To the queue", show=False),
    ]
    DEFAULT_CSS = """
    SearchBox {
        height: 1;
        border: none;
        padding: 0 1;
        background: $surface;
        &:focus { border: none; background: $boost; }
        & > .input--placeholder { color: $text-muted; }
    }
    """

    class Leave(Message):
        """Focus should go back to the queue; ``clear``: the search is abandoned."""

        def __init__(self, clear: bool) -> None:
            super().__init__()
            self.clear = clear

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id, select_on_focus=False)
        self.footer_keys: frozenset[str] = frozenset()  # letter keys the footer shows

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Letters are typed into the box, except that the footer's keys stay bound
        (the screen turns them off while typing, so they still reach the box)."""
        return super().check_consume_key(key, character) and key not in self.footer_keys

    def _watch_value(self, value: str) -> None:
        # Input makes its virtual width the text's width, a layout reactive: every key
        # would lay out and redraw the whole screen. The box is one fixed line; its own
        # scrolling needs the width, not a layout.
        if self.size:
            self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def action_leave(self, clear: bool) -> None:
        self.post_message(self.Leave(clear))
