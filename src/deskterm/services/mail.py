"""The mail service: what the desk and the CLI call for messages in and out.

Decisions every caller can rely on:

- A message is stored on its person (found by the From address, case-insensitively);
  an unknown sender becomes a new person tagged ``new``; mail without a usable sender
  is *unsorted* (no person) until an agent files it with ``file_unsorted``.
- The timeline gets append-only entries, never updated: ``message`` when a message
  arrives or an answer is written (``data``: ``{"message": id, "direction": "in"|"out"}``,
  text: the subject), ``contact`` (channel ``email``) when the server accepted an
  answer — that ends "waiting" — and ``not_sent`` ("not sent — reason") when the server
  refused it. The current state of a message is always in ``message(id)``.
- A person is *waiting* while their latest incoming, non-automatic message has no
  contact (a sent answer, a logged call) after it (``Person.s_waiting_since``).
- The outbox: ``queue_message`` stores the answer with its Message-ID fixed, *then*
  ``send_queued`` claims it in a transaction (status ``sending``, so two desks never
  send the same message), hands it to the server, and marks it ``sent`` only when the
  server accepted it. Unreachable server: back to ``queued`` with the reason; refused:
  ``failed`` with the reason. Both are retried by ``send_queued`` (``mail flush``).

Every method opens its own short transaction; run them in a worker, never on the
event loop. Errors are ``DeskError`` subclasses with one-line messages.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from deskterm.errors import InvalidInput, NotFound
from deskterm.mail import compose as c
from deskterm.mail.threads import Link, thread_of
from deskterm.models import Message, MessageRaw
from deskterm.services import validate as v
from deskterm.services.mail_views import (
    LIST_COLUMNS,
    MessageDetail,
    MessageView,
    Received,
    SendResult,
    preview_of,
    view_of,
)

if TYPE_CHECKING:
    from deskterm.config.settings import MailSection
    from deskterm.mail.imap import ImapSource
    from deskterm.mail.smtp import SmtpTransport, Transport
    from deskterm.services.desk import Desk
    from deskterm.services.mail_in import MaildirResult

PAGE = 50
MAX_BODY = 1_000_000  # characters an agent may write in one message


class Mail:
    """Messages for one agent's desk; ``settings`` is the ``[mail]`` section (optional
    for reading and receiving; sending needs ``[mail] from``)."""

    def __init__(self, desk: Desk, settings: MailSection | None = None) -> None:
        self.desk = desk
        self.settings = settings

    # -- reading ----------------------------------------------------------------------
    def messages(
        self, person_id: int, before: MessageView | None = None, limit: int = PAGE
    ) -> list[MessageView]:
        """A person's messages, newest first; pass the last one as ``before`` for the
        next (older) page. Lists never load whole texts or raw bytes."""

        def q(s: Session) -> list[MessageView]:
            query = select(*LIST_COLUMNS, Message.fresh).where(Message.person_id == person_id)
            if before is not None:
                query = query.where(
                    or_(
                        Message.at < before.at,
                        and_(Message.at == before.at, Message.id < before.id),
                    )
                )
            rows = s.execute(query.order_by(Message.at.desc(), Message.id.desc()).limit(limit))
            return [view_of(r, preview_of(r.fresh)) for r in rows]

        return self.desk._run(q)

    def message(self, message_id: int) -> MessageDetail:
        """One message whole: its text, the new part, the quoted part, attachments."""

        def q(s: Session) -> MessageDetail:
            m = s.get(Message, message_id)
            if m is None:
                raise NotFound(f"no message with id {message_id}")
            fresh = m.fresh or m.text
            quoted = ""
            if fresh != m.text:
                at = m.text.find(fresh)
                quoted = m.text[at + len(fresh) :].strip("\n") if at >= 0 else m.text
            return MessageDetail(view_of(m, preview_of(fresh)), m.text, fresh, quoted)

        return self.desk._run(q)

    def thread(self, message_id: int) -> list[MessageView]:
        """Every stored message of the thread ``message_id`` is in, oldest first."""

        def q(s: Session) -> list[MessageView]:
            m = s.get(Message, message_id)
            if m is None:
                raise NotFound(f"no message with id {message_id}")
            target = Link(m.id or 0, m.message_id, m.in_reply_to, tuple(m.refs.split()))
            named = [*target.references, target.in_reply_to]
            near = select(Message.id, Message.message_id, Message.in_reply_to, Message.refs)
            where = Message.message_id.in_([n for n in named if n])
            if m.person_id is not None:
                where = or_(where, Message.person_id == m.person_id)
            links = [
                Link(r[0], r[1], r[2], tuple(r[3].split())) for r in s.execute(near.where(where))
            ]
            ids = thread_of(target, links)
            rows = s.execute(select(*LIST_COLUMNS, Message.fresh).where(Message.id.in_(ids)))
            found = [view_of(r, preview_of(r.fresh)) for r in rows]
            return sorted(found, key=lambda x: (x.at, x.id))

        return self.desk._run(q)

    def unsorted(self, limit: int = 500) -> list[MessageView]:
        """Incoming mail with no usable sender, newest first, waiting to be filed."""

        def q(s: Session) -> list[MessageView]:
            rows = s.execute(
                select(*LIST_COLUMNS, Message.fresh)
                .where(Message.person_id.is_(None))
                .order_by(Message.at.desc(), Message.id.desc())
                .limit(limit)
            )
            return [view_of(r, preview_of(r.fresh)) for r in rows]

        return self.desk._run(q)

    def outbox(self) -> list[MessageView]:
        """Answers not sent yet (queued, being sent, failed), oldest first."""

        def q(s: Session) -> list[MessageView]:
            rows = s.execute(
                select(*LIST_COLUMNS, Message.fresh)
                .where(Message.status.in_(("queued", "sending", "failed")))
                .order_by(Message.at, Message.id)
            )
            return [view_of(r, preview_of(r.fresh)) for r in rows]

        return self.desk._run(q)

    def raw(self, message_id: int) -> bytes:
        """The message's bytes exactly as received or sent."""

        def q(s: Session) -> bytes:
            row = s.get(MessageRaw, message_id)
            if row is None:
                if s.get(Message, message_id) is None:
                    raise NotFound(f"no message with id {message_id}")
                raise NotFound(f"message {message_id} has no raw bytes (it was imported)")
            return bytes(row.raw)

        return self.desk._run(q)

    def latest_incoming(self, person_id: int) -> MessageView | None:
        """The message ``r`` answers: the person's newest incoming mail, preferring mail a
        person wrote over automatic mail."""

        def q(s: Session) -> MessageView | None:
            base = select(*LIST_COLUMNS, Message.fresh).where(
                Message.person_id == person_id, Message.direction == "in"
            )
            order = (Message.automatic, Message.at.desc(), Message.id.desc())
            row = s.execute(base.order_by(*order).limit(1)).first()
            return view_of(row, preview_of(row.fresh)) if row else None

        return self.desk._run(q)

    # -- writing ----------------------------------------------------------------------
    def reply_template(self, person_id: int) -> Compose:
        """What ``r`` opens: To the sender (their Reply-To when they set one), "Re:
        subject" (never "Re: Re:"), In-Reply-To and References set, the text empty above
        the signature ([mail] signature) and the quoted original below. Without any
        incoming mail it is ``new_template``."""
        original = self.latest_incoming(person_id)
        if original is None:
            return self.new_template(person_id)
        detail = self.message(original.id)
        quoted = c.quote(detail.fresh, original.from_addr, original.date_at or original.at)
        return Compose(
            to=self._reply_to(original.id) or original.from_addr,
            subject=c.reply_subject(original.subject),
            text=c.with_signature("\n", self._signature()) + "\n" + quoted,
            in_reply_to=original.message_id,
            references=c.reply_references(original.references, original.message_id),
        )

    def _reply_to(self, message_id: int) -> str:
        """The Reply-To of a received message, read from its bytes ("" when none)."""
        try:
            data = self.raw(message_id)
        except NotFound:  # imported mail keeps no bytes
            return ""
        from deskterm.mail.parse import reply_to

        return reply_to(data)

    def new_template(self, person_id: int) -> Compose:
        """What ``w`` opens: To the person's email, no subject, the signature."""
        person = self.desk.get_person(person_id)
        if not person.email:
            raise InvalidInput(f"{person.name} has no email address to write to")
        to = c.one_line(f'"{person.name}" <{person.email}>') if person.name else person.email
        return Compose(to=to, subject="", text=c.with_signature("\n", self._signature()))

    def queue_message(
        self, person_id: int, compose: Compose, write_id: str | None = None
    ) -> MessageView:
        """Store an answer in the outbox (status ``queued``) with its Message-ID fixed now.

        Nothing is sent here: ``send_queued`` does that. The same ``write_id`` twice
        stores one message and returns it both times. Needs ``[mail] from``.
        """
        from deskterm.services.outbox import queue

        return queue(self, person_id, compose, write_id)

    def send_queued(
        self,
        transport: Transport,
        *,
        retry_failed: bool = True,
        limit: int | None = None,
        only: int | None = None,
    ) -> list[SendResult]:
        """Hand every queued (and, with ``retry_failed``, failed) message to ``transport``
        (``only``: just that message), oldest first.

        Stops at the first "server unreachable" (the rest stay queued). Returns what
        happened to each message it tried; an empty list when there was nothing to send.
        A message another desk is sending right now is left alone.
        """
        from deskterm.services.outbox import send_queued

        return send_queued(self, transport, retry_failed=retry_failed, limit=limit, only=only)

    def receive(self, raw: bytes) -> Received:
        """Store one incoming message (bytes as received); a duplicate stores nothing.

        Raises ``NotMail`` (bad input, exit 2) when ``raw`` is no mail message at all,
        ``StorageError`` when the database cannot be written (the MTA should retry).
        """
        from deskterm.services.mail_in import receive

        return receive(self, raw)

    def receive_maildir(self, folder: Path) -> MaildirResult:
        """Store every message in ``folder/new``, moving each to ``cur/`` (seen) only
        after it is stored; a second run stores nothing twice."""
        from deskterm.services.mail_in import receive_maildir

        return receive_maildir(self, Path(folder))

    def file_unsorted(self, message_id: int, person_id: int) -> MessageView:
        """File an unsorted message on a person (it then counts as their mail)."""
        from deskterm.services.mail_in import file_unsorted

        return file_unsorted(self, message_id, person_id)

    # -- the servers (run these in workers) ---------------------------------------------
    def transport(self) -> SmtpTransport:
        """The SMTP server of ``[mail.smtp]`` (sending fails with a reason when unset)."""
        from deskterm.mail.smtp import SmtpTransport

        smtp = self.settings.smtp if self.settings else None
        return SmtpTransport.from_settings(smtp) if smtp else SmtpTransport("")

    def flush(self) -> list[SendResult]:
        """Send (and retry) everything in the outbox through ``[mail.smtp]``; what the
        desk's outbox worker runs every few minutes and ``mail flush`` runs once."""
        return self.send_queued(self.transport(), retry_failed=True)

    def imap_source(self) -> ImapSource | None:
        """The mailbox of ``[mail.imap]``, or None when no host is set."""
        from deskterm.mail.imap import ImapSource

        imap = self.settings.imap if self.settings else None
        return ImapSource.from_settings(imap) if imap and imap.host else None

    def fetch_once(self) -> int:
        """Store the unseen mail of ``[mail.imap]`` (flagged seen only once stored)."""
        from deskterm.services.mail_fetch import fetch_once

        source = self.imap_source()
        if source is None:
            raise InvalidInput("no IMAP server: set [mail.imap] host")
        return fetch_once(self, source)

    def watch(
        self,
        stop: Callable[[], bool],
        on_stored: Callable[[int], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> None:
        """Fetch and keep watching ``[mail.imap]`` (IDLE, else polling) until ``stop()``;
        errors go to ``on_error`` and are retried. The desk runs this in a worker."""
        from deskterm.services.mail_fetch import watch

        source = self.imap_source()
        if source is None:
            raise InvalidInput("no IMAP server: set [mail.imap] host")
        poll = self.settings.imap.poll_seconds if self.settings else 60.0
        watch(self, source, stop=stop, poll_seconds=poll, on_stored=on_stored, on_error=on_error)

    def own_address(self) -> str:
        """The bare address of ``[mail] from`` in lower case ("" when unset)."""
        sender = self.settings.sender if self.settings else ""
        return c.sender_address(sender).lower() if sender else ""

    def _signature(self) -> str:
        return self.settings.signature if self.settings else ""

    def _sender(self) -> str:
        sender = self.settings.sender if self.settings else ""
        if not sender:
            raise InvalidInput('no sender: set [mail] from = "Support <support@example.com>"')
        return sender


Compose = c.Compose


def clean_compose(compose: Compose) -> Compose:
    """The compose with its text made storable and its header fields on one line."""
    if not c.recipients(compose.to, compose.cc):
        raise InvalidInput(f"to: no mail address in {compose.to!r}")
    text = v.clean_text(compose.text, "text", limit=MAX_BODY)
    return Compose(
        to=c.one_line(v.storable(compose.to)),
        subject=c.one_line(v.storable(compose.subject)),
        text=text,
        cc=c.one_line(v.storable(compose.cc)),
        in_reply_to=c.one_line(compose.in_reply_to),
        references=tuple(c.one_line(r) for r in compose.references if r.strip()),
    )


def dump_attachments(items: list) -> str:
    return json.dumps([a.as_dict() for a in items], ensure_ascii=False)


__all__ = ["Compose", "Mail", "MessageDetail", "MessageView", "Received", "SendResult"]
