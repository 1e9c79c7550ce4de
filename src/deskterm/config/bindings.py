"""The ``[keys]`` section: command id → key name(s), checked against ``deskterm.keymap``."""

from __future__ import annotations

from collections.abc import Mapping

from deskterm.config.parse import did_you_mean, show
from deskterm.config.schema import ConfigError
from deskterm.keymap import BY_ID, COMMAND_IDS, COMMANDS

EXPECT = "a key name or a non-empty list of key names (no spaces or commas)"


def _at(where: str) -> str:
    return f"{where}: " if where else ""


def _valid_key(key: object) -> bool:
    return isinstance(key, str) and bool(key) and not any(c.isspace() or c == "," for c in key)


def check_binding(where: str, command: str, value: object) -> list[str]:
    """The keys for one ``[keys]`` entry, or ConfigError naming ``where`` and the entry."""
    dotted = f"keys.{command}"
    if command not in COMMAND_IDS:
        hint = did_you_mean(dotted, (f"keys.{c}" for c in sorted(COMMAND_IDS)))
        if not hint:
            hint = f" (commands: {', '.join(c.id for c in COMMANDS)})"
        raise ConfigError(f'{_at(where)}unknown command "{dotted}"{hint}')
    keys = [value] if isinstance(value, str) else value
    if not isinstance(keys, list | tuple) or not keys or not all(_valid_key(k) for k in keys):
        raise ConfigError(f'{_at(where)}"{dotted}" must be {EXPECT}, got {show(value)}')
    return list(dict.fromkeys(keys))  # a key listed twice for one command counts once


def check_conflicts(keys: Mapping[str, list[str]], sources: Mapping[str, str]) -> None:
    """ConfigError when, after remapping, one key is bound to two commands."""
    owner: dict[str, str] = {}
    for command in COMMANDS:
        for key in keys.get(command.id, command.keys):
            other = owner.setdefault(key, command.id)
            if other != command.id:
                raise ConfigError(_clash(key, other, command.id, sources))


def _clash(key: str, first: str, second: str, sources: Mapping[str, str]) -> str:
    """The message for two commands on one key, prefixed by the file that remapped one."""
    origin = {c: sources.get(f"keys.{c}", "default") for c in (first, second)}
    where = origin[second] if origin[second] != "default" else origin[first]

    def name(command: str) -> str:
        label = origin[command]
        label = "" if label == where else " (default)" if label == "default" else f" ({label})"
        return f'"keys.{command}"{label}'

    return (
        f'{where}: key "{key}" is bound to both {name(first)} and {name(second)}'
        " — remap one of them in [keys]"
    )


def default_keys(command: str) -> list[str]:
    """The built-in keys of a command."""
    return list(BY_ID[command].keys)
