"""Take a person, or give them to another agent, with an optional note for them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from deskterm.textsafe import one_line
from deskterm.tui.modals._base import Problem, QuickModal, put, titled
from deskterm.tui.widgets.safe_input import SafeInput

NOBODY = "-"
SHOWN_AGENTS = 6


@dataclass(frozen=True, slots=True)
class OwnerResult:
    """Whose the person becomes (None: nobody's) and the note for the handoff."""

    to: str | None
    note: str


class OwnerModal(QuickModal[OwnerResult]):
    """Prefilled with the agent's own name (enter takes the person); type another name
    (completed from the agents seen on this database) to give them away, "-" for nobody."""

    AUTO_FOCUS: ClassVar[str] = "#to"

    def __init__(self, person_name: str, owner: str | None, me: str, agents: Sequence[str]) -> None:
        super().__init__(
            titled("Whose is", person_name),
            hints=["tab: the note · → takes the suggested name · - for nobody's"],
        )
        self.owner, self.me = owner, me
        self.agents = sorted({*agents, me}, key=str.casefold)

    def compose_body(self) -> ComposeResult:
        now = Content(one_line(self.owner, 30)) if self.owner else Content("nobody's")
        yield Static(Content.assemble(("now: ", "dim"), now), id="owner-now")
        others = [a for a in self.agents if a != self.me][:SHOWN_AGENTS]
        if others:
            names = Content(", ".join(one_line(a, 20) for a in others))
            yield Static(Content.assemble(("agents: ", "dim"), names), id="owner-agents")
        first = "" if self.owner == self.me else self.me
        yield SafeInput(
            first,
            placeholder="give to (an agent's name)",
            suggester=SuggestFromList(self.agents, case_sensitive=False),
            id="to",
        )
        yield SafeInput(placeholder="a note for them (optional)", id="note")

    def collect(self) -> OwnerResult:
        typed = " ".join(self.query_one("#to", Input).value.split())
        note = self.query_one("#note", Input).value.strip()
        if not typed:
            raise Problem("give to whom? type an agent's name, or - for nobody's")
        to = None if typed == NOBODY else self._known(typed)
        if to == self.owner:
            who = "yours" if to == self.me else f"{to}'s" if to else "nobody's"
            raise Problem(f"already {who}")
        return OwnerResult(to, note)

    def draft_fields(self) -> dict[str, Any]:
        return {
            "to": self.query_one("#to", Input).value,
            "note": self.query_one("#note", Input).value,
        }

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        self.query_one("#to", Input).value = ""
        put(self.query_one("#to", Input), fields.get("to"))
        put(self.query_one("#note", Input), fields.get("note"))

    def _known(self, typed: str) -> str:
        """The agent as spelled before, when typed in another case."""
        for agent in self.agents:
            if agent.casefold() == typed.casefold():
                return agent
        return typed

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.clear_error()
