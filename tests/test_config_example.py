"""config.example.toml documents every key with its default, so it cannot drift."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from deskterm.config import KEYS, load_settings
from deskterm.keymap import COMMANDS

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.toml"
SETTING = re.compile(r"^# (\[[a-z_.]+\]|[a-z_]+ = .*)$")
MACHINE_DEFAULTS = {"agent.name", "agent.timezone", "database.url"}  # depend on the machine


def uncommented() -> str:
    """The example with every commented-out setting (and section header) switched on."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    return "\n".join(m.group(1) for line in lines if (m := SETTING.match(line))) + "\n"


def test_copying_the_example_changes_nothing():
    assert tomllib.loads(EXAMPLE.read_text(encoding="utf-8")) == {}


def test_every_key_is_documented_once():
    doc = tomllib.loads(uncommented())  # also: no key appears twice
    documented = set()
    for section, table in doc.items():
        for key, value in table.items() if isinstance(table, dict) else ():
            if isinstance(value, dict):  # [mail.smtp] inside [mail]
                documented |= {f"{section}.{key}.{sub}" for sub in value}
            else:
                documented.add(f"{section}.{key}")
    assert documented == set(KEYS) | {f"keys.{c.id}" for c in COMMANDS}
    assert "team_config" in doc


def test_documented_defaults_are_the_real_defaults(tmp_path):
    """Switched on (without the team file), the example loads and equals the defaults."""
    text = "\n".join(line for line in uncommented().splitlines() if "team_config" not in line)
    example = tmp_path / "example.toml"
    example.write_text(text, encoding="utf-8")
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    on = load_settings(config_path=example, env={})
    default = load_settings(config_path=empty, env={})
    for key in set(KEYS) - MACHINE_DEFAULTS:
        assert on.value(key) == default.value(key), key
    for command in COMMANDS:
        assert on.value(f"keys.{command.id}") == list(command.keys), command.id


def test_every_key_has_a_doc_line_in_the_schema():
    for key in KEYS.values():
        assert key.doc and "\n" not in key.doc and key.expect
