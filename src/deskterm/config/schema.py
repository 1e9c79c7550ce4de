"""The settings schema: every key with its type, default, check and one-line doc.

Pure data and small check functions. The defaults that describe this machine (login
name, local zone, data folder) live in ``machine`` and are computed only when loading.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from deskterm.config.machine import (
    default_agent_name,
    default_database_url,
    system_zone,
    valid_zone,
)
from deskterm.due import DueError, parse_due_only
from deskterm.errors import InvalidInput

QUEUE_CATEGORIES = ("overdue", "due_today", "waiting", "bad_mood", "at_risk", "rest")
TEAM_CONFIG = "team_config"  # the only top-level key, allowed in the personal file only


class ConfigError(InvalidInput):
    """A bad setting, file or variable; ``str(err)`` is one line naming where (exit code 2)."""


class Invalid(Exception):
    """Raised by a check: the value does not fit; ``detail`` optionally says why."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class Key:
    """One setting: ``[section] name``, its TOML type, default, check and doc."""

    section: str
    name: str
    kind: str  # "str", "int", "bool", "number" or "list" (of strings): how text is parsed
    expect: str  # what a valid value is, for messages: "an integer from 0 to 23"
    doc: str
    default: Callable[[Mapping[str, str]], object]  # given the environment
    check: Callable[[object], object]  # returns the normalised value or raises Invalid

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.name}"

    @property
    def env(self) -> str:
        """The environment variable that sets it, e.g. ``DESKTERM_FOLLOW_UP_DEFAULT_HOUR``."""
        return f"DESKTERM_{self.section}_{self.name}".replace(".", "_").upper()


# --- checks -----------------------------------------------------------------


def _text(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid()
    return value


def _int_between(low: int, high: int | None = None) -> Callable[[object], object]:
    def check(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid()
        if value < low or (high is not None and value > high):
            raise Invalid()
        return value

    return check


def _bool(value: object) -> bool:
    if not isinstance(value, bool):
        raise Invalid()
    return value


def _positive_number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise Invalid()
    if not math.isfinite(value) or value <= 0:
        raise Invalid()
    return float(value)


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise Invalid()
    return tuple(value)


def _zone(value: object) -> str:
    if not isinstance(value, str) or not valid_zone(value):
        raise Invalid()
    return value


def _quick(value: object) -> tuple[str, ...]:
    items = _strings(value)
    now = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # any fixed instant: only syntax matters
    for item in items:
        if not item.strip():
            raise Invalid("an item is empty")
        try:
            parse_due_only(item, now=now, tz=ZoneInfo("UTC"), allow_past=True)
        except DueError:
            raise Invalid(f'"{item}" is not a due expression') from None
    return items


def _labels(value: object) -> tuple[str, ...]:
    items = _strings(value)
    if len(items) != 5:
        raise Invalid(f"{len(items)} labels")
    if not all(item.strip() for item in items):
        raise Invalid("a label is empty")
    return items


def _order(value: object) -> tuple[str, ...]:
    items = _strings(value)
    unknown = [c for c in items if c not in QUEUE_CATEGORIES]
    if unknown:
        raise Invalid(f'"{unknown[0]}" is not a category')
    if "waiting" not in items and "bad_mood" in items:  # an order written before mail came
        at = items.index("bad_mood")
        items = (*items[:at], "waiting", *items[at:])
    missing = [c for c in QUEUE_CATEGORIES if c not in items]
    if missing:
        raise Invalid(f'"{missing[0]}" is missing')
    if len(items) != len(QUEUE_CATEGORIES):
        raise Invalid("a category is repeated")
    return items


def _optional_text(value: object) -> str:
    if not isinstance(value, str):
        raise Invalid()
    return value


def _optional_host(value: object) -> str:
    if not isinstance(value, str) or any(c.isspace() for c in value):
        raise Invalid()
    return value


def _from_address(value: object) -> str:
    from email.utils import getaddresses

    if not isinstance(value, str):
        raise Invalid()
    if not value.strip():
        return ""
    if any(c in value for c in "\r\n"):
        raise Invalid("a line break")
    pairs = getaddresses([value])
    if len(pairs) != 1 or "@" not in pairs[0][1]:
        raise Invalid("no single address")
    return value.strip()


def _one_of(*choices: str) -> Callable[[object], object]:
    def check(value: object) -> str:
        if value not in choices:
            raise Invalid()
        return str(value)

    return check


def _const(value: object) -> Callable[[Mapping[str, str]], object]:
    return lambda env: value


# --- the schema --------------------------------------------------------------

_SCHEMA: tuple[Key, ...] = (
    Key(
        "agent",
        "name",
        "str",
        "a non-empty string",
        "Your name as written on every entry you log (default: your login name).",
        default_agent_name,
        _text,
    ),
    Key(
        "agent",
        "timezone",
        "str",
        'an IANA time zone name such as "Europe/Paris"',
        "Your time zone, for due times and clocks (default: this machine's zone, else UTC).",
        system_zone,
        _zone,
    ),
    Key(
        "database",
        "url",
        "str",
        "a non-empty database URL",
        "Where the desk is stored: sqlite:///path/desk.db or postgresql+psycopg://user@host/db.",
        default_database_url,
        _text,
    ),
    Key(
        "database",
        "busy_timeout_ms",
        "int",
        "an integer from 0 to 3600000",
        "How long (milliseconds) a write waits for a SQLite file another program has locked "
        "before giving up with exit 75 (try again later).",
        _const(15_000),
        _int_between(0, 3_600_000),
    ),
    Key(
        "follow_up",
        "default_hour",
        "int",
        "an integer from 0 to 23",
        'The hour a follow-up is due when only a day is given ("fri", "2d").',
        _const(9),
        _int_between(0, 23),
    ),
    Key(
        "follow_up",
        "quick",
        "list",
        'a list of due expressions such as "2d"',
        "Quick choices offered in the follow-up window.",
        _const(("1h", "tomorrow", "2d", "1w")),
        _quick,
    ),
    Key(
        "follow_up",
        "allow_past",
        "bool",
        "true or false",
        "Whether a follow-up may be due in the past.",
        _const(False),
        _bool,
    ),
    Key(
        "mood",
        "labels",
        "list",
        "a list of exactly 5 non-empty strings (levels 1 to 5)",
        "The names of mood levels 1 (worst) to 5 (best).",
        _const(("very upset", "frustrated", "okay", "pleased", "delighted")),
        _labels,
    ),
    Key(
        "queue",
        "quiet_days",
        "int",
        "an integer of at least 1",
        "A person whose last mood was bad and who has been quiet this many days is at risk.",
        _const(7),
        _int_between(1),
    ),
    Key(
        "queue",
        "bad_mood_max",
        "int",
        "an integer from 1 to 4",
        "Mood levels up to this one count as a bad mood.",
        _const(2),
        _int_between(1, 4),
    ),
    Key(
        "queue",
        "order",
        "list",
        "a list naming each of " + ", ".join(QUEUE_CATEGORIES) + " once",
        "The order of the queue's groups, most urgent first.",
        _const(QUEUE_CATEGORIES),
        _order,
    ),
    Key(
        "queue",
        "check_back_days",
        "int",
        "an integer from 1 to 99",
        "Marking a follow-up done proposes a check-back in this many days.",
        _const(3),
        _int_between(1, 99),
    ),
    Key(
        "queue",
        "unanswered_days",
        "int",
        "an integer of at least 0",
        "A person whose last mood was bad, with no contact from us since for this many days,"
        " is at risk.",
        _const(2),
        _int_between(0),
    ),
    Key(
        "queue",
        "confirm_days",
        "int",
        "an integer of at least 0",
        "A follow-up done without a check-back, with nothing heard since, makes the person"
        " at risk after this many days.",
        _const(7),
        _int_between(0),
    ),
    Key(
        "queue",
        "waiting_minutes",
        "int",
        "an integer of at least 0",
        "A person whose mail has waited this many minutes for an answer rises as waiting.",
        _const(0),
        _int_between(0),
    ),
    Key(
        "mail",
        "from",
        "str",
        'one address such as "Support <support@example.com>", or ""',
        "The From of every message the desk sends (empty: the desk sends nothing).",
        _const(""),
        _from_address,
    ),
    Key(
        "mail",
        "signature",
        "str",
        "a string",
        'Added below every message written on the desk (after a "-- " line).',
        _const(""),
        _optional_text,
    ),
    *(
        key
        for server, port_doc, security in (
            ("smtp", "0: 587 for starttls, 465 for tls, 25 for none", "starttls"),
            ("imap", "0: 993 for tls, 143 otherwise", "tls"),
        )
        for key in (
            Key(
                f"mail.{server}",
                "host",
                "str",
                'a host name without spaces, or ""',
                f"The {server.upper()} server (empty: not used).",
                _const(""),
                _optional_host,
            ),
            Key(
                f"mail.{server}",
                "port",
                "int",
                "an integer from 0 to 65535",
                f"The {server.upper()} port ({port_doc}).",
                _const(0),
                _int_between(0, 65535),
            ),
            Key(
                f"mail.{server}",
                "security",
                "str",
                '"starttls", "tls" or "none"',
                "How the connection is encrypted: starttls, tls (from the start) or none.",
                _const(security),
                _one_of("starttls", "tls", "none"),
            ),
            Key(
                f"mail.{server}",
                "user",
                "str",
                "a string",
                "The login name (empty: no login).",
                _const(""),
                _optional_text,
            ),
            Key(
                f"mail.{server}",
                "password_command",
                "str",
                'a shell command, or ""',
                "A command whose output is the password (never write the password here).",
                _const(""),
                _optional_text,
            ),
        )
    ),
    Key(
        "mail.imap",
        "folder",
        "str",
        "a non-empty folder name",
        "The IMAP folder whose unseen messages are fetched.",
        _const("INBOX"),
        _text,
    ),
    Key(
        "mail.imap",
        "poll_seconds",
        "number",
        "a number greater than 0",
        "How often, in seconds, to look for new mail when the server has no IDLE.",
        _const(60.0),
        _positive_number,
    ),
    Key(
        "ui",
        "theme",
        "str",
        "a non-empty string",
        "The colour theme (any Textual theme name).",
        _const("textual-dark"),
        _text,
    ),
    Key(
        "ui",
        "refresh_seconds",
        "number",
        "a number greater than 0",
        "Seconds between two safety-net checks for other agents' changes (they arrive live).",
        _const(10.0),
        _positive_number,
    ),
    Key(
        "team",
        "heartbeat_seconds",
        "number",
        "a number greater than 0",
        "How often, in seconds, an open desk tells the others which person it is on.",
        _const(12.0),
        _positive_number,
    ),
    Key(
        "team",
        "expiry_seconds",
        "number",
        "a number greater than 0",
        "A desk not heard from for this many seconds is no longer shown (it died).",
        _const(45.0),
        _positive_number,
    ),
)

KEYS: dict[str, Key] = {key.dotted: key for key in _SCHEMA}
"""Every setting of the ``[agent]``, ``[database]``, ... sections, by dotted name."""

SECTIONS: tuple[str, ...] = (*dict.fromkeys(key.section for key in _SCHEMA), "keys")
"""Every section; ``[keys]`` maps command ids (``deskterm.keymap``) to key names."""
KEYS_DOC = "Remap commands: command id = a key name or a list of key names."
