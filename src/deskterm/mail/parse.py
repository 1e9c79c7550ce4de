"""Read one RFC 5322 message into plain fields, whatever state it arrives in.

Real mail is broken MIME, lying charsets, 8-bit headers, bounces and digests. The
message is walked with ``email``'s lenient compat32 parser (it never raises on bad
structure; defects are recorded, not thrown), every header is decoded defensively,
and anything undecodable becomes replacement characters — the raw bytes are kept
elsewhere, byte for byte, so nothing is lost by reading them loosely.
"""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime

from deskterm.errors import InvalidInput
from deskterm.mail.text import clean, decode_bytes, header_text, html_to_text, split_reply

_ID = re.compile(r"<[^<>\s]+>")
_MAIL_HEADERS = (
    "from", "sender", "to", "cc", "subject", "date", "message-id", "received",
    "return-path", "delivered-to", "mime-version", "in-reply-to", "references",
)  # fmt: skip
_MAX_DEPTH = 30  # MIME nesting beyond this is not walked (the raw message keeps it)
_MAX_REFS = 50
_MAX_ID = 900
_DAEMONS = ("mailer-daemon", "postmaster")


class NotMail(InvalidInput):
    """The input is not a mail message at all (exit code 2)."""


@dataclass(frozen=True, slots=True)
class Attachment:
    name: str
    type: str
    size: int

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "type": self.type, "size": self.size}


@dataclass(slots=True)
class ParsedMail:
    """What deskterm keeps of a message besides its bytes."""

    message_id: str  # "<...>"; made from the bytes' hash when the header is missing
    has_message_id: bool
    in_reply_to: str
    references: tuple[str, ...]
    subject: str
    date_header: str
    date_at: datetime | None  # the Date header in UTC, None when unreadable
    from_name: str
    from_email: str  # lower case; "" when there is no usable sender
    from_addr: str  # as shown: "Name <email>"
    to: str
    cc: str
    text: str  # the whole text (text/plain preferred; HTML turned into text)
    fresh: str  # the text without the earlier mail it quotes
    html_as_text: bool
    attachments: list[Attachment] = field(default_factory=list)
    automatic: bool = False
    size: int = 0


def parse(raw: bytes) -> ParsedMail:
    """The fields of the message in ``raw``; NotMail when it is not a message at all."""
    if not raw.strip():
        raise NotMail("not a mail message: the input is empty")
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    names = {k.lower() for k in msg}
    if not names.intersection(_MAIL_HEADERS):
        raise NotMail("not a mail message: no mail header lines (From:, Date:, Subject: …)")
    body = _Body()
    body.walk(msg, 0)
    text, html_as_text = body.text()
    mid, has_id = _message_id(_get(msg, "Message-ID"), raw)
    refs = _ids(_all(msg, "References") or [])
    reply_to = _ids(_all(msg, "In-Reply-To") or [])
    name, address = _sender(msg)
    date_header = header_text(_get(msg, "Date"))
    return ParsedMail(
        message_id=mid,
        has_message_id=has_id,
        in_reply_to=reply_to[0] if reply_to else "",
        references=refs[-_MAX_REFS:],
        subject=header_text(_get(msg, "Subject")),
        date_header=date_header,
        date_at=parse_date(date_header),
        from_name=name,
        from_email=address,
        from_addr=format_address(name, address) if address else header_text(_get(msg, "From")),
        to=", ".join(header_text(v) for v in _all(msg, "To") or []),
        cc=", ".join(header_text(v) for v in _all(msg, "Cc") or []),
        text=text,
        fresh=split_reply(text),
        html_as_text=html_as_text,
        attachments=body.attachments,
        automatic=_automatic(msg, address),
        size=len(raw),
    )


def _all(msg: Message, name: str) -> list[str]:
    """Every value of a header as received (8-bit bytes kept as surrogates, not "?")."""
    wanted = name.lower()
    return [str(v) for k, v in msg.raw_items() if k.lower() == wanted]


def _get(msg: Message, name: str) -> str | None:
    values = _all(msg, name)
    return values[0] if values else None


def reply_to(raw: bytes) -> str:
    """Where the sender asked answers to go (their Reply-To), "" when they did not."""
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    msg = email.message_from_bytes(head + b"\r\n\r\n", policy=policy.compat32)
    addresses = []
    for value in _all(msg, "Reply-To"):
        try:
            pairs = getaddresses([value.replace("\r", " ").replace("\n", " ")])
        except (TypeError, ValueError, IndexError):
            continue
        for name, address in pairs:
            address = clean(address.strip())
            if _usable(address):
                shown = header_text(name).strip().strip('"').strip()
                addresses.append(format_address(shown, address))
    return ", ".join(addresses)


def format_address(name: str, address: str) -> str:
    """``Name <address>``, or the address alone."""
    return f"{name} <{address}>" if name else address


def parse_date(value: str) -> datetime | None:
    """A Date header in UTC (a zone-less one is taken as UTC); None when unreadable."""
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return when.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def _ids(values: list[object]) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        found.extend(_ID.findall(header_text(value)))
    return tuple(dict.fromkeys(i for i in found if len(i) <= _MAX_ID))


def _message_id(value: object, raw: bytes) -> tuple[str, bool]:
    ids = _ID.findall(header_text(value)) if value is not None else []
    if ids and len(ids[0]) <= _MAX_ID:
        return ids[0], True
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@deskterm.invalid>", False


def _sender(msg: Message) -> tuple[str, str]:
    """(display name, lower-case address) of From, else Sender; ("", "") when unusable."""
    for header in ("From", "Sender"):
        values = _all(msg, header)
        for value in values:
            raw = str(value)
            try:
                pairs = getaddresses([raw.replace("\r", " ").replace("\n", " ")])
            except (TypeError, ValueError, IndexError):
                continue
            for name, address in pairs:
                address = clean(address.strip())
                if _usable(address):
                    return header_text(name).strip().strip('"').strip(), address.lower()
    return "", ""


def _usable(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    return bool(at and local and "." in domain and not any(c.isspace() for c in address))


def _automatic(msg: Message, address: str) -> bool:
    """Mail no person wrote: auto-replies, lists, bulk, bounces and delivery reports."""
    auto = header_text(_get(msg, "Auto-Submitted")).split(";")[0].strip().lower()
    if auto and auto != "no":
        return True
    if header_text(_get(msg, "Precedence")).strip().lower() in ("bulk", "list", "junk"):
        return True
    if _get(msg, "X-Autoreply") is not None or _get(msg, "X-Autorespond") is not None:
        return True
    if _content_type(msg) == "multipart/report":
        return True
    if header_text(_get(msg, "Return-Path")).strip() == "<>":
        return True
    return address.partition("@")[0] in _DAEMONS


def _content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # a Content-Type header too broken to read is plain text
        return "text/plain"


class _Body:
    """Collects the first readable text, the first HTML, and every attachment."""

    def __init__(self) -> None:
        self.plain: str | None = None
        self.html: str | None = None
        self.attachments: list[Attachment] = []

    def text(self) -> tuple[str, bool]:
        if self.plain is not None:
            return self.plain, False
        if self.html is not None:
            return clean(html_to_text(self.html)), True
        return "", False

    def walk(self, part: Message, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        ctype = _content_type(part)
        if part.is_multipart():
            if ctype.startswith("message/") and depth > 0:
                self._attach(part, ctype)
                return
            for sub in part.get_payload() or []:
                if isinstance(sub, Message):
                    self.walk(sub, depth + 1)
            return
        name = _filename(part)
        disposition = _disposition(part)
        is_text = ctype in ("text/plain", "text/html") or ctype.startswith("multipart/")
        if name or disposition == "attachment" or not is_text:
            self._attach(part, ctype, name)
            return
        content = _decoded(part)
        if ctype == "text/html":
            if self.html is None:
                self.html = content
        elif self.plain is None:
            self.plain = content
        else:
            self.attachments.append(Attachment("", "text/plain", len(content.encode())))

    def _attach(self, part: Message, ctype: str, name: str = "") -> None:
        size = len(_payload_bytes(part))
        if not name and ctype.startswith("message/"):
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                name = header_text(inner[0].get("Subject"))
        self.attachments.append(Attachment(name, ctype, size))


def _filename(part: Message) -> str:
    try:
        name = part.get_filename()
    except Exception:
        return ""
    if not name:
        return ""
    if isinstance(name, tuple):  # an RFC 2231 value collapse_rfc2231_value could not read
        name = name[2] if len(name) > 2 else ""
    return header_text(name)


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:
        return ""


def _payload_bytes(part: Message) -> bytes:
    """The decoded body of a part (a nested message as its text); never raises."""
    try:
        if part.is_multipart():
            return part.as_bytes()
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    if isinstance(payload, str):
        return payload.encode("utf-8", "surrogateescape")
    return b""


def _decoded(part: Message) -> str:
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = decode_bytes(_payload_bytes(part), charset)
    return clean(text.replace("\r\n", "\n").replace("\r", "\n"))
