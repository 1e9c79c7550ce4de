"""``deskterm config show``: every effective setting and where it came from."""

from __future__ import annotations

import re

from deskterm.config.parse import inline
from deskterm.config.schema import KEYS, SECTIONS, TEAM_CONFIG
from deskterm.config.settings import Settings
from deskterm.keymap import COMMANDS

_PASSWORD = re.compile(r"^([a-z0-9+.-]+://[^:/@]*:)[^@]*@", re.IGNORECASE)
_ALIGN = 48  # comments line up unless the setting is longer than this


def hide_password(url: str) -> str:
    """The URL with any password replaced by ``***``."""
    return _PASSWORD.sub(r"\1***@", url)


def render_settings(settings: Settings) -> str:
    """The settings as commented TOML, grouped by section, each line saying its source."""
    personal = settings.personal_path
    found = "" if personal.exists() else " (not found: nothing set there)"
    lines = [f"# personal file: {personal}{found}"]
    if settings.team_path is None:
        lines.append("# team file: none")
    else:
        named = settings.sources.get(TEAM_CONFIG, "")
        by = f" (named by {named})" if named else ""
        lines.append(f"# team file: {settings.team_path}{by}")
    for section in SECTIONS:
        if section == "keys":
            dotted = [f"keys.{c.id}" for c in COMMANDS]
        else:
            dotted = [k for k in KEYS if KEYS[k].section == section]
        rows = []
        for key in dotted:
            raw = settings.value(key)
            if key == "database.url" and isinstance(raw, str):
                raw = hide_password(raw)
            value = inline(raw)
            source = settings.sources.get(key, "default")
            rows.append((f"{key.rpartition('.')[2]} = {value}", source))
        width = max((len(text) for text, _ in rows if len(text) <= _ALIGN), default=0)
        lines += ["", f"[{section}]"]
        lines += [f"{text.ljust(width)}  # {source}" for text, source in rows]
    return "\n".join(lines) + "\n"
