"""Plain, immutable views of stored data handed to the CLI and the TUI.

They hold no database session, so a screen can keep them as long as it likes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

PROFILE_FIELDS = (
    "name",
    "email",
    "phone",
    "company",
    "internal",
    "pace",
    "channel",
    "language",
    "timezone",
    "matters",
    "tags",
)


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """A person's profile as stored, with the version an edit must quote."""

    id: int
    name: str
    email: str | None
    phone: str
    company: str
    internal: bool
    pace: str
    channel: str
    language: str
    timezone: str
    matters: str
    tags: tuple[str, ...]
    version: int
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str
    owner: str | None = None

    def label(self) -> str:
        """How to name this person in a list of candidates."""
        email = f" <{self.email}>" if self.email else ""
        return f"{self.name}{email} (id {self.id})"

    def profile(self) -> dict[str, Any]:
        """The editable fields as a dict (tags as a list)."""
        values = {name: getattr(self, name) for name in PROFILE_FIELDS}
        values["tags"] = list(self.tags)
        return values


@dataclass(frozen=True, slots=True)
class MoodView:
    level: int
    note: str
    agent: str
    at: datetime


@dataclass(frozen=True, slots=True)
class FollowUpView:
    id: int
    person_id: int
    due_at: datetime
    note: str
    agent: str
    created_at: datetime
    done_at: datetime | None = None
    done_by: str | None = None
    outcome: str | None = None
    assignee: str | None = None
    check_back_of: int | None = None

    @property
    def is_open(self) -> bool:
        return self.done_at is None


@dataclass(frozen=True, slots=True)
class EntryView:
    """One timeline entry; ``data`` holds kind-specific details (edit changes, mood level)."""

    id: int
    person_id: int
    at: datetime
    agent: str
    kind: str
    channel: str
    text: str
    data: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def decode(raw: str) -> dict[str, Any]:
        return json.loads(raw) if raw else {}


@dataclass(frozen=True, slots=True)
class PersonDetail:
    """Everything the person view shows, loaded in one go."""

    person: PersonRecord
    mood: MoodView | None
    moods: tuple[MoodView, ...]  # oldest first, for the trend chart
    open_follow_ups: tuple[FollowUpView, ...]  # earliest due first
    timeline: tuple[EntryView, ...]  # newest first, first page
    has_more: bool


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    """People changed or erased since the last poll."""

    changed: frozenset[int]
    erased: frozenset[int]

    def __bool__(self) -> bool:
        return bool(self.changed or self.erased)
