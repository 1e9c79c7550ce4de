"""Demo mail: a few people wrote in, received through the real mail path (raw bytes,
threading, the timeline), so the demo shows who is waiting and why."""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from sqlalchemy import Engine, select

from deskterm.demo.essays import EMAILS
from deskterm.models import Person

SUPPORT = "Support <support@ourco.example>"
_WRITERS = (  # minutes ago, subject, body (None: HTML-only), automatic
    (
        18,
        "Order 4471 still not here",
        "Hi,\n\nthe tracking page has said 'out for delivery' since Monday. "
        "Can you find out where it is?\n\nThanks",
        False,
    ),
    (
        150,
        "Re: Invoice for November",
        "Thanks, that helps. One more thing: can the invoice show our VAT number?\n\n"
        "On Mon, you wrote:\n> Here is the corrected invoice.\n> Best, Ana\n",
        False,
    ),
    (26 * 60, "Question about the warranty", None, False),
    (40, "Out of office: back on Monday", "I am away until Monday with no access to mail.", True),
)


def add_mail(engine: Engine, now: datetime, agent: str) -> int:
    """Mail from Margo (20 minutes ago: waiting) and from a few quiet people; how many."""
    from deskterm.services import Desk
    from deskterm.services.mail import Mail

    with engine.connect() as conn:
        quiet = conn.execute(
            select(Person.email, Person.name)
            .where(
                Person.email.is_not(None),
                Person.s_mood_level.is_(None),
                Person.s_open_follow_ups == 0,
                Person.email.not_in(EMAILS),
            )
            .order_by(Person.id)
            .limit(len(_WRITERS))
        ).all()
    margo = (EMAILS[1], "Margo Fairweather")
    letters = [
        (
            margo,
            20,
            "Friday delivery: confirmed?",
            "Quick one: is Friday 8-10 confirmed? Yes/no.",
            False,
        ),
        *((who, *rest) for who, rest in zip(quiet, _WRITERS, strict=False)),
    ]
    for i, ((address, name), minutes, subject, body, automatic) in enumerate(letters):
        at = now - timedelta(minutes=minutes)
        desk = Desk(engine, agent, clock=lambda at=at: at)
        Mail(desk).receive(_letter(i, name, address, subject, body, automatic, at))
    return len(letters)


def _letter(
    i: int, name: str, address: str, subject: str, body: str | None, auto: bool, at: datetime
) -> bytes:
    msg = EmailMessage(policy=SMTP)
    msg["From"] = f'"{name}" <{address}>'
    msg["To"] = SUPPORT
    msg["Subject"] = subject
    msg["Date"] = format_datetime(at)
    msg["Message-ID"] = f"<demo-{i}-{int(at.timestamp())}@mail.example>"
    if auto:
        msg["Auto-Submitted"] = "auto-replied"
    if body is None:
        msg.set_content(
            "<html><body><p>Hello,</p><p>my kettle stopped working after <b>13 months</b>. "
            "Is that still covered?</p><ul><li>Model: K-200</li><li>Bought: last October"
            "</li></ul></body></html>",
            subtype="html",
        )
    else:
        msg.set_content(body)
    return msg.as_bytes()
