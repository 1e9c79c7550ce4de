"""The effective settings: one frozen dataclass per section, built from checked values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from deskterm.keymap import BY_ID


@dataclass(frozen=True, slots=True)
class AgentSection:
    """``[agent]``: who is logging, and in which zone."""

    name: str
    timezone: str

    @property
    def tz(self) -> ZoneInfo:
        """The agent's zone as a ZoneInfo."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class DatabaseSection:
    """``[database]``: the SQLAlchemy URL of the desk, and how long to wait for a lock."""

    url: str
    busy_timeout_ms: int


@dataclass(frozen=True, slots=True)
class FollowUpSection:
    """``[follow_up]``: how due expressions are read and offered."""

    default_hour: int
    quick: tuple[str, ...]
    allow_past: bool


@dataclass(frozen=True, slots=True)
class MoodSection:
    """``[mood]``: the names of levels 1..5."""

    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueueSection:
    """``[queue]``: who is at risk and the order of the queue's groups."""

    quiet_days: int
    bad_mood_max: int
    order: tuple[str, ...]
    check_back_days: int = 3
    unanswered_days: int = 2
    confirm_days: int = 7
    waiting_minutes: int = 0


@dataclass(frozen=True, slots=True)
class UISection:
    """``[ui]``: the look and the safety-net refresh interval."""

    theme: str
    refresh_seconds: float


@dataclass(frozen=True, slots=True)
class TeamSection:
    """``[team]``: presence heartbeats and when a silent desk counts as gone."""

    heartbeat_seconds: float
    expiry_seconds: float


@dataclass(frozen=True, slots=True)
class ServerSection:
    """``[mail.smtp]`` / ``[mail.imap]``: a mail server and how to log in to it.

    The password is never stored: ``password_command`` prints it (see ``mail.secret``).
    """

    host: str
    port: int
    security: str
    user: str
    password_command: str
    folder: str = "INBOX"  # IMAP only
    poll_seconds: float = 60.0  # IMAP only

    @property
    def configured(self) -> bool:
        return bool(self.host)


@dataclass(frozen=True, slots=True)
class MailSection:
    """``[mail]``: the sender, the signature and the two servers."""

    sender: str  # "[mail] from" (a Python keyword, hence the name)
    signature: str
    smtp: ServerSection
    imap: ServerSection


_FIELD_NAMES = {"from": "sender"}  # setting name → attribute, where they differ
_SECTION_TYPES = {
    "agent": AgentSection,
    "database": DatabaseSection,
    "follow_up": FollowUpSection,
    "mood": MoodSection,
    "queue": QueueSection,
    "ui": UISection,
    "team": TeamSection,
}


@dataclass(frozen=True)
class Settings:
    """Every effective setting, and where each came from.

    ``keys`` holds only the remapped commands (command id → keys); ``sources`` maps
    every dotted key (``"queue.order"``, ``"keys.quit"``) to "default", a file path,
    ``"env DESKTERM_..."`` or a flag such as ``"--db"``.
    """

    agent: AgentSection
    database: DatabaseSection
    follow_up: FollowUpSection
    mood: MoodSection
    queue: QueueSection
    ui: UISection
    team: TeamSection
    personal_path: Path
    mail: MailSection = field(
        default_factory=lambda: MailSection(
            "", "", ServerSection("", 0, "starttls", "", ""), ServerSection("", 0, "tls", "", "")
        )
    )
    team_path: Path | None = None
    keys: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def mood_label(self, level: int) -> str:
        """The label of mood level 1..5 ("very upset" … "delighted")."""
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise ValueError(f"mood level must be 1 to 5, not {level!r}")
        return self.mood.labels[level - 1]

    def value(self, dotted: str) -> object:
        """The effective value of ``"section.name"``; ``"keys.<id>"`` gives the keys."""
        section, _, name = dotted.rpartition(".")
        if section == "keys":
            return list(self.keys.get(name) or BY_ID[name].keys)
        owner: object = self
        for part in section.split("."):
            owner = getattr(owner, part)
        return getattr(owner, _FIELD_NAMES.get(name, name))


def build_settings(
    values: Mapping[str, object],
    keys: dict[str, list[str]],
    sources: dict[str, str],
    personal_path: Path,
    team_path: Path | None,
) -> Settings:
    """A Settings from checked values keyed by dotted name."""
    sections = {}
    for section, kind in _SECTION_TYPES.items():
        sections[section] = kind(**_fields(values, section))
    mail = MailSection(
        **{_FIELD_NAMES.get(k, k): v for k, v in _fields(values, "mail").items()},
        smtp=ServerSection(**_fields(values, "mail.smtp")),
        imap=ServerSection(**_fields(values, "mail.imap")),
    )
    return Settings(
        **sections,
        mail=mail,
        keys=keys,
        sources=sources,
        personal_path=personal_path,
        team_path=team_path,
    )


def _fields(values: Mapping[str, object], section: str) -> dict[str, object]:
    """The values of ``[section]`` itself (not of its sub-sections), by name."""
    prefix = f"{section}."
    return {
        k.removeprefix(prefix): v
        for k, v in values.items()
        if k.startswith(prefix) and "." not in k.removeprefix(prefix)
    }
