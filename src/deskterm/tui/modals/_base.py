"""The shared shape of every quick modal: a titled box, a body, an error line, a hint.

Every string that came from the database, the config or the agent is shown through
``literal()``: control characters made visible, and wrapped in a plain ``Content`` so
that ``[bold]`` or ``[@click=...]`` in a name is shown as those characters, never parsed.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from deskterm.errors import DeskError
from deskterm.textsafe import one_line, visible

T = TypeVar("T")

HINT = "enter save · escape cancel"
NAME_WIDTH = 48


class Problem(Exception):
    """What the agent typed cannot be saved; the message is shown inline."""


def literal(text: str, *, width: int | None = None, newlines: bool = False) -> Content:
    """``text`` as inert, plain Content: control characters visible, no markup parsed."""
    shown = one_line(text, width) if width is not None else visible(text, newlines=newlines)
    return Content(shown)


def titled(heading: str, name: str) -> Content:
    """A modal title such as "Follow-up for **Margo**" with the name shown literally."""
    return Content.assemble(heading, " ", (one_line(name, NAME_WIDTH), "bold"))


class QuickModal(ModalScreen[T | None], Generic[T]):
    """A small centred box: title, body, inline error, one-line hints.

    Subclasses yield their widgets from ``compose_body`` and turn them into a result in
    ``collect``, raising ``Problem`` (or a ``DeskError``) to keep the modal open with the
    message shown. ``enter`` saves, ``escape`` cancels with ``None``.
    """

    CSS_PATH: ClassVar = Path(__file__).with_name("modals.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("enter", "save", "Save", show=False),
    ]
    HINT: ClassVar[str] = HINT

    def __init__(self, title: Content, *, hints: Iterable[Content | str] = ()) -> None:
        super().__init__()
        self._title = title
        self._hints = [*hints, self.HINT]

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(self._title, id="title")
            yield from self.compose_body()
            yield Static(Content(""), id="error")
            with Vertical(id="hints"):
                for hint in self._hints:
                    text = hint if isinstance(hint, Content) else Content(hint)
                    yield Static(text, classes="hint")

    def compose_body(self) -> ComposeResult:
        """The modal's own widgets."""
        yield from ()

    def collect(self) -> T:
        """The result to dismiss with, or raise ``Problem`` with what to fix."""
        raise NotImplementedError

    def show_error(self, message: str) -> None:
        """Show ``message`` (literally) on the error line."""
        error = self.query_one("#error", Static)
        error.update(literal(message, width=200))
        error.display = bool(message)

    def clear_error(self) -> None:
        self.show_error("")

    @property
    def error_text(self) -> str:
        """The error line as shown (empty when there is none)."""
        return str(self.query_one("#error", Static).render())

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False

    def action_save(self) -> None:
        try:
            result = self.collect()
        except (Problem, DeskError) as problem:
            self.show_error(str(problem))
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
