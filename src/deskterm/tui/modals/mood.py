"""Record a mood: a digit for the level, then an optional note."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from deskterm.tui.modals._base import Problem, QuickModal, put, titled
from deskterm.tui.modals._choices import ChoiceRow
from deskterm.tui.widgets.safe_input import SafeInput

LEVELS = 5


@dataclass(frozen=True, slots=True)
class MoodResult:
    level: int
    note: str


class MoodModal(QuickModal[MoodResult]):
    """Level row focused first: ``1``-``5`` picks and moves to the note, ``enter`` saves."""

    AUTO_FOCUS: ClassVar[str] = "#level"

    def __init__(self, person_name: str, labels: Sequence[str], current: int | None = None) -> None:
        super().__init__(
            titled("Mood of", person_name),
            hints=["1-5 or ←/→ level · the note is optional"],
        )
        names = [str(label) for label in labels][:LEVELS]
        names += [str(level) for level in range(len(names) + 1, LEVELS + 1)]
        self.labels = tuple(names)
        self.current = current if current is not None and 1 <= current <= LEVELS else None

    def compose_body(self) -> ComposeResult:
        start = self.current - 1 if self.current else -1
        yield ChoiceRow(self.labels, start, numbered=True, digits=True, id="level")
        yield SafeInput(placeholder="why? (optional)", id="note")

    def collect(self) -> MoodResult:
        level = self.query_one("#level", ChoiceRow).index + 1
        if not level:
            raise Problem("pick a level: a digit 1-5")
        return MoodResult(level=level, note=self.query_one("#note", Input).value.strip())

    def draft_fields(self) -> dict[str, Any]:
        return {
            "level": self.query_one("#level", ChoiceRow).index + 1,
            "note": self.query_one("#note", Input).value,
        }

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        level = fields.get("level")
        if isinstance(level, int) and 1 <= level <= LEVELS:
            self.query_one("#level", ChoiceRow).index = level - 1
        put(self.query_one("#note", Input), fields.get("note"))

    @on(ChoiceRow.Picked)
    def _picked(self, event: ChoiceRow.Picked) -> None:
        self.clear_error()
        if event.by_digit:
            self.query_one("#note", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()
