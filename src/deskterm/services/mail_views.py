"""Plain, immutable views of mail for the CLI and the TUI (no session inside)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from deskterm.models import Message

PREVIEW_CHARS = 300  # of the new part of a message, for lists and the timeline


@dataclass(frozen=True, slots=True)
class AttachmentView:
    """An attachment by name, MIME type and size in bytes (the bytes stay in the raw mail)."""

    name: str
    type: str
    size: int


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message as lists show it (no whole text, no raw bytes).

    ``direction`` is "in" or "out". ``status``: "received" (in), or for out "draft",
    "queued" (waiting for the server), "sending" (a desk is handing it over now),
    "sent" or "failed" (the server refused it: ``failure`` says why; it is retried).
    A queued message may carry a ``failure`` too: the last try could not reach the
    server. ``at`` is when it was received (in) or written (out); ``date_at`` is the
    Date header in UTC and ``date_header`` the header as written (with its offset).
    ``preview`` is the start of the new part (earlier quoted mail left out).
    All text is data: show it literally (``tui/text.py``), never as markup.
    """

    id: int
    person_id: int | None  # None: unsorted (no usable sender)
    direction: str
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    subject: str
    from_addr: str
    to: str
    cc: str
    at: datetime
    date_header: str
    date_at: datetime | None
    preview: str
    status: str
    failure: str
    attempts: int
    sent_at: datetime | None
    agent: str
    automatic: bool
    html_as_text: bool
    attachments: tuple[AttachmentView, ...]
    size: int

    @property
    def incoming(self) -> bool:
        return self.direction == "in"

    @property
    def pending(self) -> bool:
        """Still to be sent: queued, being sent, or failed (and to be retried)."""
        return self.status in ("queued", "sending", "failed")

    def status_text(self) -> str:
        """A short status for the timeline: "", "queued", "sent", "not sent — reason"."""
        if self.direction == "in":
            return "automatic" if self.automatic else ""
        if self.status == "failed":
            return f"not sent — {self.failure}" if self.failure else "not sent"
        if self.status == "queued" and self.failure:
            return f"queued — {self.failure}"
        return self.status


@dataclass(frozen=True, slots=True)
class MessageDetail:
    """A message whole: ``text`` is everything, ``fresh`` the new part, ``quoted`` the
    earlier mail it quotes (folded away, shown on demand; "" when none)."""

    message: MessageView
    text: str
    fresh: str
    quoted: str


@dataclass(frozen=True, slots=True)
class Received:
    """What ``receive`` did with one message."""

    message: MessageView
    duplicate: bool  # already stored (same Message-ID, or the same bytes): nothing written
    new_person: bool  # the sender was unknown and became a person tagged "new"


@dataclass(frozen=True, slots=True)
class SendResult:
    """What happened to one outgoing message in ``send_queued``."""

    id: int
    person_id: int | None
    subject: str
    sent: bool
    reason: str = ""  # why not, one line, never a password


LIST_COLUMNS = tuple(
    getattr(Message, name)
    for name in (
        "id", "person_id", "direction", "message_id", "in_reply_to", "refs", "subject",
        "from_addr", "to_addrs", "cc_addrs", "at", "date_header", "date_at", "status",
        "failure", "attempts", "sent_at", "agent", "automatic", "html_as_text",
        "attachments", "size",
    )
)  # fmt: skip


def view_of(row: object, preview: str) -> MessageView:
    """A MessageView from a row of ``LIST_COLUMNS`` (or a Message) and its preview."""
    r = row
    return MessageView(
        id=r.id,
        person_id=r.person_id,
        direction=r.direction,
        message_id=r.message_id,
        in_reply_to=r.in_reply_to,
        references=tuple(r.refs.split()),
        subject=r.subject,
        from_addr=r.from_addr,
        to=r.to_addrs,
        cc=r.cc_addrs,
        at=r.at,
        date_header=r.date_header,
        date_at=r.date_at,
        preview=preview,
        status=r.status,
        failure=r.failure,
        attempts=r.attempts,
        sent_at=r.sent_at,
        agent=r.agent,
        automatic=bool(r.automatic),
        html_as_text=bool(r.html_as_text),
        attachments=attachments_of(r.attachments),
        size=int(r.size),
    )


def attachments_of(raw: str) -> tuple[AttachmentView, ...]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(
        AttachmentView(str(a.get("name", "")), str(a.get("type", "")), int(a.get("size", 0)))
        for a in items
        if isinstance(a, dict)
    )


def preview_of(fresh: str) -> str:
    return fresh[:PREVIEW_CHARS]
