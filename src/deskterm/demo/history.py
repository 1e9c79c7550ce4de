"""Made-up histories: contacts, notes, moods and follow-ups over the past six months.

Every person gets one shape of history, picked by weight, that puts them where the
queue should find them (see ``deskterm.attention``): resolved, waiting for a
follow-up, overdue, due today, upset now, gone quiet after a bad call (at risk), or
contacted again after their last follow-up with nothing planned (at risk). All times
are at or before ``now`` except the due times of open follow-ups.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from random import Random

from deskterm.demo import words as w
from deskterm.services.bulk import NewEntry, NewFollowUp, NewMood

MINUTE, HOUR, DAY = 60, 3600, 86_400
HISTORY_DAYS = 180

# (shape, cumulative probability); the rest are "quiet" (just created).
SHAPES = (
    ("resolved", 0.45),
    ("chatty", 0.55),
    ("waiting", 0.71),
    ("overdue", 0.76),
    ("due_today", 0.80),
    ("upset", 0.85),
    ("gone_quiet", 0.885),
    ("dropped", 0.92),
)


def pick_shape(r: Random) -> str:
    x = r.random()
    for shape, edge in SHAPES:
        if x < edge:
            return shape
    return "quiet"


class HistoryMaker:
    """Builds one person's history at a time; holds the run's clock and agents."""

    def __init__(self, r: Random, now: datetime, agents: Sequence[str]) -> None:
        if not agents:
            raise ValueError("demo data needs at least one agent")
        self.r, self.now, self.agents = r, now, tuple(agents)
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
        end_of_day = midnight.replace(tzinfo=now.tzinfo)
        self.today_left = max((end_of_day - now).total_seconds(), 1.0)
        self.end_of_day = end_of_day
        # The person being made (set by ``make``).
        self.owner, self.channel, self.internal, self.created = self.agents[0], "", False, 0.0
        self.entries: list[NewEntry] = []
        self.follow_ups: list[NewFollowUp] = []
        self.moods: list[NewMood] = []

    # -- small pieces -------------------------------------------------------------------
    def _t(self, ago: float) -> datetime:
        return self.now - timedelta(seconds=int(ago))

    def _between(self, low: float, high: float) -> float:
        return low + self.r.random() * max(high - low, 0.0)

    @staticmethod
    def _quarter(t: datetime, up: bool = False) -> datetime:
        """``t`` rounded down (or up) to a quarter hour, as people set due times."""
        extra = (t.minute % 15) * 60 + t.second + t.microsecond / 1e6
        if not extra:
            return t
        return t + timedelta(seconds=(900 - extra) if up else -extra)

    def _who(self) -> str:
        r = self.r
        return self.owner if r.random() < 0.6 else r.choice(self.agents)

    def _contact(self, ago: float) -> None:
        r = self.r
        channel = self.channel if r.random() < 0.6 else r.choice(w.CHANNELS)
        pool = w.INTERNAL_SUMMARIES if self.internal else w.SUMMARIES
        text = r.choice(w.CHANNEL_OPENERS[channel]) + r.choice(pool)
        if "{n}" in text:
            text = text.replace("{n}", str(r.randrange(10_000, 99_999)))
        self.entries.append(NewEntry(self._t(ago), "contact", text, channel, self._who()))

    def _mood(self, level: int, ago: float) -> None:
        r = self.r
        note = r.choice(w.MOOD_NOTES[level - 1]) if r.random() < 0.8 else ""
        self.moods.append(NewMood(level, self._t(ago), note, self._who()))

    def _task(self) -> tuple[str, str]:
        return self.r.choice(w.INTERNAL_FOLLOW_UPS if self.internal else w.FOLLOW_UPS)

    def _cycle(self, c: float) -> float:
        """Contact ``c`` seconds ago, a follow-up, done around its due time; the done age.

        Needs ``c`` of at least two hours.
        """
        r = self.r
        self._contact(c)
        due_ago = c - self._between(HOUR, min(7 * DAY, c - HOUR))
        done_ago = self._between(max(MINUTE, due_ago - 2 * DAY), min(due_ago + 12 * HOUR, c - 1800))
        note, outcome = self._task()
        agent = self._who()
        self.follow_ups.append(
            NewFollowUp(
                self._quarter(self._t(due_ago)),
                note,
                agent,
                self._t(c - self._between(2 * MINUTE, 25 * MINUTE)),
                self._t(done_ago),
                agent if r.random() < 0.5 else self._who(),
                outcome if r.random() < 0.92 else "",
                # most were confirmed; about one in six was never checked back
                confirmed=int(done_ago) % 6 != 0,
            )
        )
        return done_ago

    def _open(self, c: float, due_in: float) -> None:
        """A follow-up logged ``c`` seconds ago, due ``due_in`` seconds from now."""
        note, _ = self._task()
        created = self._t(c - self._between(MINUTE, min(20 * MINUTE, c / 2)))
        due = self.now + timedelta(seconds=int(due_in))
        if due > self.now:  # on the quarter hour, unless that would leave today
            rounded = self._quarter(due, up=True)
            due = due if due < self.end_of_day <= rounded else rounded
        else:
            due = self._quarter(due)
        self.follow_ups.append(NewFollowUp(due, note, self._who(), created))

    def _prior(self, c: float) -> float | None:
        """A resolved problem well before ``c``, when the person is old enough for one."""
        if self.created - HOUR < c + 12 * DAY or self.r.random() < 0.6:
            return None
        return self._cycle(self._between(c + 10 * DAY, self.created - HOUR))

    # -- a whole history ----------------------------------------------------------------
    def make(
        self, name: str, channel: str, internal: bool, shape: str, note: str = ""
    ) -> tuple[list[NewEntry], list[NewFollowUp], list[NewMood], datetime, str]:
        """Entries, follow-ups, moods, created time and creator of one person."""
        r = self.r
        self.owner = r.choice(self.agents)
        self.channel, self.internal = channel, internal
        self.entries, self.follow_ups, self.moods = [], [], []
        span = HISTORY_DAYS * DAY
        self.created = c = (
            self._between(HOUR, span)
            if shape in ("quiet", "chatty")
            else self._between(25 * DAY, span)
        )
        creator = self._who()
        self.entries.append(NewEntry(self._t(c), "created", f"added {name}", agent=creator))
        getattr(self, "_" + shape)(note)
        return self.entries, self.follow_ups, self.moods, self._t(c), creator

    def _quiet(self, note: str) -> None:
        pass

    def _chatty(self, note: str) -> None:
        r = self.r
        text = note or r.choice(w.NOTES)
        self.entries.append(
            NewEntry(self._t(self.created * r.random()), "note", text, agent=self._who())
        )
        if r.random() < 0.6:
            self._mood(r.choice((3, 4, 4, 5)), self.created * r.random())

    def _resolved(self, note: str) -> None:
        r = self.r
        c = self._between(2 * DAY, min(self.created - HOUR, 90 * DAY))
        done = self._cycle(c)
        if self._prior(c) is None and r.random() < 0.45:
            if r.random() < 0.5:  # improving: upset when they called, happy when fixed
                self._mood(r.choice((2, 3)), c - self._between(MINUTE, 20 * MINUTE))
            self._mood(r.choice((4, 4, 5)), done - self._between(0, min(done, HOUR)))
        elif r.random() < 0.3:
            self.entries.append(
                NewEntry(
                    self._t(self.created * r.random()), "note", r.choice(w.NOTES), agent=self._who()
                )
            )

    def _pending(self, c: float, due_in: float, mood_levels: tuple[int, ...]) -> None:
        """Contacted ``c`` seconds ago; an open follow-up due ``due_in`` from now."""
        r = self.r
        self._prior(c)
        self._contact(c)
        self._open(c, due_in)
        if r.random() < 0.3:
            self._mood(r.choice(mood_levels), c - MINUTE)

    def _waiting(self, note: str) -> None:
        due_in = self.today_left + self._between(HOUR, 13 * DAY)
        self._pending(self._between(HOUR, 10 * DAY), due_in, (3, 4, 4))

    def _overdue(self, note: str) -> None:
        c = self._between(DAY, 12 * DAY)
        due_ago = self._between(30 * MINUTE, min(6 * DAY, c - HOUR))
        self._pending(c, -due_ago, (2, 3, 4))

    def _due_today(self, note: str) -> None:
        due_in = self.today_left * self._between(0.1, 0.95)
        self._pending(self._between(HOUR, 5 * DAY), due_in, (2, 3, 4))

    def _upset(self, note: str) -> None:
        r = self.r
        c = self._between(10 * MINUTE, 3 * DAY)
        done = self._prior(c)
        if done is not None:  # worsening: fine last time, upset now
            self._mood(r.choice((3, 4, 5)), done - self._between(0, min(done, HOUR)))
        self._contact(c)
        self._mood(r.choice((1, 2, 2)), c - self._between(MINUTE, min(10 * MINUTE, c / 2)))
        if r.random() < 0.65:
            self._open(c, self.today_left + self._between(HOUR, 3 * DAY))

    def _gone_quiet(self, note: str) -> None:
        r = self.r
        c = self._between(20 * DAY, min(self.created - HOUR, 120 * DAY))
        done = self._cycle(c)
        self._mood(r.choice((3, 4)), c - self._between(MINUTE, 20 * MINUTE))
        bad = self._between(8 * DAY, done - HOUR)  # the bad call, then silence
        self._contact(bad)
        self._mood(r.choice((1, 2)), bad - self._between(MINUTE, 10 * MINUTE))

    def _dropped(self, note: str) -> None:
        r = self.r
        c = self._between(10 * DAY, min(self.created - HOUR, 90 * DAY))
        done = self._cycle(c)
        again = self._between(2 * HOUR, done - HOUR)  # came back; nobody planned anything
        self._contact(again)
        if r.random() < 0.4:
            self._mood(3, again - self._between(MINUTE, 10 * MINUTE))
