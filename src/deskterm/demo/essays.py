"""Jim, Margo and Alecia: the three people from the essays (PRODUCT.md, idea 1).

Jim likes unhurried service and time to weigh his options; Margo is always in a
hurry and waiting on an overdue call back; Alecia is upset today because her cat is
at the vet. They are always the first three people of a demo database.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from deskterm.services.bulk import NewEntry, NewFollowUp, NewMood, NewPerson

EMAILS = (
    "jim.okafor@okafor-joinery.example",
    "margo@fairweather.example",
    "alecia.brandt@brandt-design.example",
)
ALECIA_MOOD_NOTE = "her cat is at the vet; be gentle, she asked us to call back tomorrow"
MARGO_FOLLOW_UP = "call Margo back about the delivery window"

Ago = Callable[..., datetime]  # ago(days, hours, minutes): that long before now


def _local(now: datetime, zone: str, days: int, hour: int) -> datetime:
    """``hour``:00 in ``zone``, ``days`` calendar days after today there."""
    tz = ZoneInfo(zone)
    day = now.astimezone(tz).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=tz)


def essay_people(now: datetime) -> list[NewPerson]:
    """Jim, Margo and Alecia, with histories relative to ``now`` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")

    def ago(days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
        return now - timedelta(days=days, hours=hours, minutes=minutes)

    return [_jim(now, ago), _margo(now, ago), _alecia(now, ago)]


def _jim(now: datetime, ago: Ago) -> NewPerson:
    profile = {
        "name": "Jim Okafor",
        "email": EMAILS[0],
        "phone": "+44 161 496 0732",
        "company": "Okafor Joinery",
        "internal": False,
        "pace": "unhurried",
        "channel": "email",
        "language": "English",
        "timezone": "Europe/London",
        "matters": "Likes unhurried service and time to weigh his options: send the choices "
        "in writing, then give him a few days. Never push for a decision on the phone.",
        "tags": ["joinery", "long-time customer"],
    }
    entries = [
        NewEntry(ago(160), "created", "added Jim Okafor", agent="ana"),
        NewEntry(
            ago(150),
            "contact",
            "Email: Asked for quotes on three dust extractors for the workshop; "
            "wants to compare them before deciding.",
            "email",
            "bo",
        ),
        NewEntry(
            ago(140),
            "note",
            "Prefers one detailed email to several short ones. Reads everything at the weekend.",
            agent="dara",
        ),
        NewEntry(
            ago(4, 2),
            "contact",
            "Email: Questions about the warranty on the second extractor; said there's no rush.",
            "email",
            "chidi",
        ),
    ]
    follow_ups = [
        NewFollowUp(
            ago(146),
            "send the written comparison of the three extractors",
            "bo",
            ago(150, minutes=-10),
            ago(147),
            "chidi",
            "comparison sent; he'll take his time over it",
        ),
        NewFollowUp(
            _local(now, "Europe/London", 7, 10),
            "check in with Jim about the warranty options; no pressure",
            "ana",
            ago(4, 1),
        ),
    ]
    moods = [
        NewMood(4, ago(150, minutes=-15), "calm; happy to take his time", "bo"),
        NewMood(4, ago(4, 1, 55), "relaxed; appreciated the detail", "chidi"),
    ]
    return NewPerson(profile, entries, follow_ups, moods, ago(160), "ana", owner="ana")


def _margo(now: datetime, ago: Ago) -> NewPerson:
    profile = {
        "name": "Margo Fairweather",
        "email": EMAILS[1],
        "phone": "+44 20 7946 0018",
        "company": "Fairweather Ltd",
        "internal": False,
        "pace": "brisk",
        "channel": "phone",
        "language": "English",
        "timezone": "Europe/London",
        "matters": "Always in a hurry: lead with the answer and keep calls under two minutes. "
        "The Friday delivery window matters more to her than the price.",
        "tags": ["wholesale", "deliveries"],
    }
    entries = [
        NewEntry(ago(120), "created", "added Margo Fairweather", agent="bo"),
        NewEntry(
            ago(40),
            "contact",
            "Called: Needs 12 pallets by Friday; asked for the delivery window.",
            "phone",
            "ana",
        ),
        NewEntry(
            ago(3, 1),
            "contact",
            "Called between meetings: the delivery missed its window again; "
            "her customer's deadline is Friday.",
            "phone",
            "bo",
        ),
        NewEntry(
            ago(2, 5),
            "note",
            "Call her mobile, not the office line; she's on site all week.",
            agent="dara",
        ),
    ]
    follow_ups = [
        NewFollowUp(
            ago(39),
            "confirm the delivery window with the warehouse",
            "ana",
            ago(40, minutes=-5),
            ago(39, 6),
            "bo",
            "confirmed 8-10am Friday; she said fine, thanks",
        ),
        NewFollowUp(ago(0, 20), MARGO_FOLLOW_UP, "bo", ago(3, 0, 50)),
    ]
    moods = [
        NewMood(4, ago(39, 5, 55), "pleased: quick answer", "bo"),
        NewMood(
            2,
            ago(3, 0, 55),
            "frustrated: her own customer's deadline is Friday and the delivery window "
            "slipped twice",
            "bo",
        ),
    ]
    return NewPerson(profile, entries, follow_ups, moods, ago(120), "bo", owner="bo")


def _alecia(now: datetime, ago: Ago) -> NewPerson:
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today = min(timedelta(hours=2), (now - midnight) * 0.6)  # earlier today
    profile = {
        "name": "Alecia Brandt",
        "email": EMAILS[2],
        "phone": "+49 30 2345678",
        "company": "Brandt Design Studio",
        "internal": False,
        "pace": "normal",
        "channel": "phone",
        "language": "English",
        "timezone": "Europe/Berlin",
        "matters": "Her cat Miso is fourteen and often at the vet; ask after him. "
        "Prefers a call back to long emails.",
        "tags": ["design", "team account"],
    }
    entries = [
        NewEntry(ago(90), "created", "added Alecia Brandt", agent="ana"),
        NewEntry(
            ago(60),
            "contact",
            "Chat: Set up the team account; asked about adding seat licences.",
            "chat",
            "chidi",
        ),
        NewEntry(
            ago(30), "note", "Works late; happy to take calls until 19:00 Berlin time.", agent="ana"
        ),
        NewEntry(
            now - today,
            "contact",
            "Called: the export failed before her client meeting; upset today, "
            "her cat is at the vet.",
            "phone",
            "dara",
        ),
    ]
    follow_ups = [
        NewFollowUp(
            ago(58),
            "send the invoice for the extra seats",
            "chidi",
            ago(60, minutes=-10),
            ago(58, 12),
            "ana",
            "invoice sent and paid",
        ),
        NewFollowUp(
            _local(now, "Europe/Berlin", 1, 10),
            "call Alecia back about the export (gently; ask after Miso)",
            "dara",
            now - today * 0.5,
        ),
    ]
    moods = [
        NewMood(4, ago(60, minutes=-5), "pleased with the setup", "chidi"),
        NewMood(1, now - today * 0.8, ALECIA_MOOD_NOTE, "dara"),
    ]
    return NewPerson(profile, entries, follow_ups, moods, ago(90), "ana")
