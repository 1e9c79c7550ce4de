"""Load the layered settings: defaults < team file < personal file < environment < flags.

Every layer is checked on its own, so an error names the file, variable or flag that
holds the bad value. Nothing falls back to a default silently.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from deskterm.config.bindings import check_binding, check_conflicts
from deskterm.config.parse import parse_text, read_toml, show, suggest
from deskterm.config.schema import KEYS, SECTIONS, TEAM_CONFIG, ConfigError, Invalid, Key
from deskterm.config.settings import Settings, build_settings
from deskterm.keymap import COMMAND_IDS, COMMANDS

ENV_PREFIX = "DESKTERM_"
ENV_CONFIG = "DESKTERM_CONFIG"  # the personal file (like --config)
ENV_TEAM_CONFIG = "DESKTERM_TEAM_CONFIG"  # the team file (wins over team_config)
ENV_IGNORED_PREFIX = "DESKTERM_TEST_"  # reserved for the test suite (DESKTERM_TEST_PG)
FLAGS = {"database.url": "--db"}  # how command-line overrides are labelled in sources


@dataclass(slots=True)
class Layer:
    """The checked contents of one file, the environment or the flags."""

    values: dict[str, object] = field(default_factory=dict)
    keys: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # dotted key → source
    team_config: str | None = None


def check_value(key: Key, value: object, where: str) -> object:
    """The normalised value, or ConfigError: ``where: "a.b" must be ..., got ...``."""
    try:
        return key.check(value)
    except Invalid as exc:
        detail = f" ({exc.detail})" if exc.detail else ""
        prefix = f"{where}: " if where else ""
        raise ConfigError(
            f'{prefix}"{key.dotted}" must be {key.expect}, got {show(value)}{detail}'
        ) from None


def unknown(where: str, name: str, *, section: bool = False) -> ConfigError:
    """An unknown section or key, with the nearest valid name when there is one."""
    owner, _, rest = name.rpartition(".")
    bare = {k.name: k.dotted for k in KEYS.values()}  # a key written in the wrong place
    if owner:
        mine = {k.name: k.dotted for k in KEYS.values() if k.section == owner}
        best = suggest(rest, mine) or suggest(rest, bare)
        if not best and owner not in SECTIONS:  # a mistyped section, e.g. "queu.order"
            best = suggest(name, KEYS)
        target = mine.get(best or "") or bare.get(best or "") or best
    else:
        tops = {s: s for s in (*SECTIONS, TEAM_CONFIG)}
        best = suggest(name, tops) or suggest(name, bare)
        target = tops.get(best or "") or bare.get(best or "")
    if target:
        hint = f' — did you mean "{target}"?'
    elif owner in SECTIONS:
        names = [k.name for k in KEYS.values() if k.section == owner]
        hint = f" (valid in [{owner}]: {', '.join(names)})"
    else:
        hint = f" (sections: {', '.join(SECTIONS)})"
    what = "section" if section else "setting"
    prefix = f"{where}: " if where else ""
    return ConfigError(f'{prefix}unknown {what} "{name}"{hint}')


def check_document(doc: Mapping[str, object], where: str, *, personal: bool) -> Layer:
    """Check a parsed TOML file against the schema; ``where`` names it in errors."""
    layer = Layer()
    for name, value in doc.items():
        if name == TEAM_CONFIG:
            if not personal:
                raise ConfigError(
                    f'{where}: "{TEAM_CONFIG}" belongs in a personal file, not in the team file'
                )
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f'{where}: "{TEAM_CONFIG}" must be the path of the team file, got {show(value)}'
                )
            layer.team_config = value
            continue
        if name not in SECTIONS:
            raise unknown(where, name, section=isinstance(value, dict))
        if not isinstance(value, dict):
            raise ConfigError(f'{where}: "{name}" must be a table ([{name}]), got {show(value)}')
        for sub, item in value.items():
            dotted = f"{name}.{sub}"
            if dotted in SECTIONS and isinstance(item, dict):  # [mail.smtp] inside [mail]
                _check_table(layer, dotted, item, where)
                continue
            if name == "keys":
                layer.keys[sub] = check_binding(where, sub, item)
            elif dotted in KEYS:
                layer.values[dotted] = check_value(KEYS[dotted], item, where)
            else:
                raise unknown(where, dotted)
            layer.labels[dotted] = where
    return layer


def _check_table(layer: Layer, section: str, table: Mapping[str, object], where: str) -> None:
    """The keys of a sub-table such as ``[mail.smtp]``."""
    for sub, item in table.items():
        dotted = f"{section}.{sub}"
        if dotted not in KEYS:
            raise unknown(where, dotted)
        layer.values[dotted] = check_value(KEYS[dotted], item, where)
        layer.labels[dotted] = where


def _env_name(name: str) -> str | None:
    """The dotted key a ``DESKTERM_*`` variable sets, or None when it sets nothing known."""
    rest = name.removeprefix(ENV_PREFIX).lower()
    for section in sorted(SECTIONS, key=len, reverse=True):
        if rest.startswith(f"{section.replace('.', '_')}_"):
            dotted = f"{section}.{rest[len(section) + 1 :]}"
            known = dotted in KEYS or (section == "keys" and dotted[5:] in COMMAND_IDS)
            return dotted if known else None
    return None


def env_names() -> list[str]:
    """Every environment variable deskterm reads."""
    names = [ENV_CONFIG, ENV_TEAM_CONFIG, *(k.env for k in KEYS.values())]
    return names + [f"{ENV_PREFIX}KEYS_{c.id.upper()}" for c in COMMANDS]


def env_layer(env: Mapping[str, str]) -> Layer:
    """The settings given as ``DESKTERM_<SECTION>_<KEY>`` variables."""
    layer = Layer()
    for name in sorted(env):
        if not name.startswith(ENV_PREFIX) or name.startswith(ENV_IGNORED_PREFIX):
            continue
        if name in (ENV_CONFIG, ENV_TEAM_CONFIG):
            continue
        where = f"env {name}"
        dotted = _env_name(name)
        if dotted is None:
            known = [n.removeprefix(ENV_PREFIX) for n in env_names()]
            best = suggest(name.removeprefix(ENV_PREFIX), known)
            hint = f" — did you mean {ENV_PREFIX}{best}?" if best else ""
            raise ConfigError(f"{where}: not a deskterm setting{hint}")
        _set(layer, dotted, env[name], where)
    return layer


def overrides_layer(overrides: Mapping[str, object]) -> Layer:
    """The settings given by command-line flags, as dotted key → value."""
    layer = Layer()
    for dotted, value in overrides.items():
        where = FLAGS.get(dotted, "command line")
        section = dotted.partition(".")[0]
        if dotted not in KEYS and section != "keys":  # check_binding names unknown commands
            raise unknown(where, dotted)
        _set(layer, dotted, value, where)
    return layer


def _set(layer: Layer, dotted: str, value: object, where: str) -> None:
    """Check one value (text is parsed to the key's type first) into ``layer``."""
    section, _, name = dotted.partition(".")
    if section == "keys":
        raw = parse_text("keys", value) if isinstance(value, str) else value
        layer.keys[name] = check_binding(where, name, raw)
    else:
        key = KEYS[dotted]
        raw = parse_text(key.kind, value) if isinstance(value, str) else value
        layer.values[dotted] = check_value(key, raw, where)
    layer.labels[dotted] = where


def personal_config_path(
    config_path: Path | str | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """The personal file: ``--config``, else ``$DESKTERM_CONFIG``, else the user config folder."""
    return _personal(config_path, os.environ if env is None else env)[0]


def _personal(config_path: Path | str | None, env: Mapping[str, str]) -> tuple[Path, str | None]:
    """The personal file and what named it (None for the default location)."""
    if config_path is not None and str(config_path):
        return Path(config_path).expanduser().absolute(), "--config"
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]).expanduser().absolute(), f"${ENV_CONFIG}"
    return platformdirs.user_config_path("deskterm") / "config.toml", None


def _team(mine: Layer, personal: Path, env: Mapping[str, str]) -> tuple[Path, str] | None:
    """The team file and the label of what named it, or None."""
    if env.get(ENV_TEAM_CONFIG):
        return Path(env[ENV_TEAM_CONFIG]).expanduser().absolute(), f"env {ENV_TEAM_CONFIG}"
    if mine.team_config:
        path = Path(mine.team_config).expanduser()
        return (path if path.is_absolute() else personal.parent / path), str(personal)
    return None


def load_settings(
    *,
    config_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Settings:
    """The effective settings, or ConfigError with a one-line message (exit code 2)."""
    env = os.environ if env is None else env
    path, named_by = _personal(config_path, env)
    doc = read_toml(path, named_by=named_by, missing_ok=named_by is None)
    return layered(doc, path, env, overrides or {})


def default_settings() -> Settings:
    """The built-in defaults alone: no file is read and no variable consulted (for tests)."""
    return layered({}, personal_config_path(env={}), {}, {})


def layered(
    doc: Mapping[str, object],
    path: Path,
    env: Mapping[str, str],
    overrides: Mapping[str, object],
) -> Settings:
    """Settings from the personal file's parsed ``doc`` and the layers around it."""
    mine = check_document(doc, str(path), personal=True)
    layers = [Layer(), mine, env_layer(env), overrides_layer(overrides)]
    team = _team(mine, path, env)
    sources: dict[str, str] = {}
    if team:
        team_path, label = team
        by = "$" + ENV_TEAM_CONFIG if label.startswith("env ") else f"team_config in {path}"
        team_doc = read_toml(team_path, named_by=by)
        layers.insert(1, check_document(team_doc, str(team_path), personal=False))
        sources[TEAM_CONFIG] = label
    values: dict[str, object] = {}
    for key in KEYS.values():
        values[key.dotted] = key.default(env)
        sources[key.dotted] = "default"
    for command in COMMANDS:
        sources[f"keys.{command.id}"] = "default"
    keys: dict[str, list[str]] = {}
    for layer in layers:
        values |= layer.values
        keys |= layer.keys
        sources |= layer.labels
    check_conflicts(keys, sources)
    return build_settings(values, keys, sources, path, team[0] if team else None)
