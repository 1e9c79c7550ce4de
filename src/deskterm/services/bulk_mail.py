"""Messages in bulk inserts (import of an export, demo data, benchmarks)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from deskterm.clock import to_epoch
from deskterm.mail.compose import sender_address
from deskterm.services import validate as v
from deskterm.services.summary import subjects_text, waiting_since

STATUS_OF_EXPORT = {"sending": "queued"}  # a message being sent exports as queued


@dataclass(slots=True)
class NewMessage:
    """One message of a person to insert (the export's ``messages`` items)."""

    message_id: str
    direction: str  # "in" or "out"
    at: datetime
    subject: str = ""
    text: str = ""
    from_addr: str = ""
    to: str = ""
    status: str = "received"
    attachments: list[dict[str, Any]] = field(default_factory=list)
    agent: str | None = None
    automatic: bool = False


COLUMNS = (
    "person_id", "direction", "message_id", "in_reply_to", "refs", "subject", "date_header",
    "date_at", "at", "from_addr", "from_email", "to_addrs", "cc_addrs", "text", "fresh",
    "html_as_text", "attachments", "size", "status", "failure", "attempts", "sent_at",
    "agent", "automatic",
)  # fmt: skip


def message_rows(
    people: Iterable[tuple[int, list[NewMessage]]],
    agent: str,
    to_db: Callable[[datetime | None], Any],
) -> list[tuple]:
    """Driver-ready rows of ``COLUMNS`` for (person id, messages) pairs."""
    rows = []
    for pid, messages in people:
        for m in messages:
            text = v.storable(m.text)
            at = to_db(m.at)
            rows.append(
                (
                    pid, m.direction, m.message_id, "", "", v.storable(m.subject), "", at, at,
                    v.storable(m.from_addr), sender_address(m.from_addr).lower(),
                    v.storable(m.to), "", text, text, False,
                    json.dumps(m.attachments, ensure_ascii=False), 0, m.status, "", 0,
                    at if m.status == "sent" else None, m.agent or agent, m.automatic,
                )
            )  # fmt: skip
    return rows


def mail_summary(messages: list[NewMessage], last_contact: int | None) -> dict[str, Any]:
    """``s_waiting_since`` and ``s_subjects`` of a person about to be inserted."""
    if not messages:
        return {"s_waiting_since": None, "s_subjects": ""}
    wrote = [m.at for m in messages if m.direction == "in" and not m.automatic]
    newest = max(wrote, default=None)
    waiting = None
    if newest is not None and (last_contact is None or last_contact < (to_epoch(newest) or 0)):
        waiting = waiting_since(newest, None)
    ordered = sorted(messages, key=lambda m: m.at, reverse=True)[:10]
    return {"s_waiting_since": waiting, "s_subjects": subjects_text(m.subject for m in ordered)}
