"""Is the database there? One state for the whole desk, and when to try again.

Every database call the desk makes (sync, loads, writes) reports to one ``Health``:
a failure that means "unreachable, locked or full" takes it offline (once: the first
failure sets the time the header shows), a success brings it back (once: the desk says
"back online" a single time). While offline, retries back off from ``first_retry`` to
``max_retry`` seconds so a desk left open through an outage does not hammer the server.
Thread-safe (workers report from threads); no Textual here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from enum import Enum

FIRST_RETRY = 1.0
MAX_RETRY = 10.0


class Transition(Enum):
    """What one report did to the state (``SAME`` when it stayed as it was)."""

    SAME = "same"
    WENT_OFFLINE = "went offline"
    BACK_ONLINE = "back online"


@dataclass(frozen=True, slots=True)
class Status:
    """A snapshot for the screen."""

    online: bool
    since: datetime | None  # when the database was first found missing (None online)
    reason: str  # the last failure's one-line message ("" online)
    failures: int  # failures in a row

    def text(self, tz: tzinfo | None = None) -> str:
        """The header's words, e.g. "offline since 10:42 · retrying" (agent's zone); "" online."""
        if self.online or self.since is None:
            return ""
        shown = self.since.astimezone(tz) if tz is not None else self.since
        return f"offline since {shown:%H:%M} · retrying"


class Health:
    """Online or offline since when, and when the next retry is due."""

    def __init__(
        self,
        clock: Callable[[], datetime],
        *,
        first_retry: float = FIRST_RETRY,
        max_retry: float = MAX_RETRY,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.clock = clock
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.monotonic = monotonic
        self._lock = threading.Lock()
        self._since: datetime | None = None
        self._reason = ""
        self._failures = 0
        self._retry_at = 0.0

    @property
    def online(self) -> bool:
        with self._lock:
            return self._since is None

    def status(self) -> Status:
        with self._lock:
            return Status(self._since is None, self._since, self._reason, self._failures)

    def failed(self, reason: str) -> Transition:
        """The database could not be reached; schedule the next retry (backing off)."""
        with self._lock:
            self._failures += 1
            self._reason = reason
            self._retry_at = self.monotonic() + self._delay()
            if self._since is None:
                self._since = self.clock()
                return Transition.WENT_OFFLINE
            return Transition.SAME

    def succeeded(self) -> Transition:
        """A call reached the database."""
        with self._lock:
            self._failures = 0
            self._reason = ""
            self._retry_at = 0.0
            if self._since is not None:
                self._since = None
                return Transition.BACK_ONLINE
            return Transition.SAME

    def retry_due(self) -> bool:
        """Whether a background call (a sync) should be tried now."""
        with self._lock:
            return self._since is None or self.monotonic() >= self._retry_at

    def next_retry_in(self) -> float:
        """Seconds until the next retry is due (0 when online or due)."""
        with self._lock:
            if self._since is None:
                return 0.0
            return max(0.0, self._retry_at - self.monotonic())

    def _delay(self) -> float:
        return min(self.max_retry, self.first_retry * 2 ** max(0, self._failures - 1))
