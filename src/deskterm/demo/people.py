"""Made-up people: deterministic, varied, and cheap enough to make a million of."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from random import Random
from typing import Any

from deskterm.demo import words as w
from deskterm.demo.history import HistoryMaker, pick_shape
from deskterm.demo.names import SHOWCASE, WEIGHTED, showcase_names
from deskterm.services.bulk import NewPerson

DEFAULT_AGENTS = ("ana", "bo", "chidi", "dara", "eli", "femi")
OWNED_SHARE = 0.4  # of people with history, owned by one of the first three agents
SEEN_CAP = 250_000  # emails remembered for uniqueness; past it every email gets a number
CLICK_INDEX = 14  # the generated person whose note holds markup (with history only)
INTERNAL_SHARE = 0.15

_PACES = ("unhurried",) * 1 + ("normal",) * 2 + ("brisk",) * 1
_CHANNELS = {  # preferred channel, weighted by pace
    "unhurried": ("email",) * 5 + ("phone",) * 2 + ("in person",) * 2 + ("video",),
    "normal": ("email",) * 4 + ("phone",) * 3 + ("chat",) * 2 + ("video",),
    "brisk": ("phone",) * 4 + ("chat",) * 4 + ("email",) + ("video",),
}
_INTERNAL_CHANNELS = ("chat",) * 5 + ("in person",) * 2 + ("video",) * 2 + ("email",)
_PACE_MATTERS = {
    "unhurried": (
        "Likes time to weigh the options: send them in writing and let them come back to us.",
        "Never rush a decision; a calm call at the end of the day works best.",
    ),
    "brisk": (
        "Always short on time: lead with the answer, details after.",
        "Texts back within minutes but hates long calls.",
    ),
}


def reserved_emails() -> set[str]:
    """Emails of the essay people, which generated people must never take."""
    from deskterm.demo.essays import EMAILS

    return set(EMAILS)


def generate_people(
    count: int,
    *,
    seed: int = 7,
    now: datetime,
    agents: Sequence[str] = DEFAULT_AGENTS,
    history: bool = True,
) -> Iterator[NewPerson]:
    """``count`` made-up people, the same ones for the same seed, ``now`` and agents.

    ``now`` must be timezone-aware; "today" for follow-ups due today is its calendar
    day. With ``history=False`` only profiles are made (fast, for big benchmarks).
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    r = Random(seed)
    owners = Random(seed + 1)  # its own stream: the people stay the same as before owners
    seen = reserved_emails()
    maker = HistoryMaker(r, now, agents) if history else None
    for i in range(count):
        profile = _profile(r, i, seen)
        if maker is None:
            yield NewPerson(profile)
            continue
        shape = "chatty" if i == CLICK_INDEX else pick_shape(r)
        note = w.CLICK_NOTE if i == CLICK_INDEX else ""
        entries, follow_ups, moods, created, creator = maker.make(
            profile["name"], profile["channel"], profile["internal"], shape, note
        )
        owner = owners.choice(agents[:3]) if owners.random() < OWNED_SHARE else None
        yield NewPerson(profile, entries, follow_ups, moods, created, creator, owner)


def _profile(r: Random, i: int, seen: set[str]) -> dict[str, Any]:
    """One person's profile fields (as ``Desk.add_person`` takes them)."""
    if i < len(SHOWCASE):
        culture, given, family, female = showcase_names(i)
    else:
        culture = r.choice(WEIGHTED)
        female = r.random() < 0.5
        given = r.choice(culture.given_f if female else culture.given_m)
        family = r.choice(culture.family_f if female else culture.family_m)
    if culture.family_first:
        name = family[0] + culture.joiner + given[0]
    else:
        name = given[0] + " " + family[0]
    zone, phone = r.choice(culture.places)
    pace = r.choice(_PACES)
    internal = r.random() < INTERNAL_SHARE
    if internal:
        company, domain = w.OUR_COMPANY, w.OUR_DOMAIN
        channel = r.choice(_INTERNAL_CHANNELS)
        tags = [r.choice(w.DEPARTMENTS)]
        number = f"ext. {r.randrange(2000, 9000)}" if r.random() < 0.5 else phone(r)
        matters = r.choice(w.INTERNAL_MATTERS) if r.random() < 0.6 else ""
    else:
        company, domain = _company(r, culture.key)
        channel = r.choice(_CHANNELS[pace])
        tags = _tags(r)
        number = phone(r) if r.random() < 0.9 else ""
        matters = _matters(r, pace)
    language = culture.language
    if language != "English" and r.random() < 0.2:
        language = "English"
    email = None if r.random() < 0.07 and not internal else _email(r, given[1], family[1])
    if email is not None:
        email = _unique(f"{email}@{domain}", i, seen)
    return {
        "name": name,
        "email": email,
        "phone": number,
        "company": company,
        "internal": internal,
        "pace": pace,
        "channel": channel,
        "language": language,
        "timezone": zone,
        "matters": matters,
        "tags": tags,
    }


def _company(r: Random, culture: str) -> tuple[str, str]:
    x = r.random()
    if x < 0.2:
        return "", r.choice(w.FREE_MAIL)  # a private customer
    local = w.LOCAL_COMPANIES.get(culture)
    company, domain = r.choice(local) if local and x < 0.4 else r.choice(w.COMPANIES)
    if r.random() < 0.2:
        domain = r.choice(w.FREE_MAIL)  # writes from a personal address
    return company, domain


def _email(r: Random, given: str, family: str) -> str:
    """The local part: an ascii spelling in one of the usual styles."""
    x = r.random()
    if x < 0.5:
        return f"{given}.{family}"
    if x < 0.7:
        return given[0] + family
    if x < 0.85:
        return given + family
    if x < 0.95:
        return f"{family}.{given}"
    return given


def _unique(email: str, i: int, seen: set[str]) -> str:
    """``email``, or with a number when taken. Local parts from names hold no digits,
    so a number from the person's index never collides."""
    if len(seen) < SEEN_CAP and email not in seen:
        seen.add(email)
        return email
    local, _, domain = email.partition("@")
    return f"{local}{i + 1}@{domain}"


def _tags(r: Random) -> list[str]:
    x = r.random()
    if x < 0.45:
        return []
    first = r.choice(w.TAGS)
    if x < 0.85:
        return [first]
    second = r.choice(w.TAGS)
    return [first] if second == first else [first, second]


def _matters(r: Random, pace: str) -> str:
    x = r.random()
    if x < 0.2:
        return ""
    extra = _PACE_MATTERS.get(pace)
    if extra and x < 0.45:
        return r.choice(extra)
    return r.choice(w.MATTERS)
