"""The outbox: stored first, handed to the server second, marked sent third.

A message is claimed (status ``sending``) in its own transaction before it is handed
over, so two desks flushing at once never send the same message; a claim older than
``CLAIM_TIMEOUT`` is taken to be from a desk that died mid-send and is tried again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from email.utils import format_datetime
from typing import TYPE_CHECKING

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from deskterm.mail import compose as c
from deskterm.mail.smtp import SendError
from deskterm.mail.text import split_reply
from deskterm.models import Entry, Message, MessageRaw
from deskterm.services.mail_views import MessageView, SendResult, preview_of, view_of

if TYPE_CHECKING:
    from deskterm.mail.smtp import Transport
    from deskterm.services.mail import Compose, Mail

CLAIM_TIMEOUT = timedelta(minutes=10)


def queue(mail: Mail, person_id: int, compose: Compose, write_id: str | None) -> MessageView:
    from deskterm.services.mail import clean_compose

    compose = clean_compose(compose)
    sender = mail._sender()
    desk = mail.desk
    with desk._write() as session:
        if write_id:
            done = _by_write_id(session, write_id)
            if done is not None:
                return done
        person = desk._lock(session, person_id)
        now = desk.clock()
        message_id = c.new_message_id(sender)
        raw = c.build(compose, from_addr=sender, message_id=message_id, date=now)
        message = Message(
            person_id=person.id,
            direction="out",
            message_id=message_id,
            in_reply_to=compose.in_reply_to,
            refs=" ".join(compose.references),
            subject=compose.subject,
            date_header=format_datetime(now),
            date_at=now,
            at=now,
            from_addr=sender,
            from_email=c.sender_address(sender).lower(),
            to_addrs=compose.to,
            cc_addrs=compose.cc,
            text=compose.text,
            fresh=split_reply(compose.text),
            size=len(raw),
            status="queued",
            agent=desk.agent,
            write_id=write_id,
        )
        session.add(message)
        session.flush()
        session.add(MessageRaw(message=message.id, raw=raw))
        desk._append(
            session,
            person,
            "message",
            message.subject,
            channel="email",
            data={"message": message.id, "direction": "out"},
            at=now,
        )
        desk._finish(session, person)
        return view_of(message, preview_of(message.fresh))


def _by_write_id(session: Session, write_id: str) -> MessageView | None:
    m = session.execute(select(Message).where(Message.write_id == write_id)).scalars().first()
    return view_of(m, preview_of(m.fresh)) if m else None


@dataclass(frozen=True, slots=True)
class _Claim:
    id: int
    person_id: int | None
    subject: str
    was: str  # the status before the claim
    sender: str
    recipients: list[str]
    raw: bytes


def send_queued(
    mail: Mail, transport: Transport, *, retry_failed: bool, limit: int | None, only: int | None
) -> list[SendResult]:
    results: list[SendResult] = []
    tried: set[int] = set()
    while limit is None or len(results) < limit:
        claim = _claim(mail, retry_failed, tried, only)
        if claim is None:
            break
        tried.add(claim.id)
        try:
            if not claim.recipients:
                raise SendError("no recipient address", unreachable=False)
            transport.send(claim.sender, claim.recipients, claim.raw)
        except SendError as err:
            _give_back(mail, claim, err)
            results.append(SendResult(claim.id, claim.person_id, claim.subject, False, err.reason))
            if err.unreachable:
                break
            continue
        except Exception as exc:  # a transport bug must not leave the message claimed
            err = SendError(f"{type(exc).__name__}: {exc}", unreachable=True)
            _give_back(mail, claim, err)
            results.append(SendResult(claim.id, claim.person_id, claim.subject, False, err.reason))
            break
        _mark_sent(mail, claim)
        results.append(SendResult(claim.id, claim.person_id, claim.subject, True))
    return results


def _claim(mail: Mail, retry_failed: bool, tried: set[int], only: int | None) -> _Claim | None:
    desk = mail.desk
    with desk._write() as session:
        now = desk.clock()
        ready = or_(
            Message.status == "queued",
            and_(Message.status == "sending", Message.claimed_at < now - CLAIM_TIMEOUT),
        )
        if retry_failed:
            ready = or_(ready, Message.status == "failed")
        query = select(Message).where(Message.direction == "out", ready)
        if tried:
            query = query.where(Message.id.not_in(sorted(tried)))
        if only is not None:
            query = query.where(Message.id == only)
        query = query.order_by(Message.at, Message.id).limit(1)
        m = session.execute(query.with_for_update(skip_locked=True)).scalars().first()
        if m is None:
            return None
        was = m.status
        m.status, m.claimed_at, m.attempts = "sending", now, m.attempts + 1
        session.add(m)
        raw = session.get(MessageRaw, m.id)
        return _Claim(
            id=m.id or 0,
            person_id=m.person_id,
            subject=m.subject,
            was=was,
            sender=m.from_email,
            recipients=c.recipients(m.to_addrs, m.cc_addrs),
            raw=bytes(raw.raw) if raw else b"",
        )


def _mark_sent(mail: Mail, claim: _Claim) -> None:
    desk = mail.desk
    with desk._write() as session:
        person = desk._lock(session, claim.person_id) if claim.person_id else None
        m = session.get(Message, claim.id, with_for_update=True)
        if m is None:  # erased while it was being sent
            return
        now = desk.clock()
        m.status, m.sent_at, m.failure, m.claimed_at = "sent", now, "", None
        session.add(m)
        if person is not None:
            entry: Entry = desk._append(
                session,
                person,
                "contact",
                f"sent “{m.subject}”" if m.subject else "sent a message",
                channel="email",
                data={"message": m.id, "direction": "out"},
                at=now,
            )
            entry.agent = m.agent or desk.agent  # the contact is the writer's, not the flusher's
            desk._finish(session, person)


def _give_back(mail: Mail, claim: _Claim, err: SendError) -> None:
    """Unreachable: back to queued with the reason. Refused: failed, with a timeline line
    the first time ("not sent — reason")."""
    desk = mail.desk
    with desk._write() as session:
        person = desk._lock(session, claim.person_id) if claim.person_id else None
        m = session.get(Message, claim.id, with_for_update=True)
        if m is None:
            return
        refused = not err.unreachable
        m.status = "failed" if refused or claim.was == "failed" else "queued"
        m.failure, m.claimed_at = err.reason, None
        session.add(m)
        if person is not None and m.status == "failed" and claim.was != "failed":
            entry: Entry = desk._append(
                session,
                person,
                "not_sent",
                f"not sent — {err.reason}",
                channel="email",
                data={"message": m.id, "direction": "out"},
            )
            entry.agent = m.agent or desk.agent
            desk._finish(session, person)
