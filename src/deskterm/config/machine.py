"""Defaults that depend on this machine: login name, local time zone, data folder.

Computed only when asked for, never at import time.
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs


def valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone this machine knows, e.g. "Europe/Paris"."""
    if not name or name.startswith(("/", ".")) or name != name.strip():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def default_agent_name(env: Mapping[str, str] | None = None) -> str:
    """The login name, or "agent" when it cannot be determined."""
    try:
        name = getpass.getuser().strip()
    except (OSError, KeyError, ImportError):
        return "agent"
    return name or "agent"


def system_zone(env: Mapping[str, str] | None = None) -> str:
    """The local IANA zone name ($TZ, /etc/timezone, /etc/localtime), else "UTC"."""
    env = os.environ if env is None else env
    candidates = [env.get("TZ", "").removeprefix(":")]
    with contextlib.suppress(OSError, UnicodeDecodeError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
            candidates.append(name.removeprefix("posix/").removeprefix("right/"))
    for name in candidates:
        if name and valid_zone(name) and name != "localtime":
            return name
    return "UTC"


def default_database_url(env: Mapping[str, str] | None = None) -> str:
    """A SQLite file in the user's data folder."""
    folder = platformdirs.user_data_path("deskterm")
    return f"sqlite:///{(folder / 'desk.db').as_posix()}"
