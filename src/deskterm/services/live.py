"""Keeping an open desk current: the loop a desk runs in one background thread.

It waits on the live feed; on every wake-up (and at least every ``fallback`` seconds)
it syncs the directory from the change feed and reads who else is on whom, handing
both to callbacks. It also beats this desk's presence every ``heartbeat`` seconds, and
at once when the agent moves to another person or opens or closes a writing window
(``moved``), and reads the others again when a silent one is due to expire. On the way
out it removes this desk's presence. The TUI runs it in a thread worker; the benchmark
runs it bare.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from deskterm.clock import utcnow
from deskterm.directory import Directory
from deskterm.errors import DeskError
from deskterm.queue import Queue
from deskterm.services.team import DeskSeen, Team
from deskterm.services.views import ChangeBatch
from deskterm.team.feed import LiveFeed

SLICE = 0.5  # longest single wait: how soon a cancelled loop notices


@dataclass(frozen=True, slots=True)
class CaughtUp:
    """One round of catching up: what changed, the queue now, the other desks now."""

    batch: ChangeBatch
    queue: Queue
    desks: tuple[DeskSeen, ...]


class Watcher:
    """Runs the live loop for one desk (``run`` blocks; ``stop`` ends it from any thread)."""

    def __init__(
        self,
        team: Team,
        directory: Directory,
        *,
        fallback: float,
        on_caught_up: Callable[[CaughtUp], None],
        on_error: Callable[[DeskError], None],
        where: Callable[[], tuple[int | None, bool]] = lambda: (None, False),
    ) -> None:
        self.team = team
        self.directory = directory
        self.fallback = fallback
        self.on_caught_up = on_caught_up
        self.on_error = on_error
        self.where = where  # (person on screen, writing?) — read from the loop's thread
        self.paused = False  # tests and snapshots hold the screen still
        self._feed: LiveFeed | None = None
        self._stopped = False

    def pause(self) -> None:
        """Hold the screen still (tests, snapshots): presence beats go on."""
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def moved(self) -> None:
        """The agent moved or opened/closed a writing window: beat now, not later."""
        if self._feed is not None:
            self._feed.poke()

    def stop(self) -> None:
        self._stopped = True
        if self._feed is not None:
            self._feed.close()

    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        """Watch until ``stop`` (or ``cancelled()``); leaves this desk's presence on exit."""
        feed = self._feed = self.team.open_feed()
        if self._stopped:
            feed.close()
        next_poll = next_beat = 0.0
        self._next_expiry = float("inf")
        beaten: tuple[int | None, bool] | None = None
        woke = True  # catch up at once: the feed opened after the first load
        try:
            while not (self._stopped or cancelled()):
                now = time.monotonic()
                state = self.where()
                if state != beaten or now >= next_beat:
                    beaten, next_beat = state, now + self.team.heartbeat
                    self._beat(state)
                if woke or now >= min(next_poll, self._next_expiry):
                    next_poll = now + self.fallback
                    if not self.paused:
                        self.catch_up()
                soonest = min(next_poll, next_beat, self._next_expiry)
                wait = min(SLICE, soonest - time.monotonic())
                woke = feed.wait(max(0.0, wait))
        finally:
            feed.close()
            with contextlib.suppress(DeskError):  # the database is away: the row expires
                self.team.leave()

    def catch_up(self) -> None:
        """Sync from the change feed and read the other desks; report either way."""
        try:
            batch = self.directory.sync()
            queue = self.directory.queue()
            desks = tuple(self.team.who(others_only=True))
        except DeskError as err:
            self.on_error(err)
            return
        self._next_expiry = self._expiry_of(desks)
        self.on_caught_up(CaughtUp(batch, queue, desks))

    def _expiry_of(self, desks: tuple[DeskSeen, ...]) -> float:
        """When (monotonic) the first shown desk expires unless it beats again: a desk
        that died is taken off the screen on time, with no write to wake anyone."""
        if not desks:
            return float("inf")
        now = utcnow()
        left = min((d.heartbeat - now).total_seconds() for d in desks) + self.team.expiry
        return time.monotonic() + max(0.05, left + 0.05)

    def _beat(self, state: tuple[int | None, bool]) -> None:
        with contextlib.suppress(DeskError):  # the next catch-up reports the outage
            self.team.beat(*state)
