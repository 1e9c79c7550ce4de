"""Log a contact: which channel, and a one-line summary."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from deskterm.tui.modals._base import Problem, QuickModal, put, titled
from deskterm.tui.modals._choices import ChoiceRow
from deskterm.tui.widgets.safe_input import SafeInput

CHANNELS = ("phone", "email", "chat", "in person", "video")


@dataclass(frozen=True, slots=True)
class ContactResult:
    channel: str
    text: str


class ContactModal(QuickModal[ContactResult]):
    """Summary focused first; ``ctrl+n`` cycles the channel, ``tab`` reaches the row."""

    AUTO_FOCUS: ClassVar[str] = "#summary"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next_channel", "Next channel", show=False),
    ]

    def __init__(
        self, person_name: str, channels: Sequence[str] = CHANNELS, default: str = ""
    ) -> None:
        super().__init__(
            titled("Contact with", person_name),
            hints=["ctrl+n or tab then ←/→ channel"],
        )
        self.channels = tuple(channels) or CHANNELS
        folded = [channel.casefold() for channel in self.channels]
        wanted = default.strip().casefold()
        self._start = folded.index(wanted) if wanted in folded else 0

    def compose_body(self) -> ComposeResult:
        yield ChoiceRow(self.channels, self._start, numbered=True, digits=True, id="channel")
        yield SafeInput(placeholder="what was it about?", id="summary")

    def collect(self) -> ContactResult:
        text = self.query_one("#summary", Input).value.strip()
        if not text:
            raise Problem("add a short summary of the contact")
        channel = self.query_one("#channel", ChoiceRow).value or self.channels[0]
        return ContactResult(channel=channel, text=text)

    def draft_fields(self) -> dict[str, Any]:
        return {
            "channel": self.query_one("#channel", ChoiceRow).value or "",
            "summary": self.query_one("#summary", Input).value,
        }

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        if fields.get("channel") in self.channels:
            self.query_one("#channel", ChoiceRow).index = self.channels.index(fields["channel"])
        put(self.query_one("#summary", Input), fields.get("summary"))

    def action_next_channel(self) -> None:
        self.query_one("#channel", ChoiceRow).action_move(1)

    @on(ChoiceRow.Picked)
    def _picked(self, event: ChoiceRow.Picked) -> None:
        if event.by_digit:
            self.query_one("#summary", Input).focus()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.clear_error()
