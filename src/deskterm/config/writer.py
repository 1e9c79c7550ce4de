"""``deskterm config set``: change one key of the personal file, safely.

The new value is checked exactly as loading would check it (together with the rest of
the file and its team file) before anything is written; the file is then replaced in
one atomic step, so a crash or a bad value never leaves it half-written.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

import tomli_w

from deskterm.config.bindings import check_binding
from deskterm.config.loader import check_value, layered, unknown
from deskterm.config.parse import parse_text, read_toml, show
from deskterm.config.schema import KEYS, TEAM_CONFIG, ConfigError

NEW_FILE_MODE = 0o600  # the file may hold a database URL with a password


def set_personal_value(path: Path, dotted_key: str, raw: str) -> None:
    """Set ``dotted_key`` to ``raw`` in the personal file at ``path``, keeping other keys.

    ``raw`` is TOML literal syntax (``9``, ``true``, ``["a", "b"]``, ``"text"``) or bare
    text (``Europe/Paris``; ``1h, 2d`` for a list). ``keys.<command>`` and ``team_config``
    are accepted too. Comments and layout in the file are not kept (tomli-w writes plain
    TOML), but every key is. Raises ConfigError and leaves the file untouched when the key
    is unknown, the value is invalid, or the file as a whole would not load.
    """
    path = Path(path).expanduser().absolute()
    target = path.resolve() if path.is_symlink() else path  # keep a dotfile manager's link
    doc = read_toml(target, missing_ok=True)
    section, _, name = dotted_key.partition(".")
    if dotted_key == TEAM_CONFIG:
        value: object = parse_text("str", raw)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f'"{TEAM_CONFIG}" must be the path of the team file, got {show(raw)}')
        doc[TEAM_CONFIG] = value
    else:
        if section == "keys":
            value = parse_text("keys", raw)
            value = value[0] if isinstance(value, list) and len(value) == 1 else value
            check_binding("", name, value)
        elif dotted_key in KEYS:
            value = parse_text(KEYS[dotted_key].kind, raw)
            check_value(KEYS[dotted_key], value, "")
        else:
            raise unknown("", dotted_key)
        if section != "keys":
            section, _, name = dotted_key.rpartition(".")  # mail.smtp.host → [mail.smtp]
        table: object = doc
        for part in section.split("."):
            table = table.setdefault(part, {}) if isinstance(table, dict) else None
            if not isinstance(table, dict):
                got = show(table)
                raise ConfigError(f'{path}: "{section}" must be a table ([{section}]), got {got}')
        table[name] = list(value) if isinstance(value, tuple) else value
    layered(doc, path, {}, {})  # the whole file, with its team file, must still load
    write_atomic(target, tomli_w.dumps(doc))


def write_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` atomically, keeping its permission bits (new: 0o600)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:
            mode = NEW_FILE_MODE
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if isinstance(exc, OSError):
            raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
