"""Storing incoming mail on its person (``Mail.receive``) and filing unsorted mail."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session

from deskterm.clock import to_epoch
from deskterm.errors import InvalidInput, NotFound, StorageError
from deskterm.mail.maildir import Delivery, check_maildir, new_messages
from deskterm.mail.parse import NotMail, ParsedMail, parse
from deskterm.models import Change, Message, MessageRaw, Person
from deskterm.services import validate as v
from deskterm.services.mail_views import MessageView, Received, preview_of, view_of
from deskterm.services.summary import subjects_text
from deskterm.storage.faults import storage_error

if TYPE_CHECKING:
    from deskterm.services.desk import Desk
    from deskterm.services.mail import Mail

NEW_TAG = "new"


def receive(mail: Mail, raw: bytes) -> Received:
    parsed = parse(raw)  # NotMail before anything is written
    return store_all(mail, [(parsed, raw)])[0]


def store_all(mail: Mail, items: list[tuple[ParsedMail, bytes]]) -> list[Received]:
    """Store parsed messages in one transaction (all or none); duplicates store nothing.

    A message another receiver stored at the same moment makes the transaction fail;
    the messages are then stored one at a time, so that one is reported a duplicate.
    """
    desk = mail.desk
    try:
        with desk._write() as session:
            return [_store(mail, session, parsed, raw) for parsed, raw in items]
    except IntegrityError as exc:  # another receiver stored one of them a moment ago
        if len(items) > 1:
            return [r for item in items for r in store_all(mail, [item])]
        parsed = items[0][0]
        with Session(desk.engine) as session:
            known = _stored(session, parsed.message_id)
        if known is None:  # refused for another reason: not stored, say so
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise StorageError(f"the message was not stored: {reason}") from None
        return [Received(known, duplicate=True, new_person=False)]
    except DBAPIError as exc:  # refused by the database (a trigger, a full disk): not stored
        raise storage_error(exc, "the message was not stored") from None


def _store(mail: Mail, session: Session, parsed: ParsedMail, raw: bytes) -> Received:
    desk = mail.desk
    known = _stored(session, parsed.message_id)
    if known is not None:
        return Received(known, duplicate=True, new_person=False)
    person, created = _person_for(mail, session, parsed)
    message = _message(parsed, person, desk.clock(), desk.agent)
    session.add(message)
    session.flush()
    session.add(MessageRaw(message=message.id, raw=raw))
    if person is not None:
        _log_message(desk, session, person, message)
        if created:  # their whole history: "created" and this message
            person.s_last_activity = to_epoch(person.created_at)
        _one_more_message(session, person, message, desk.clock())
    return Received(view_of(message, preview_of(message.fresh)), False, created)


def _one_more_message(session: Session, person: Person, message: Message, now) -> None:  # type: ignore[no-untyped-def]
    """What ``refresh_summary`` would change for one more incoming message, without
    re-reading the person's rows (the mail path's hot spot): the waiting time and the
    subjects; then the change row that tells the other desks."""
    at = to_epoch(message.at)
    answered = person.s_last_contact
    if not message.automatic and at is not None and (answered is None or at > answered):
        person.s_waiting_since = max(person.s_waiting_since or at, at)
    person.s_subjects = subjects_text([message.subject, person.s_subjects])
    session.add(person)
    session.add(Change(person_id=person.id, op="upsert", at=now))


def _stored(session: Session, message_id: str) -> MessageView | None:
    found = session.execute(select(Message).where(Message.message_id == message_id)).scalars()
    m = found.first()
    return view_of(m, preview_of(m.fresh)) if m else None


def _person_for(mail: Mail, session: Session, parsed: ParsedMail) -> tuple[Person | None, bool]:
    """The sender's person (locked), a new one for an unknown sender, or None (no usable
    sender, or our own [mail] from address: a loop or a copy is no customer)."""
    address = parsed.from_email
    if not address or address == mail.own_address():
        return None, False
    found = session.execute(
        select(Person).where(Person.email == address).with_for_update()
    ).scalars()
    person = found.first()
    if person is not None:
        return person, False
    try:
        email = v.clean_email(address)
    except InvalidInput:  # an address our profile rules refuse: keep the mail unsorted
        return None, False
    now, agent = mail.desk.clock(), mail.desk.agent
    person = Person(
        name=_name(parsed.from_name, address),
        email=email,
        tags=v.encode_tags([NEW_TAG]),
        created_at=now,
        created_by=agent,
        updated_at=now,
        updated_by=agent,
    )
    session.add(person)
    session.flush()
    mail.desk._append(session, person, "created", f"added {person.name} from their mail")
    return person, True


def _name(display: str, address: str) -> str:
    for candidate in (display, address.partition("@")[0], address):
        try:
            return v.clean_name(candidate)
        except InvalidInput:
            continue
    return address


def _message(parsed: ParsedMail, person: Person | None, now, agent: str) -> Message:  # type: ignore[no-untyped-def]
    from deskterm.services.mail import dump_attachments

    return Message(
        person_id=person.id if person else None,
        direction="in",
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        refs=" ".join(parsed.references),
        subject=parsed.subject,
        date_header=parsed.date_header,
        date_at=parsed.date_at,
        at=now,
        from_addr=parsed.from_addr,
        from_email=parsed.from_email,
        to_addrs=parsed.to,
        cc_addrs=parsed.cc,
        text=parsed.text,
        fresh=parsed.fresh,
        html_as_text=parsed.html_as_text,
        attachments=dump_attachments(parsed.attachments),
        size=parsed.size,
        status="received",
        agent=agent,
        automatic=parsed.automatic,
    )


def _log_message(desk: Desk, session: Session, person: Person, message: Message) -> None:
    """The timeline entry of an incoming message, on the person it is filed on."""
    data = {"message": message.id, "direction": message.direction, "automatic": message.automatic}
    desk._append(
        session, person, "message", message.subject, channel="email", data=data, at=message.at
    )


def file_unsorted(mail: Mail, message_id: int, person_id: int) -> MessageView:
    desk = mail.desk
    with desk._write() as session:
        person = desk._lock(session, person_id)
        message = session.get(Message, message_id, with_for_update=True)
        if message is None:
            raise NotFound(f"no message with id {message_id}")
        if message.person_id is not None:
            if message.person_id == person_id:
                return view_of(message, preview_of(message.fresh))
            raise InvalidInput(
                f"message {message_id} is already filed on person {message.person_id}"
            )
        message.person_id = person.id
        session.add(message)
        _log_message(desk, session, person, message)
        desk._finish(session, person)
        return view_of(message, preview_of(message.fresh))


__all__ = ["file_unsorted", "receive"]


@dataclass(slots=True)
class MaildirResult:
    """What ``receive_maildir`` did: counts, and the files that are not mail (left in new/)."""

    stored: int = 0
    duplicates: int = 0
    bad: list[tuple[str, str]] = field(default_factory=list)  # (file name, why)


MAILDIR_BATCH = 100  # messages stored per transaction by receive_maildir


def receive_maildir(mail: Mail, folder: Path) -> MaildirResult:
    """Store each message of ``folder/new`` and only then move it to ``cur/`` as seen.

    Messages are stored a batch per transaction and filed only after it committed. A
    file that is not mail stays in ``new/`` and is reported; a database failure stops
    the run with the batch's messages still in ``new/`` (run again later).
    """
    result = MaildirResult()
    batch: list[tuple[Delivery, ParsedMail, bytes]] = []
    with _held_open(mail.desk.engine):
        for delivery in new_messages(check_maildir(folder)):
            try:
                data = delivery.read()
                batch.append((delivery, parse(data), data))
            except FileNotFoundError:  # another reader filed it meanwhile
                continue
            except NotMail as exc:
                result.bad.append((delivery.path.name, str(exc)))
                continue
            if len(batch) >= MAILDIR_BATCH:
                _store_batch(mail, batch, result)
                batch = []
        _store_batch(mail, batch, result)
    return result


def _store_batch(
    mail: Mail, batch: list[tuple[Delivery, ParsedMail, bytes]], result: MaildirResult
) -> None:
    if not batch:
        return
    stored = store_all(mail, [(parsed, data) for _, parsed, data in batch])
    for (delivery, _, _), got in zip(batch, stored, strict=True):
        delivery.file_as_seen()
        if got.duplicate:
            result.duplicates += 1
        else:
            result.stored += 1


@contextmanager
def _held_open(engine: Engine) -> Iterator[None]:
    """Keep one SQLite connection open through a run: each transaction opens and closes
    its own, and closing the last one checkpoints the WAL every time."""
    if engine.dialect.name != "sqlite":
        yield
        return
    with engine.connect():
        yield
