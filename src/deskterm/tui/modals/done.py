"""Close a follow-up with its outcome."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from deskterm.textsafe import one_line
from deskterm.tui.modals._base import Problem, QuickModal, put, titled
from deskterm.tui.widgets.safe_input import SafeInput

NOTE_WIDTH = 60


class DoneModal(QuickModal[str]):
    """Shows which follow-up is closing; dismisses with the outcome or ``None``."""

    AUTO_FOCUS: ClassVar[str] = "#outcome"

    def __init__(self, person_name: str, follow_up_note: str, due_text: str) -> None:
        super().__init__(titled("Follow-up done for", person_name))
        self.follow_up_note = follow_up_note
        self.due_text = due_text

    def compose_body(self) -> ComposeResult:
        closing = Content.assemble(
            ("closing: ", "dim"), (one_line(self.follow_up_note, NOTE_WIDTH), "bold")
        )
        yield Static(closing, id="closing")
        yield Static(Content.assemble(("due: ", "dim"), one_line(self.due_text, 40)), id="due")
        yield SafeInput(placeholder="what happened?", id="outcome")

    def collect(self) -> str:
        outcome = self.query_one("#outcome", Input).value.strip()
        if not outcome:
            raise Problem("what happened? write the outcome for the next agent")
        return outcome

    def draft_fields(self) -> dict[str, Any]:
        return {"outcome": self.query_one("#outcome", Input).value}

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        put(self.query_one("#outcome", Input), fields.get("outcome"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.clear_error()
