"""The search box above the queue: a one-line Input whose keys the screen listens to.

Typing posts ``Input.Changed`` (the screen searches in a worker); ``enter`` posts
``Input.Submitted``; ``escape`` and ``down`` post ``SearchBox.Leave`` so the screen can
clear the search or hand focus to the queue.
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
        Binding("escape", "leave(True)", "Clear search", show=True),
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

    def _watch_value(self, value: str) -> None:
        # Input makes its virtual width the text's width, a layout reactive: every key
        # would lay out and redraw the whole screen. The box is one fixed line; its own
        # scrolling needs the width, not a layout.
        if self.size:
            self.set_reactive(Input.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)

    def action_leave(self, clear: bool) -> None:
        self.post_message(self.Leave(clear))
