"""The shared shape of every quick modal: a titled box, a body, an error line, a hint.

Every string that came from the database, the config or the agent is shown through
``literal()``: control characters made visible, and wrapped in a plain ``Content`` so
that ``[bold]`` or ``[@click=...]`` in a name is shown as those characters, never parsed.

A dialog that writes is given a ``Keeper`` (``keep_with``): then enter does not close it
but starts the write and shows "saving…"; it closes once the words are stored, stays
open with the reason when they are not (enter retries with the same write id), and
escape after a failure keeps the words as a draft that the next open brings back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Generic, Self, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from deskterm.drafts import Draft, new_write_id
from deskterm.errors import DeskError
from deskterm.textsafe import one_line, visible
from deskterm.tui.modals._keep import KEPT, RETRY, RETRY_NO_DRAFTS, SAVING, Keeper

T = TypeVar("T")

HINT = "enter save · escape cancel"
NAME_WIDTH = 48


class Problem(Exception):
    """What the agent typed cannot be saved; the message is shown inline."""


def literal(text: str, *, width: int | None = None, newlines: bool = False) -> Content:
    """``text`` as inert, plain Content: control characters visible, no markup parsed."""
    shown = one_line(text, width) if width is not None else visible(text, newlines=newlines)
    return Content(shown)


def put(field: Any, text: Any) -> None:
    """Type ``text`` back into an input (from a draft), the cursor at its end."""
    field.value = "" if text is None else str(text)
    field.cursor_position = len(field.value)


def titled(heading: str, name: str) -> Content:
    """A modal title such as "Follow-up for **Margo**" with the name shown literally."""
    return Content.assemble(heading, " ", (one_line(name, NAME_WIDTH), "bold"))


class QuickModal(ModalScreen[T | None], Generic[T]):
    """A small centred box: title, body, inline error, one-line hints.

    Subclasses yield their widgets from ``compose_body`` and turn them into a result in
    ``collect``, raising ``Problem`` (or a ``DeskError``) to keep the modal open with the
    message shown. ``enter`` saves, ``escape`` cancels with ``None``. Dialogs that write
    also give their words as ``draft_fields`` and take them back in ``restore_draft``.
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
        self.keeper: Keeper | None = None
        self.write_id: str | None = None  # chosen at the first enter, kept for retries
        self.draft: Draft | None = None  # the draft these words came back from
        self.saving = False  # a write is running
        self.failed = False  # a write failed: escape keeps the words
        self._pristine: dict[str, Any] = {}
        self._result: Any = None
        self._refocus: Widget | None = None  # what had focus before "saving…" locked it

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static(self._title, id="title")
            yield from self.compose_body()
            yield Static(Content(""), id="status")
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

    def show_status(self, message: str) -> None:
        """Show ``message`` on the quiet status line ("saving…", "draft from 10:42…")."""
        status = self.query_one("#status", Static)
        status.update(literal(message, width=200))
        status.display = bool(message)

    @property
    def status_text(self) -> str:
        return str(self.query_one("#status", Static).render())

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#status", Static).display = False
        if self.keeper is not None:
            self._pristine = self.draft_fields()
            draft = self.keeper.load()
            if draft is not None:
                self.restore_draft(draft.fields)
                self.draft, self.write_id = draft, draft.write_id
                self.show_status(self.keeper.draft_line(draft))

    def action_save(self) -> None:
        if self.saving:
            return
        try:
            result = self.collect()
        except (Problem, DeskError) as problem:
            self.show_error(str(problem))
            return
        if self.keeper is None:
            self.dismiss(result)
            return
        self.write_id = self.write_id or new_write_id()
        self._result = result
        self._set_saving(True)
        self.keeper.submit(result, self.write_id)

    def action_cancel(self) -> None:
        if self.keeper is not None and self._keeps_words():
            try:
                kept = self._keep_words()
            except DeskError as problem:  # e.g. a full disk: the words stay on screen
                self.show_error(str(problem))
                return
            if kept:
                self.app.notify(KEPT, markup=False)
        self.dismiss(None)

    # -- keeping the words (dialogs given a Keeper) -------------------------------------
    def keep_with(self, keeper: Keeper) -> Self:
        """Write through ``keeper`` instead of closing with the result on enter."""
        self.keeper = keeper
        return self

    def draft_fields(self) -> dict[str, Any]:
        """The words as typed, JSON-able (dialogs that write override this)."""
        return {}

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        """Put a draft's words back into the dialog (dialogs that write override this)."""

    def stored(self) -> None:
        """The screen's worker stored the write: close with the result."""
        self._set_saving(False)
        self.dismiss(self._result)

    def not_stored(self, message: str, *, temporary: bool) -> None:
        """The write failed: stay open with the reason; a temporary failure may be retried
        (same write id) or kept as a draft."""
        self._set_saving(False)
        if temporary:  # "the database is unreachable; try again later (…)" → its first part
            self.failed = True
            keeper = self.keeper
            hint = RETRY if keeper is not None and keeper.drafts is not None else RETRY_NO_DRAFTS
            message = f"{message.partition(';')[0]} — {hint}"
        self.show_error(message)

    def _keeps_words(self) -> bool:
        """Escape keeps a draft after a failure, during a save, for a dialog that came
        from a draft, or while offline when the agent typed something."""
        assert self.keeper is not None
        if self.failed or self.saving or self.draft is not None:
            return True
        return self.keeper.offline() and self.draft_fields() != self._pristine

    def _keep_words(self) -> bool:
        """Save the draft (or forget it when the agent cleared the words); True if kept."""
        assert self.keeper is not None
        fields = self.draft_fields()
        if self.draft is not None and not self.failed and fields == self._pristine:
            self.keeper.forget()  # the agent cleared what came back: let it go
            return False
        if self.draft is not None and fields == self.draft.fields and not self.saving:
            return True  # unchanged: the draft on disk is the same
        return self.keeper.keep(fields, self.write_id or new_write_id()) is not None

    def _set_saving(self, saving: bool) -> None:
        """While a write runs the fields are locked (what is being stored is what shows)."""
        self.saving = saving
        box = self.query_one("#box")
        if saving:
            self.clear_error()
            self.show_status(SAVING)
            self._refocus = self.focused
            for widget in box.query("Input, ChoiceRow, Checkbox"):
                widget.disabled = True
        else:
            for widget in box.query("Input, ChoiceRow, Checkbox"):
                widget.disabled = False
            self.show_status("")
            if self._refocus is not None and self._refocus.is_attached:
                self._refocus.focus()
