"""Who might be slipping through (PRODUCT.md, idea 5): the at-risk tests, for everyone.

Each test is a boolean column over the summary table, computed with numpy; the queue
puts whoever meets one in its "at risk" group, and the team report lists everyone who
meets any, with the reason. A person meeting several shows the first, in this order:

- ``quiet``: the last mood was bad and nothing at all has happened for ``quiet_days``;
- ``unanswered``: the last mood was bad and no contact from us since, for
  ``unanswered_days``;
- ``unconfirmed``: the last follow-up was marked done without a check-back, nothing has
  been heard since (no contact, no mood) and nothing is planned, for ``confirm_days``;
- ``problem``: a contact or a bad mood after the last done follow-up, and no follow-up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from deskterm.attention.table import NONE, Columns

if TYPE_CHECKING:
    from deskterm.attention.order import QueueSettings

DAY = 86_400
RISKS = ("quiet", "unanswered", "unconfirmed", "problem")


class Risk(NamedTuple):
    """The first risk of each person (index into ``RISKS``, -1 for none) and its time."""

    kind: np.ndarray  # int8
    since: np.ndarray  # int64: the time the reason counts from (NONE when not at risk)

    @property
    def at_risk(self) -> np.ndarray:
        return self.kind >= 0


def risk_of(c: Columns, *, now: int, settings: QueueSettings) -> Risk:
    """The risk tests over every row of ``c`` as of ``now``."""
    n = len(c.ids)
    bad = (c.level > 0) & (c.level <= settings.bad_mood_max)
    active = np.maximum(c.last_activity, c.mood_at)  # NONE is the smallest int64
    for col in (c.last_contact, c.last_done, c.problem_at):
        np.maximum(active, col, out=active)
    no_follow_up = (c.open <= 0) & (c.next_due == NONE)
    heard = np.maximum(c.last_contact, c.mood_at)
    tests = (
        (bad & (active != NONE) & (active <= now - settings.quiet_days * DAY), active),
        (
            bad
            & (c.mood_at != NONE)
            & (c.last_contact < c.mood_at)
            & (c.mood_at <= now - settings.unanswered_days * DAY),
            c.mood_at,
        ),
        (
            (c.unconfirmed != NONE)
            & (heard <= c.unconfirmed)
            & no_follow_up
            & (c.unconfirmed <= now - settings.confirm_days * DAY),
            c.unconfirmed,
        ),
        ((c.problem_at != NONE) & (c.problem_at > c.last_done) & no_follow_up, c.problem_at),
    )
    kind = np.full(n, -1, np.int8)
    since = np.full(n, NONE, np.int64)
    for code in reversed(range(len(tests))):  # earlier tests overwrite later ones
        mask, when = tests[code]
        kind[mask] = code
        np.copyto(since, when, where=mask)
    return Risk(kind, since)


def risk_reason(kind: int, since: int, now: int, span) -> str:  # type: ignore[no-untyped-def]
    """The words for one person's risk, e.g. "at risk: done, never confirmed (9d)"."""
    name = RISKS[kind]
    ago = span(now - since)
    if name == "quiet":
        return f"at risk: quiet {ago} after a bad mood"
    if name == "unanswered":
        return f"at risk: bad mood, not heard from us since ({ago})"
    if name == "unconfirmed":
        return f"at risk: done, never confirmed ({ago})"
    return "at risk: open problem, no follow-up"
