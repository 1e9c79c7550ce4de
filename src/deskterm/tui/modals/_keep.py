"""How a writing dialog keeps the agent's words until the database has them.

The screen that opens a dialog hands it a ``Keeper``: what the words are for (the draft
kind and the person), how to start the write (``submit``, which runs the Desk call in a
worker with the write id chosen when the agent pressed enter), and where drafts live.
``QuickModal`` does the rest, the same way for every dialog (and the mail editor):
"saving…" while the write runs, the reason and a retry with the same write id when it
fails, a draft on escape after a failure, and the draft's words back on the next open.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from typing import Any

from deskterm.clock import utcnow
from deskterm.drafts import Draft, Drafts
from deskterm.errors import DeskError
from deskterm.tui.text import day_time

SAVING = "saving…"
RETRY = "enter retries, escape keeps a draft"
RETRY_NO_DRAFTS = "enter retries, escape drops these words"
KEPT = "Kept as a draft: it comes back when you open this again for them"


@dataclass
class Keeper:
    """What a writing dialog needs to store the agent's words, or keep them."""

    kind: str  # the draft kind: "note", "follow_up", "mood", "contact", "done", "person", …
    person_id: int | None  # None: a person not yet added
    submit: Callable[[Any, str], None]  # start the write: (the dialog's result, write id)
    drafts: Drafts | None = None
    offline: Callable[[], bool] = lambda: False
    clock: Callable[[], datetime] = utcnow
    tz: tzinfo = UTC
    extra: Mapping[str, Any] = field(default_factory=dict)

    def load(self) -> Draft | None:
        """The draft kept for this dialog and person, if any (and not empty)."""
        if self.drafts is None:
            return None
        draft = self.drafts.load(self.kind, self.person_id)
        return None if draft is None or draft.is_empty else draft

    def keep(self, fields: Mapping[str, Any], write_id: str) -> Draft | None:
        """Keep ``fields`` as the draft; DeskError when the file cannot be written."""
        if self.drafts is None:
            return None
        return self.drafts.save(self.kind, self.person_id, fields, write_id, now=self.clock())

    def forget(self, write_id: str | None = None) -> None:
        """The write is stored (or the agent cleared the words): the draft goes.

        Safe from a worker thread; a draft that cannot be removed stays, harmlessly:
        its write id is stored, so saving it again stores nothing.
        """
        if self.drafts is None:
            return
        with contextlib.suppress(DeskError):
            self.drafts.remove(self.kind, self.person_id, write_id)

    def draft_line(self, draft: Draft) -> str:
        """'draft from 10:42 — enter saves it, escape keeps it' in the agent's zone."""
        now = self.clock()
        local, today = draft.saved_at.astimezone(self.tz), now.astimezone(self.tz)
        when = f"{local:%H:%M}" if local.date() == today.date() else day_time(local, self.tz)
        return f"draft from {when} — enter saves it, escape keeps it"
