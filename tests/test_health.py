"""The desk's one database status: offline since when, back once, retries backing off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from deskterm.services.health import Health, Transition


class Ticker:
    """A monotonic clock tests move by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(clock) -> tuple[Health, Ticker]:
    ticker = Ticker()
    return Health(clock, first_retry=1.0, max_retry=8.0, monotonic=ticker), ticker


def test_online_until_a_failure(clock):
    health, _ = make(clock)
    assert health.online and health.status().text() == ""
    assert health.retry_due()


def test_first_failure_goes_offline_and_later_ones_do_not_repeat_it(clock):
    health, _ = make(clock)
    went = clock()
    assert health.failed("database error: connection refused") is Transition.WENT_OFFLINE
    clock.advance(minutes=3)
    assert health.failed("database error: connection refused") is Transition.SAME
    status = health.status()
    assert not status.online and status.since == went and status.failures == 2
    assert status.reason == "database error: connection refused"


def test_status_text_is_in_the_agents_time_zone():
    clock = lambda: datetime(2026, 12, 3, 9, 42, tzinfo=UTC)  # noqa: E731
    health, _ = make(clock)
    health.failed("gone")
    assert health.status().text(ZoneInfo("Europe/Berlin")) == "offline since 10:42 · retrying"


def test_back_online_is_said_once(clock):
    health, _ = make(clock)
    assert health.succeeded() is Transition.SAME
    health.failed("gone")
    assert health.succeeded() is Transition.BACK_ONLINE
    assert health.succeeded() is Transition.SAME
    assert health.online and health.status().failures == 0


def test_retries_back_off_and_are_capped(clock):
    health, ticker = make(clock)
    waits = []
    for _ in range(6):
        health.failed("gone")
        waits.append(health.next_retry_in())
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert not health.retry_due()
    ticker.now += 7.9
    assert not health.retry_due()
    ticker.now += 0.2
    assert health.retry_due()


def test_a_success_resets_the_backoff(clock):
    health, _ = make(clock)
    for _ in range(4):
        health.failed("gone")
    health.succeeded()
    clock.advance(hours=1)
    health.failed("gone again")
    assert health.next_retry_in() == 1.0
    assert health.status().since == clock()
    assert clock() - timedelta(hours=1) != health.status().since
