"""Strict, layered TOML settings — no Textual, no database.

Layers, lowest to highest: built-in defaults < team file < personal file <
environment (``DESKTERM_<SECTION>_<KEY>``) < command-line overrides. Every bad file,
key, value or variable is a ``ConfigError`` whose one-line message names where it is;
nothing falls back to a default silently. ``config.example.toml`` documents every key.
"""

from deskterm.config.loader import (
    ENV_CONFIG,
    ENV_TEAM_CONFIG,
    default_settings,
    env_names,
    load_settings,
    personal_config_path,
)
from deskterm.config.render import render_settings
from deskterm.config.schema import KEYS, SECTIONS, ConfigError, Key
from deskterm.config.settings import (
    AgentSection,
    DatabaseSection,
    FollowUpSection,
    MoodSection,
    QueueSection,
    Settings,
    TeamSection,
    UISection,
)
from deskterm.config.writer import set_personal_value

__all__ = [
    "ENV_CONFIG",
    "ENV_TEAM_CONFIG",
    "KEYS",
    "SECTIONS",
    "AgentSection",
    "ConfigError",
    "DatabaseSection",
    "FollowUpSection",
    "Key",
    "MoodSection",
    "QueueSection",
    "Settings",
    "TeamSection",
    "UISection",
    "default_settings",
    "env_names",
    "load_settings",
    "personal_config_path",
    "render_settings",
    "set_personal_value",
]
