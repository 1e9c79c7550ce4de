"""Close a follow-up with its outcome, and propose a check-back in the same window.

Enter on the outcome moves to the proposal ("check back in 3 days, Thu 26 Nov 09:00?"):
enter accepts, a digit changes the days, ``n`` declines and asks why in one line (the
reason is stored with the done entry). Closing a follow-up that was itself a check-back
proposes nothing: closing it is the confirmation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from deskterm.textsafe import one_line
from deskterm.tui.modals._base import Problem, QuickModal, put, titled
from deskterm.tui.widgets.safe_input import SafeInput

NOTE_WIDTH = 60
OUTCOME, PROPOSE, REASON = "outcome", "propose", "reason"
PROPOSE_HINT = "enter: yes · 1-9: other days · n: no check-back · escape cancels"


@dataclass(frozen=True, slots=True)
class DoneResult:
    """The outcome, and either the check-back in days or why there is none."""

    outcome: str
    check_back_days: int | None = None
    reason: str = ""


class DoneModal(QuickModal[DoneResult]):
    """Shows which follow-up is closing; dismisses with a ``DoneResult`` or ``None``.

    ``when(days)`` says when a check-back in ``days`` days would be due ("Thu 26 Nov
    09:00"); without it (or for a check-back) no check-back is proposed.
    """

    AUTO_FOCUS: ClassVar[str] = "#outcome"

    def __init__(
        self,
        person_name: str,
        follow_up_note: str,
        due_text: str,
        *,
        check_back_days: int = 3,
        when: Callable[[int], str] | None = None,
        is_check_back: bool = False,
    ) -> None:
        super().__init__(titled("Follow-up done for", person_name))
        self.follow_up_note = follow_up_note
        self.due_text = due_text
        self.days = check_back_days
        self.when = None if is_check_back else when
        self.is_check_back = is_check_back
        self.step = OUTCOME

    def compose_body(self) -> ComposeResult:
        closing = Content.assemble(
            ("closing: ", "dim"), (one_line(self.follow_up_note, NOTE_WIDTH), "bold")
        )
        yield Static(closing, id="closing")
        yield Static(Content.assemble(("due: ", "dim"), one_line(self.due_text, 40)), id="due")
        yield SafeInput(placeholder="what happened?", id="outcome")
        if self.is_check_back:
            yield Static(
                Content.styled("this was the check-back: closing it confirms it is solved", "dim"),
                id="check-back",
            )
        yield Static(id="proposal")
        yield SafeInput(placeholder="why no check-back? (one line)", id="reason")

    def on_mount(self) -> None:
        self.query_one("#proposal", Static).display = False
        self.query_one("#reason", Input).display = False
        super().on_mount()

    # -- the steps ----------------------------------------------------------------------
    def _show_step(self, step: str) -> None:
        self.step = step
        proposal = self.query_one("#proposal", Static)
        reason = self.query_one("#reason", Input)
        proposal.display = step in (PROPOSE, REASON)
        reason.display = step == REASON
        if step == PROPOSE:
            proposal.update(self._proposal())
            self.set_focus(None)  # digits and n are answers now, not text
        elif step == REASON:
            proposal.update(Content.styled("no check-back", "dim"))
            self.set_focus(reason)
        else:
            self.set_focus(self.query_one("#outcome", Input))

    def _proposal(self) -> Content:
        days = f"{self.days} day" if self.days == 1 else f"{self.days} days"
        when = one_line(self.when(self.days), 40) if self.when else ""
        return Content.assemble(
            ("check back in ", "bold"),
            (days, "bold $accent"),
            (f", {when}?" if when else "?", "bold"),
            "\n",
            (PROPOSE_HINT, "dim"),
        )

    def on_key(self, event: events.Key) -> None:
        if self.step != PROPOSE or self.saving:
            return
        if event.character and event.character in "123456789":
            self.days = int(event.character)
            self.query_one("#proposal", Static).update(self._proposal())
            event.stop()
        elif event.character == "n":
            self._show_step(REASON)
            event.prevent_default()
            event.stop()

    def collect(self) -> DoneResult:
        outcome = self.query_one("#outcome", Input).value.strip()
        if not outcome:
            self._show_step(OUTCOME)
            raise Problem("what happened? write the outcome for the next agent")
        if self.when is None:
            return DoneResult(outcome)
        if self.step == OUTCOME:
            self._show_step(PROPOSE)
            raise _NextStep
        if self.step == REASON:
            reason = self.query_one("#reason", Input).value.strip()
            if not reason:
                raise Problem("why no check-back? one line for the team")
            return DoneResult(outcome, None, reason)
        return DoneResult(outcome, self.days)

    def action_save(self) -> None:
        try:
            super().action_save()
        except _NextStep:
            self.clear_error()

    def action_cancel(self) -> None:
        if self.step == REASON and not self.saving and not self.failed:
            self._show_step(PROPOSE)  # back to the question, nothing lost
            return
        super().action_cancel()

    # -- drafts -------------------------------------------------------------------------
    def draft_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"outcome": self.query_one("#outcome", Input).value}
        if self.step != OUTCOME:
            fields["step"], fields["days"] = self.step, self.days
        if self.step == REASON:
            fields["reason"] = self.query_one("#reason", Input).value
        return fields

    def restore_draft(self, fields: Mapping[str, Any]) -> None:
        put(self.query_one("#outcome", Input), fields.get("outcome"))
        days = fields.get("days")
        if isinstance(days, int) and 1 <= days <= 99:
            self.days = days
        if fields.get("step") in (PROPOSE, REASON) and self.when is not None:
            self._show_step(str(fields["step"]))
            put(self.query_one("#reason", Input), fields.get("reason"))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Input.Changed)
    def _changed(self) -> None:
        self.clear_error()


class _NextStep(Exception):
    """Enter moved the dialog on to its next question; nothing is saved yet."""
