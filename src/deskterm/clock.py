"""Time helpers: everything is stored in UTC and shown in the agent's zone."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_epoch(value: datetime | None) -> int | None:
    """Whole epoch seconds of an aware datetime (None stays None)."""
    return None if value is None else int(value.timestamp())


def from_epoch(value: int | None) -> datetime | None:
    """An aware UTC datetime from epoch seconds (None stays None)."""
    return None if value is None else datetime.fromtimestamp(value, UTC)
