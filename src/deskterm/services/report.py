"""The team report for the CLI and the TUI: aggregate queries plus the at-risk list."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from deskterm.attention.order import QueueSettings
from deskterm.attention.table import SummaryTable
from deskterm.services.reads import Reads
from deskterm.team.report import AtRiskPerson, TeamReport, at_risk_people, build_report


def summary_table(reads: Reads) -> SummaryTable:
    """Everyone's attention summary (one bulk read, no timelines)."""
    rows = reads.summary_rows()
    if not rows:
        return SummaryTable.from_rows([])
    return SummaryTable.from_columns(*(list(col) for col in zip(*rows, strict=True)))


def team_report(
    reads: Reads,
    *,
    now_fn: Callable[[], datetime],
    tz: tzinfo,
    settings: QueueSettings,
    people: int | None = None,
    at_risk: tuple[tuple[AtRiskPerson, ...], int] | None = None,
) -> TeamReport:
    """The team view's numbers; ``at_risk`` and ``people`` from a loaded directory, else
    computed from a fresh read of everyone's summary."""
    now = now_fn()
    if at_risk is None or people is None:
        table = summary_table(reads)
        people, at_risk = len(table), at_risk_people(table, now=now, settings=settings)
    return reads._run(
        lambda s: build_report(s, now=now, tz=tz, settings=settings, people=people, at_risk=at_risk)
    )
