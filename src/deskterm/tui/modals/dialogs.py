"""Two plain dialogs: a concurrent-edit report and a yes/no question."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from deskterm.tui.modals._base import QuickModal, literal

NOT_SAVED = "Nothing was saved; your changes were not applied — reopen edit to see their version."


class ConflictModal(QuickModal[None]):
    """Another agent changed the person first: say what they changed; any key closes."""

    HINT: ClassVar[str] = "enter or escape close"

    def __init__(self, message: str, changes: Sequence[str]) -> None:
        super().__init__(Content("Someone else changed this person"))
        self.message = message
        self.changes = tuple(changes)

    def compose_body(self) -> ComposeResult:
        yield Static(literal(self.message, newlines=True), id="message")
        with VerticalScroll(id="changes"):
            for change in self.changes:
                yield Static(Content("• ").append(literal(change)), classes="change")
        yield Static(Content(NOT_SAVED), id="not-saved")

    def collect(self) -> None:
        return None


class ConfirmModal(QuickModal[bool]):
    """A destructive step asks first: ``enter``/``y`` is yes, ``escape``/``n`` is no."""

    HINT: ClassVar[str] = "enter or y yes · escape or n no"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "save", "Yes", show=False),
        Binding("n", "cancel", "No", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__(literal(question, newlines=True))

    def collect(self) -> bool:
        return True

    def action_cancel(self) -> None:
        self.dismiss(False)
