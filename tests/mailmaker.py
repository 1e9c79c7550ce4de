"""Build mail messages for tests, as bytes, the way real (and broken) mail arrives."""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP


def mail(
    *,
    sender: str = "Jim Baxter <jim@example.com>",
    to: str = "support@example.com",
    subject: str = "Where is my order?",
    body: str = "Hello, my order has not arrived.\n",
    message_id: str | None = "<m1@example.com>",
    date: str = "Tue, 01 Dec 2026 10:00:00 +0100",
    headers: dict[str, str] | None = None,
) -> bytes:
    """A plain, well-formed text/plain message."""
    msg = EmailMessage(policy=SMTP)
    if sender:
        msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    if date:
        msg["Date"] = date
    if message_id:
        msg["Message-ID"] = message_id
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def raw(*lines: str | bytes, body: bytes = b"Hello\r\n") -> bytes:
    """A message written by hand, header lines as given (for broken mail)."""
    head = b"\r\n".join(x if isinstance(x, bytes) else x.encode() for x in lines)
    return head + b"\r\n\r\n" + body
