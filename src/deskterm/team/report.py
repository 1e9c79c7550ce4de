"""The team view's numbers (PRODUCT.md, "Nobody dropped"), from aggregate SQL.

Each figure is one query that counts in the database (``CASE`` buckets whose bounds are
computed here, in the agent's zone, so days and weeks are local and DST-proof), never a
read of everybody's timeline. The list of people at risk comes from the attention
summaries (``attention.risk``), the same rules the queue uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any

import numpy as np
from sqlalchemy import and_, case, distinct, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from deskterm.attention.order import QueueSettings, _span
from deskterm.attention.risk import RISKS, risk_of, risk_reason
from deskterm.attention.table import SummaryTable
from deskterm.models import Entry, FollowUp, Mood, Person

WEEKS = 12
DAYS_BACK, DAYS_AHEAD = 14, 14
AT_RISK_SHOWN = 200


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
) -> TeamReport:
    """The team view's numbers from the database, with the at-risk list (``at_risk_people``
    over everyone's attention summary) and how many people there are."""
    starts = week_starts(now, tz)
    at_risk_shown, total = at_risk
    return TeamReport(
        now=now,
        people=people,
        mood_weeks=mood_by_week(session, starts, tz, settings.bad_mood_max),
        follow_up_days=follow_ups_by_day(session, now, tz),
        agents=load_by_agent(session, now),
        risk_weeks=risk_by_week(session, starts, now, tz, settings),
        at_risk=at_risk_shown,
        at_risk_total=total,
    )


def mood_by_week(
    session: Session, starts: Sequence[date], tz: tzinfo, bad_max: int
) -> tuple[WeekMood, ...]:
    bounds = [_at(d, tz) for d in [*starts, starts[-1] + timedelta(weeks=1)]]
    columns = []
    for low, high in pairwise(bounds):
        inside = and_(Mood.at >= low, Mood.at < high)
        columns += [
            func.count(case((inside, 1))),
            func.sum(case((inside, Mood.level))),
            func.count(case((and_(inside, Mood.level <= bad_max), 1))),
        ]
    row = session.execute(select(*columns).where(Mood.at >= bounds[0], Mood.at < bounds[-1])).one()
    out = []
    for i, start in enumerate(starts):
        count, total, bad = (int(row[3 * i + k] or 0) for k in range(3))
        out.append(WeekMood(start, count, round(total / count, 2) if count else None, bad))
    return tuple(out)


def follow_ups_by_day(session: Session, now: datetime, tz: tzinfo) -> tuple[DayFollowUps, ...]:
    today = now.astimezone(tz).date()
    days = [today + timedelta(days=d) for d in range(-DAYS_BACK, DAYS_AHEAD)]
    bounds = [_at(d, tz) for d in [*days, days[-1] + timedelta(days=1)]]
    columns = []
    for low, high in pairwise(bounds):
        inside = and_(FollowUp.due_at >= low, FollowUp.due_at < high)
        columns += [
            func.count(case((inside, 1))),
            func.count(case((and_(inside, FollowUp.done_at.is_(None)), 1))),
        ]
    row = session.execute(
        select(*columns).where(FollowUp.due_at >= bounds[0], FollowUp.due_at < bounds[-1])
    ).one()
    return tuple(
        DayFollowUps(day, int(row[2 * i] or 0), int(row[2 * i + 1] or 0))
        for i, day in enumerate(days)
    )


def load_by_agent(session: Session, now: datetime) -> tuple[AgentLoad, ...]:
    who = func.coalesce(FollowUp.assignee, FollowUp.agent)
    work = session.execute(
        select(who, func.count(), func.count(case((FollowUp.due_at < now, 1))))
        .where(FollowUp.done_at.is_(None))
        .group_by(who)
    ).all()
    owned = session.execute(
        select(Person.owner, func.count(), func.count(Person.s_waiting_since)).group_by(
            Person.owner
        )
    ).all()
    rows: dict[str | None, list[int]] = {}
    for agent, people, waiting in owned:
        rows.setdefault(agent, [0, 0, 0, 0])[0::3] = [int(people), int(waiting)]
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
    follow-up). Each is an interval per row; a week counts the people inside one.
    """
    ends = [min(_at(d + timedelta(weeks=1), tz), now) for d in starts]
    later_mood, contact, planned = aliased(Mood), aliased(Entry), aliased(FollowUp)

    def first_after(model: Any, person: Any, at: Any, *where: Any) -> Any:
        return (
            select(func.min(model.at if model is not planned else model.created_at))
            .where(model.person_id == person, *where)
            .scalar_subquery()
        )

    moods = select(
        Mood.person_id.label("pid"),
        literal("m").label("kind"),
        Mood.at.label("at"),
        first_after(later_mood, Mood.person_id, Mood.at, later_mood.at > Mood.at).label("n1"),
        first_after(
            contact, Mood.person_id, Mood.at, contact.kind == "contact", contact.at > Mood.at
        ).label("n2"),
        null().label("n3"),
    ).where(Mood.level <= settings.bad_mood_max, Mood.at <= now)
    done = FollowUp
    dones = select(
        done.person_id,
        literal("u"),
        done.done_at,
        first_after(
            contact, done.person_id, done.done_at, contact.kind == "contact",
            contact.at > done.done_at,
        ),
        first_after(later_mood, done.person_id, done.done_at, later_mood.at > done.done_at),
        first_after(
            planned, done.person_id, done.done_at, planned.created_at >= done.done_at,
            planned.id != done.id,
        ),
    ).where(
        done.done_at.is_not(None), done.check_back_of.is_(None), done.done_at <= now
    )  # fmt: skip
    spans = union_all(moods, dones).subquery()
    counts = []
    for end in ends:
        open_at = and_(
            *(or_(col.is_(None), col > end) for col in (spans.c.n1, spans.c.n2, spans.c.n3))
        )
        began = or_(
            and_(spans.c.kind == "m", spans.c.at <= end - timedelta(days=settings.unanswered_days)),
            and_(spans.c.kind == "u", spans.c.at <= end - timedelta(days=settings.confirm_days)),
        )
        counts.append(func.count(distinct(case((and_(began, open_at), spans.c.pid)))))
    row = session.execute(select(*counts).select_from(spans)).one()
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
