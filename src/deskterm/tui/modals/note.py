"""Add a note to a person's timeline: one line, enter saves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from deskterm.tui.modals._base import Problem, QuickModal, put, titled
from deskterm.tui.widgets.safe_input import SafeInput


class NoteModal(QuickModal[str]):
    """Dismisses with the note text (stripped, never empty) or ``None``."""

    AUTO_FOCUS: ClassVar[str] = "#text"

    def __init__(self, person_name: str) -> None:
        super().__init__(titled("Note for", person_name))

    def compose_body(self) -> ComposeResult:
        yield SafeInput(placeholder="what should the team know?", id="text")

    def collect(self) -> str:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            raise Problem("write the note first")
        return text

    def draft_fields(self) -> dict[str, Any]:
        return {"text": self.query_one("#text", Input).value}

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        put(self.query_one("#text", Input), fields.get("text"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.clear_error()
