"""The team report for the CLI and the TUI: aggregate queries plus the at-risk list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import NamedTuple

from deskterm.attention.order import QueueSettings
from deskterm.attention.table import SummaryTable
from deskterm.services.reads import Reads
from deskterm.team.report import (
    AtRiskPerson,
    TeamReport,
    WeekRisk,
    at_risk_people,
    build_report,
    owned_by,
    risk_by_week,
    week_starts,
)


def summary_table(reads: Reads) -> SummaryTable:
    """Everyone's attention summary (one bulk read, no timelines)."""
    rows = reads.summary_rows()
    if not rows:
        return SummaryTable.from_rows([])
    return SummaryTable.from_columns(*(list(col) for col in zip(*rows, strict=True)))


class Summaries(NamedTuple):
    """What the report takes from everyone's attention summary (no database needed)."""

    people: int
    owned: dict[str | None, tuple[int, int]]
    at_risk: tuple[tuple[AtRiskPerson, ...], int]


def summaries_of(table: SummaryTable, *, now: datetime, settings: QueueSettings) -> Summaries:
    """The report's share of ``table`` (fast: numpy over the columns)."""
    return Summaries(len(table), owned_by(table), at_risk_people(table, now=now, settings=settings))


def team_report(
    reads: Reads,
    *,
    now_fn: Callable[[], datetime],
    tz: tzinfo,
    settings: QueueSettings,
    summaries: Summaries | None = None,
    history: bool = True,
) -> TeamReport:
    """The team view's numbers; what comes from the people's summaries is ``summaries``
    (from a loaded directory) or else made from a fresh read of everyone's."""
    now = now_fn()
    if summaries is None:
        summaries = summaries_of(summary_table(reads), now=now, settings=settings)
    people, owned, at_risk = summaries
    return reads._run(
        lambda s: build_report(
            s,
            now=now,
            tz=tz,
            settings=settings,
            people=people,
            at_risk=at_risk,
            owned=owned,
            history=history,
        )
    )


def risk_history(
    reads: Reads, *, now: datetime, tz: tzinfo, settings: QueueSettings
) -> tuple[WeekRisk, ...]:
    """People at risk at the end of each of the last 12 weeks (the report's slow part)."""
    starts = week_starts(now, tz)
    return reads._run(lambda s: risk_by_week(s, starts, now, tz, settings))
