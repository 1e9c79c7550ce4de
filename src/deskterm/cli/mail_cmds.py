"""``deskterm mail …``: mail in (an MTA pipe, a Maildir, IMAP) and out (SMTP)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from deskterm.cli.context import Context
from deskterm.cli.logging_cmds import PERSON_HELP
from deskterm.cli.parser import command
from deskterm.cli.safe import say, warn
from deskterm.errors import BadDatabaseURL, InvalidInput, StorageError

if TYPE_CHECKING:
    from deskterm.services.mail import Mail

EX_TEMPFAIL = 75  # sysexits.h: the MTA keeps the message and tries again later


def register(sub: argparse._SubParsersAction) -> None:
    mail = sub.add_parser(
        "mail",
        help="mail in and out: receive, fetch, send, flush, unsorted, raw",
        description="Customers' mail in (an MTA pipe, a Maildir, IMAP) and answers out (SMTP).",
    )
    verbs = mail.add_subparsers(dest="mail_command", metavar="COMMAND", title="commands")
    mail.set_defaults(func=lambda ctx: _usage(mail))

    p = command(
        verbs,
        "receive",
        receive,
        summary="store one message from standard input (for an MTA pipe), or a Maildir",
        description="Store the RFC 5322 message on standard input on its sender's person. "
        "Exit 0 when stored or already stored, 2 when the input is not mail, 75 when the "
        "database cannot be written (the MTA then keeps it and retries).",
        examples=[
            "deskterm mail receive < message.eml",
            'support: "|/usr/local/bin/deskterm mail receive"   (a Postfix alias)',
            "deskterm mail receive --maildir ~/Maildir",
        ],
    )
    p.add_argument(
        "--maildir", metavar="DIR", help="store every message of DIR/new, moving each to cur/"
    )

    p = command(
        verbs,
        "fetch",
        fetch,
        summary="fetch unseen mail from [mail.imap] and keep watching",
        description="Store the unseen messages of the [mail.imap] folder, flagging each seen "
        "only after it is stored, then keep watching (IDLE where the server offers it).",
        examples=["deskterm mail fetch --once", "deskterm mail fetch"],
    )
    p.add_argument("--once", action="store_true", help="fetch what is there now, then stop")

    p = command(
        verbs,
        "send",
        send,
        summary="write to PERSON: the body on standard input, sent through [mail.smtp]",
        description="Queue a message to PERSON (the body is read from standard input) and "
        "send it. If the server cannot take it, it stays in the outbox for `mail flush`.",
        examples=['echo "Your refund is on its way." | deskterm mail send jim@example.com '
                  '--subject "Your refund"'],
    )  # fmt: skip
    p.add_argument("person", metavar="PERSON", help=PERSON_HELP)
    p.add_argument("--subject", "-s", required=True, help="the subject line")
    p.add_argument("--to", help="the address (default: the person's email)")

    command(
        verbs,
        "flush",
        flush,
        summary="send everything in the outbox (queued and failed messages)",
        description="Hand every queued or failed message to [mail.smtp]; exit 1 if any "
        "could not be sent (it stays in the outbox).",
        examples=["deskterm mail flush"],
    )
    p = command(
        verbs,
        "unsorted",
        unsorted,
        summary="list incoming mail with no usable sender",
        description="Mail that could not be put on a person; file it on one from the desk.",
        examples=["deskterm mail unsorted"],
    )
    p = command(
        verbs,
        "raw",
        raw,
        summary="print a stored message byte for byte",
        description="Write message ID exactly as it was received or sent to standard output.",
        examples=["deskterm mail raw 42 > message.eml"],
    )
    p.add_argument("id", metavar="ID", type=int, help="the message id")


def _usage(parser: argparse.ArgumentParser) -> int:
    raise InvalidInput("mail: say what to do: " + "receive, fetch, send, flush, unsorted or raw")


def _mail(ctx: Context) -> Mail:
    from deskterm.services.mail import Mail

    return Mail(ctx.desk(), ctx.settings().mail)


def receive(ctx: Context) -> int:
    """The MTA's view: 0 stored (or known), 2 not mail, 75 try later."""
    try:
        if ctx.args.maildir:
            return _receive_maildir(ctx)
        data = sys.stdin.buffer.read()
        got = _mail(ctx).receive(data)
    except BadDatabaseURL:
        raise
    except StorageError as exc:
        warn(f"deskterm: {exc} (the message was not stored; try again later)")
        return EX_TEMPFAIL
    m = got.message
    where = f"person {m.person_id}" if m.person_id else "unsorted"
    what = "already stored as" if got.duplicate else "stored as"
    say(f"{what} message {m.id} ({where})")
    return 0


def _receive_maildir(ctx: Context) -> int:
    from pathlib import Path

    result = _mail(ctx).receive_maildir(Path(ctx.args.maildir))
    for name, why in result.bad:
        warn(f"deskterm: {name}: {why} (left in new/)")
    say(f"stored {result.stored}, already stored {result.duplicates}, not mail {len(result.bad)}")
    return 2 if result.bad else 0


def fetch(ctx: Context) -> int:
    mail = _mail(ctx)
    if ctx.args.once:
        say(f"stored {mail.fetch_once()} message(s)")
        return 0
    mail.watch(
        stop=lambda: False,
        on_stored=lambda n: say(f"stored {n} message(s)"),
        on_error=lambda message: warn(f"deskterm: {message} (retrying)"),
    )
    return 0


def send(ctx: Context) -> int:
    from deskterm.mail.compose import with_signature
    from deskterm.services.mail import Compose

    mail = _mail(ctx)
    person = ctx.desk().find_person(ctx.args.person)
    to = ctx.args.to or person.email
    if not to:
        raise InvalidInput(f"{person.label()} has no email address; give one with --to")
    body = sys.stdin.buffer.read().decode("utf-8", "replace").rstrip("\n") + "\n"
    text = with_signature(body, ctx.settings().mail.signature)
    compose = Compose(to=to, subject=ctx.args.subject, text=text)
    queued = mail.queue_message(person.id, compose)
    results = mail.send_queued(mail.transport(), only=queued.id)
    if results and results[0].sent:
        say(f"sent message {queued.id} to {to}")
        return 0
    reason = results[0].reason if results else "another desk is sending it"
    warn(f"deskterm: message {queued.id} not sent: {reason}; it is kept for `mail flush`")
    return 1


def flush(ctx: Context) -> int:
    results = _mail(ctx).flush()
    for r in results:
        if r.sent:
            say(f"sent message {r.id}: {r.subject}")
        else:
            warn(f"deskterm: message {r.id} not sent: {r.reason}")
    if not results:
        say("nothing to send")
    return 0 if all(r.sent for r in results) else 1


def unsorted(ctx: Context) -> int:
    found = _mail(ctx).unsorted()
    for m in found:
        say(f"{m.id}\t{m.at:%Y-%m-%d %H:%M}\t{m.from_addr or '-'}\t{m.subject}")
    if not found:
        say("no unsorted mail")
    return 0


def raw(ctx: Context) -> int:
    data = _mail(ctx).raw(ctx.args.id)
    out = sys.stdout.buffer
    out.write(data)
    out.flush()
    return 0
