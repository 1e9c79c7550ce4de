"""Log a follow-up as one line — a due expression, then the note — with a live preview."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import Input, Static

from deskterm.due import DueError, ParsedDue, describe_due, parse_due
from deskterm.tui.modals._base import Problem, QuickModal, literal, put, titled
from deskterm.tui.widgets.safe_input import SafeInput

QUICK = ("1h", "tomorrow", "2d", "1w")
EXAMPLE = "type when, then what: 2d check the refund arrived"
NO_NOTE = "add what to follow up on"


@dataclass(frozen=True, slots=True)
class FollowUpResult:
    due: datetime
    note: str
    text: str


class FollowUpModal(QuickModal[FollowUpResult]):
    """One input; the parsed due time and note are previewed on every keystroke.

    ``tab`` / ``shift+tab`` put the next / previous quick choice in front of the note.
    """

    AUTO_FOCUS: ClassVar[str] = "#text"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "quick(1)", "Next quick choice", show=False),
        Binding("shift+tab", "quick(-1)", "Previous quick choice", show=False),
    ]

    def __init__(
        self,
        person_name: str,
        *,
        now: Callable[[], datetime],
        tz: ZoneInfo,
        default_hour: int = 9,
        allow_past: bool = False,
        quick: Sequence[str] = QUICK,
    ) -> None:
        self.quick = tuple(choice for choice in quick if choice.strip())
        hints = [literal("quick (tab): " + " · ".join(self.quick))] if self.quick else []
        super().__init__(titled("Follow-up for", person_name), hints=hints)
        self.now = now
        self.tz = tz
        self.default_hour = default_hour
        self.allow_past = allow_past

    def compose_body(self) -> ComposeResult:
        yield SafeInput(placeholder="when, then what", id="text")
        yield Static(Content(EXAMPLE), id="preview", classes="-pending")

    def parse(self, text: str) -> ParsedDue:
        """``text`` read against the clock now; raises ``DueError``."""
        return parse_due(
            text,
            now=self.now(),
            tz=self.tz,
            default_hour=self.default_hour,
            allow_past=self.allow_past,
        )

    def collect(self) -> FollowUpResult:
        text = self.query_one("#text", Input).value.strip()
        if not text:
            raise Problem(EXAMPLE)
        try:
            parsed = self.parse(text)
        except DueError as error:
            raise Problem(str(error)) from None
        note = parsed.note.strip()
        if not note:
            raise Problem(NO_NOTE)
        return FollowUpResult(due=parsed.due, note=note, text=text)

    def draft_fields(self) -> dict[str, Any]:
        return {"text": self.query_one("#text", Input).value}

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        put(self.query_one("#text", Input), fields.get("text"))

    def show_error(self, message: str) -> None:
        """Errors replace the preview line, so the agent reads one message in one place."""
        preview = self.query_one("#preview", Static)
        preview.set_class(bool(message), "-error")
        if message:
            preview.update(literal(message, width=200))

    @property
    def error_text(self) -> str:
        preview = self.query_one("#preview", Static)
        return str(preview.render()) if preview.has_class("-error") else ""

    @property
    def preview_text(self) -> str:
        """The preview line as shown."""
        return str(self.query_one("#preview", Static).render())

    @on(Input.Changed, "#text")
    def _changed(self, event: Input.Changed) -> None:
        self.clear_error()
        self.query_one("#preview", Static).update(self._preview(event.value))

    def _preview(self, text: str) -> Content:
        preview = self.query_one("#preview", Static)
        text = text.strip()
        if not text:
            preview.set_class(True, "-pending")
            return Content(EXAMPLE)
        try:
            parsed = self.parse(text)
        except DueError as error:
            preview.set_class(True, "-pending")
            return literal(str(error), width=200)
        preview.set_class(False, "-pending")
        due = describe_due(parsed.due, now=self.now(), tz=self.tz)
        note = parsed.note.strip()
        return Content.assemble(
            (due, "bold"),
            ("  ·  ", "dim"),
            literal(note, width=200) if note else (NO_NOTE, "italic"),
        )

    @on(Input.Submitted, "#text")
    def _submitted(self) -> None:
        self.action_save()

    def action_quick(self, step: int) -> None:
        """Put a quick choice in front of the note, cycling through them."""
        if not self.quick:
            return
        field = self.query_one("#text", Input)
        text = field.value.strip()
        current, rest = "", text
        try:
            parsed = self.parse(text)
        except DueError:
            for choice in self.quick:
                if text == choice or text.startswith(choice + " "):
                    current, rest = choice, text[len(choice) :].strip()
                    break
        else:
            current, rest = parsed.expression.strip(), parsed.note.strip()
        if current in self.quick:
            choice = self.quick[(self.quick.index(current) + step) % len(self.quick)]
        else:
            choice = self.quick[0 if step > 0 else -1]
        field.value = f"{choice} {rest}"
        field.cursor_position = len(field.value)
