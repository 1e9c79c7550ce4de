"""The team view's numbers (PRODUCT.md, "Nobody dropped"), from aggregate SQL.

Each figure is one query that counts in the database (``CASE`` buckets whose bounds are
computed here, in the agent's zone, so days and weeks are local and DST-proof), never a
read of everybody's timeline. The list of people at risk comes from the attention
summaries (``attention.risk``), the same rules the queue uses.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Integer,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session

from deskterm.attention.order import QueueSettings, _span
from deskterm.attention.risk import RISKS, risk_of, risk_reason
from deskterm.attention.table import NONE, SummaryTable
from deskterm.models import Entry, FollowUp, Mood, Person

WEEKS = 12
DAYS_BACK, DAYS_AHEAD = 14, 14
AT_RISK_SHOWN = 200
DAY = 86_400
LOOKBACK = timedelta(days=30)  # risk history: rows this long before the first week


@dataclass(frozen=True, slots=True)
class WeekMood:
    """Moods recorded in the week starting ``start`` (a Monday, local)."""

    start: date
    moods: int
    average: float | None  # mean level 1..5, None without moods
    bad: int  # moods at or below [queue] bad_mood_max


@dataclass(frozen=True, slots=True)
class DayFollowUps:
    """Follow-ups due on ``day`` (local): all of them, and those still open."""

    day: date
    due: int
    open: int  # for a past day: overdue now


@dataclass(frozen=True, slots=True)
class AgentLoad:
    """One agent's share: people owned, open and overdue follow-ups, people waiting."""

    agent: str | None  # None: nobody's (unowned people, unassigned work)
    people: int
    open_follow_ups: int
    overdue: int
    waiting: int


@dataclass(frozen=True, slots=True)
class WeekRisk:
    """People at risk at the end of the week starting ``start``."""

    start: date
    people: int


@dataclass(frozen=True, slots=True)
class AtRiskPerson:
    id: int
    name: str
    owner: str | None
    risk: str  # one of attention.risk.RISKS
    reason: str
    since: int  # epoch seconds the reason counts from


@dataclass(frozen=True, slots=True)
class TeamReport:
    """Everything the team view shows, as of ``now``."""

    now: datetime
    people: int
    mood_weeks: tuple[WeekMood, ...]
    follow_up_days: tuple[DayFollowUps, ...]
    agents: tuple[AgentLoad, ...]
    risk_weeks: tuple[WeekRisk, ...]
    at_risk: tuple[AtRiskPerson, ...]  # the longest at risk first, at most AT_RISK_SHOWN
    at_risk_total: int

    def to_json(self) -> dict[str, Any]:
        """Plain JSON-able data with stable keys (dates as ISO strings)."""
        out = asdict(self)
        out["now"] = self.now.isoformat()
        for key, field in (("mood_weeks", "start"), ("risk_weeks", "start")):
            for item in out[key]:
                item[field] = item[field].isoformat()
        for item in out["follow_up_days"]:
            item["day"] = item["day"].isoformat()
        return out


def week_starts(now: datetime, tz: tzinfo, weeks: int = WEEKS) -> list[date]:
    """The Mondays (local) of the last ``weeks`` weeks, this week last."""
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def _at(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def build_report(
    session: Session,
    *,
    now: datetime,
    tz: tzinfo,
    settings: QueueSettings,
    people: int,
    at_risk: tuple[tuple[AtRiskPerson, ...], int],
    owned: dict[str | None, tuple[int, int]],
    history: bool = True,
) -> TeamReport:
    """The team view's numbers from the database, with the at-risk list (``at_risk_people``
    over everyone's attention summary) and how many people there are. Without
    ``history`` the at-risk weeks (the slowest part) are left empty: ``risk_by_week``."""
    starts = week_starts(now, tz)
    at_risk_shown, total = at_risk
    return TeamReport(
        now=now,
        people=people,
        mood_weeks=mood_by_week(session, starts, tz, settings.bad_mood_max),
        follow_up_days=follow_ups_by_day(session, now, tz),
        agents=load_by_agent(session, now, owned),
        risk_weeks=risk_by_week(session, starts, now, tz, settings) if history else (),
        at_risk=at_risk_shown,
        at_risk_total=total,
    )


BUCKET = 900  # seconds: local midnights fall on quarter hours in every zone


def _epoch(column: Any, dialect: str) -> Any:
    """Whole epoch seconds of a stored time, in SQL (for grouping by time buckets)."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", column), Integer)
    return cast(func.floor(extract("epoch", column)), BigInteger)


def _buckets(
    session: Session, column: Any, bounds: Sequence[datetime], *values: Any
) -> list[list[int]]:
    """Per interval of ``bounds``: ``count(*)`` and ``sum`` of each of ``values``.

    Rows are grouped in SQL by quarter hour since ``bounds[0]`` (one index range read,
    a few thousand groups at most) and the groups added up per interval here.
    """
    dialect = session.get_bind().dialect.name
    base = int(bounds[0].timestamp())
    bucket = (_epoch(column, dialect) - base) / literal(BUCKET, Integer)
    if dialect != "sqlite":
        bucket = func.floor(bucket)
    edges = [(int(b.timestamp()) - base) // BUCKET for b in bounds]
    query = (
        select(bucket, func.count(), *(func.sum(v) for v in values))
        .where(column >= bounds[0], column < bounds[-1])
        .group_by(bucket)
    )
    out = [[0] * (1 + len(values)) for _ in range(len(bounds) - 1)]
    for b, *sums in session.execute(query):
        slot = bisect_right(edges, int(b)) - 1
        if 0 <= slot < len(out):
            out[slot] = [x + int(y or 0) for x, y in zip(out[slot], sums, strict=True)]
    return out


def mood_by_week(
    session: Session, starts: Sequence[date], tz: tzinfo, bad_max: int
) -> tuple[WeekMood, ...]:
    bounds = [_at(d, tz) for d in [*starts, starts[-1] + timedelta(weeks=1)]]
    bad = case((Mood.level <= bad_max, 1), else_=0)
    sums = _buckets(session, Mood.at, bounds, Mood.level, bad)
    return tuple(
        WeekMood(start, count, round(total / count, 2) if count else None, bad_count)
        for start, (count, total, bad_count) in zip(starts, sums, strict=True)
    )


def follow_ups_by_day(session: Session, now: datetime, tz: tzinfo) -> tuple[DayFollowUps, ...]:
    today = now.astimezone(tz).date()
    days = [today + timedelta(days=d) for d in range(-DAYS_BACK, DAYS_AHEAD)]
    bounds = [_at(d, tz) for d in [*days, days[-1] + timedelta(days=1)]]
    still_open = case((FollowUp.done_at.is_(None), 1), else_=0)
    sums = _buckets(session, FollowUp.due_at, bounds, still_open)
    return tuple(
        DayFollowUps(day, due, open_count)
        for day, (due, open_count) in zip(days, sums, strict=True)
    )


def owned_by(table: SummaryTable) -> dict[str | None, tuple[int, int]]:
    """Per owner (None: nobody): how many people, and how many of them are waiting."""
    c = table.columns()
    names = table.owner_names
    people = np.bincount(c.owner, minlength=len(names))
    waiting = np.bincount(c.owner[c.waiting_since != NONE], minlength=len(names))
    return {names[i]: (int(people[i]), int(waiting[i])) for i in np.flatnonzero(people)}


def load_by_agent(
    session: Session, now: datetime, owned: dict[str | None, tuple[int, int]]
) -> tuple[AgentLoad, ...]:
    """Each agent's load: ``owned`` (from ``owned_by``) and their open follow-ups."""
    work = session.execute(  # every follow-up has its assignee (0005 filled the old ones)
        select(FollowUp.assignee, func.count(), func.count(case((FollowUp.due_at < now, 1))))
        .where(FollowUp.done_at.is_(None))
        .group_by(FollowUp.assignee)
    ).all()
    rows: dict[str | None, list[int]] = {}
    for agent, (people, waiting) in owned.items():
        rows[agent] = [people, 0, 0, waiting]
    for agent, open_count, overdue in work:
        rows.setdefault(agent, [0, 0, 0, 0])[1:3] = [int(open_count), int(overdue)]
    loads = [AgentLoad(agent, *values) for agent, values in rows.items()]
    loads.sort(key=lambda a: (a.agent is None, (a.agent or "").casefold()))
    return tuple(loads)


def risk_by_week(
    session: Session,
    starts: Sequence[date],
    now: datetime,
    tz: tzinfo,
    settings: QueueSettings,
) -> tuple[WeekRisk, ...]:
    """People at risk at each week's end (now for this week), rebuilt from history.

    Two of the risks can be dated from the rows: a bad mood with no contact from us for
    ``unanswered_days`` (until the next mood or contact), and a follow-up done without a
    check-back with nothing heard for ``confirm_days`` (until the next contact, mood or
    follow-up). Each is an interval; a week counts the people inside one at its end.
    Moods and dones from ``LOOKBACK`` before the first week on are read (an index range);
    older ones count only while still open now (from the people's summaries).
    """
    dialect = session.get_bind().dialect.name
    ends = [int(min(_at(d + timedelta(weeks=1), tz), now).timestamp()) for d in starts]
    cutoff = _at(starts[0], tz) - LOOKBACK
    cut = int(cutoff.timestamp())
    later_mood, contact, planned = aliased(Mood), aliased(Entry), aliased(FollowUp)

    def first(column: Any, *where: Any) -> Any:
        return _epoch(select(func.min(column)).where(*where).scalar_subquery(), dialect)

    m, f = Mood, FollowUp
    moods = select(
        m.person_id.label("pid"),
        literal("m").label("kind"),
        _epoch(m.at, dialect).label("at"),
        first(later_mood.at, later_mood.person_id == m.person_id, later_mood.at > m.at).label("n1"),
        first(
            contact.at,
            contact.person_id == m.person_id,
            contact.kind == "contact",
            contact.at > m.at,
        ).label("n2"),
        null().label("n3"),
    ).where(m.at >= cutoff, m.at <= now, m.level <= settings.bad_mood_max)
    dones = select(
        f.person_id,
        literal("u"),
        _epoch(f.done_at, dialect),
        first(
            contact.at,
            contact.person_id == f.person_id,
            contact.kind == "contact",
            contact.at > f.done_at,
        ),
        first(later_mood.at, later_mood.person_id == f.person_id, later_mood.at > f.done_at),
        first(
            planned.created_at,
            planned.person_id == f.person_id,
            planned.created_at >= f.done_at,
            planned.id != f.id,
        ),
    ).where(f.done_at >= cutoff, f.done_at <= now, f.check_back_of.is_(None))
    p = Person
    old_moods = select(p.id, literal("m"), p.s_mood_at, null(), null(), null()).where(
        p.s_mood_at < cut,
        p.s_mood_level <= settings.bad_mood_max,
        or_(p.s_last_contact.is_(None), p.s_last_contact < p.s_mood_at),
    )
    old_dones = select(p.id, literal("u"), p.s_unconfirmed, null(), null(), null()).where(
        p.s_unconfirmed < cut,
        p.s_open_follow_ups == 0,
        or_(p.s_last_contact.is_(None), p.s_last_contact <= p.s_unconfirmed),
        or_(p.s_mood_at.is_(None), p.s_mood_at <= p.s_unconfirmed),
    )
    spans = union_all(moods, dones, old_moods, old_dones).subquery()
    unanswered, confirm = settings.unanswered_days * DAY, settings.confirm_days * DAY
    weeks = []
    for i, end in enumerate(ends):
        still = and_(*(or_(c.is_(None), c > end) for c in (spans.c.n1, spans.c.n2, spans.c.n3)))
        began = or_(
            and_(spans.c.kind == "m", spans.c.at <= end - unanswered),
            and_(spans.c.kind == "u", spans.c.at <= end - confirm),
        )
        weeks.append(func.max(case((and_(began, still), 1), else_=0)).label(f"w{i}"))
    per_person = select(*weeks).group_by(spans.c.pid).subquery()  # one sort, not twelve
    row = session.execute(select(*(func.sum(c) for c in per_person.c))).one()
    return tuple(WeekRisk(start, int(n or 0)) for start, n in zip(starts, row, strict=True))


def at_risk_people(
    table: SummaryTable, *, now: datetime, settings: QueueSettings, limit: int = AT_RISK_SHOWN
) -> tuple[tuple[AtRiskPerson, ...], int]:
    """Everyone at risk now with the reason (the longest at risk first), and how many."""
    c = table.columns()
    when = int(now.timestamp())
    risk = risk_of(c, now=when, settings=settings)
    rows = np.flatnonzero(risk.at_risk)
    order = rows[np.lexsort((c.ids[rows], risk.since[rows]))][:limit]
    names = table.shared_names()
    owners = table.owner_names
    people = tuple(
        AtRiskPerson(
            id=int(c.ids[r]),
            name=names[r],
            owner=owners[int(c.owner[r])],
            risk=RISKS[int(risk.kind[r])],
            reason=risk_reason(int(risk.kind[r]), int(risk.since[r]), when, _span),
            since=int(risk.since[r]),
        )
        for r in order.tolist()
    )
    return people, len(rows)
