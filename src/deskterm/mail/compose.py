"""Writing mail: the reply template, threading headers, and the bytes that are sent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid

from deskterm.errors import InvalidInput

_RE = re.compile(r"^\s*(?:(?:re|aw|sv|antw|vs|r)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]+")
MAX_REFERENCES = 20


@dataclass(frozen=True, slots=True)
class Compose:
    """A message being written: what the editor shows and ``queue_message`` takes.

    ``to`` and ``cc`` are address lists as typed ("Jim <jim@example.com>, b@x.org");
    ``in_reply_to`` and ``references`` thread a reply (empty for a new message).
    """

    to: str
    subject: str
    text: str
    cc: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()


def reply_subject(subject: str) -> str:
    """``Re: subject`` without stacking: "RE: Aw: Re: x" becomes "Re: x"."""
    rest = _RE.sub("", one_line(subject)).strip()
    return f"Re: {rest}" if rest else "Re:"


def reply_references(references: tuple[str, ...], message_id: str) -> tuple[str, ...]:
    """The References of a reply: the original's, then its own id (RFC 5322 3.6.4)."""
    chain = [r for r in references if r != message_id] + [message_id]
    if len(chain) > MAX_REFERENCES:  # keep the root and the newest
        chain = [chain[0], *chain[-(MAX_REFERENCES - 1) :]]
    return tuple(chain)


def quote(text: str, who: str, when: datetime | None) -> str:
    """The original quoted with "> ", under an "On …, X wrote:" line."""
    day = f"On {when:%a %d %b %Y %H:%M} UTC, " if when else ""
    lines = text.strip("\n").splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"{day}{who} wrote:\n{quoted}\n"


def with_signature(text: str, signature: str) -> str:
    """``text`` followed by the "-- " signature separator and the signature, if any."""
    if not signature.strip():
        return text
    return f"{text}\n-- \n{signature.strip(chr(10))}\n"


def one_line(text: str) -> str:
    """A header value on one line (line breaks become spaces)."""
    return _LINE_BREAKS.sub(" ", text).strip()


def recipients(*fields: str) -> list[str]:
    """Every address in the given address lists, lower-cased domains kept as typed."""
    found: list[str] = []
    for _name, address in getaddresses([one_line(f) for f in fields if f.strip()]):
        local, at, domain = address.rpartition("@")
        if at and local and domain and not any(c.isspace() for c in address):
            found.append(address)
    return list(dict.fromkeys(found))


def new_message_id(from_addr: str) -> str:
    """A Message-ID in the sender's domain, fixed when the message is written."""
    pairs = getaddresses([from_addr])
    domain = pairs[0][1].rpartition("@")[2] if pairs and "@" in pairs[0][1] else "deskterm"
    return make_msgid(domain=domain or "deskterm")


def build(compose: Compose, *, from_addr: str, message_id: str, date: datetime) -> bytes:
    """The message's bytes exactly as they will be stored and sent (CRLF, UTF-8)."""
    if not recipients(compose.to):
        raise InvalidInput(f"to: no mail address in {compose.to!r}")
    msg = EmailMessage(policy=policy.SMTP)
    try:
        msg["From"] = one_line(from_addr)
        msg["To"] = one_line(compose.to)
        if compose.cc.strip():
            msg["Cc"] = one_line(compose.cc)
    except (ValueError, IndexError, TypeError) as exc:
        raise InvalidInput(f"bad address: {exc}") from None
    msg["Subject"] = one_line(compose.subject)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = message_id
    if compose.in_reply_to:
        msg["In-Reply-To"] = compose.in_reply_to
    if compose.references:
        msg["References"] = " ".join(compose.references)
    msg["MIME-Version"] = "1.0"
    msg.set_content(compose.text.replace("\r\n", "\n"), charset="utf-8")
    return msg.as_bytes()


def sender_address(from_addr: str) -> str:
    """The bare address of ``[mail] from`` (the SMTP envelope sender)."""
    pairs = getaddresses([from_addr])
    return pairs[0][1] if pairs else ""


__all__ = [
    "Compose",
    "build",
    "new_message_id",
    "one_line",
    "quote",
    "recipients",
    "reply_references",
    "reply_subject",
    "sender_address",
    "with_signature",
]
