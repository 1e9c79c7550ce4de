"""Reading TOML files and text values, with one-line messages that say where.

``read_toml`` turns every way a file can be unreadable into a ``ConfigError``
named ``FILE:LINE:COLUMN``. ``parse_text`` turns the text of an environment
variable or of ``deskterm config set`` into a value of the key's type.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

import tomli_w

from deskterm.config.schema import ConfigError

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = re.compile(r"\s*\(at end of document\)$")
_TRUE = {"true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


def read_toml(
    path: Path, *, named_by: str | None = None, missing_ok: bool = False
) -> dict[str, object]:
    """The parsed file, or ConfigError naming the file (and line:column for syntax).

    A missing file is ``{}`` when ``missing_ok``; otherwise the error says what named it.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return {}
        by = f" (named by {named_by})" if named_by else ""
        raise ConfigError(f"{path}: config file not found{by}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = _locate(path, text, str(exc))
        raise ConfigError(f"{where}: invalid TOML: {_reason(exc)}") from None


def _locate(path: Path, text: str, message: str) -> str:
    """``path:line:column`` from tomllib's message (the end of the file if it says so)."""
    match = _AT.search(message)
    if match:
        return f"{path}:{match.group(1)}:{match.group(2)}"
    if _AT_END.search(message):
        line = text.count("\n") + 1
        column = len(text.rsplit("\n", 1)[-1]) + 1
        return f"{path}:{line}:{column}"
    return str(path)


def _reason(exc: tomllib.TOMLDecodeError) -> str:
    message = str(exc).splitlines()[0] if str(exc) else "syntax error"
    return _AT_END.sub("", _AT.sub("", message))


def suggest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to ``word`` when it is plausibly a typo of it, else None."""
    options = list(choices)
    if not options:
        return None
    from rapidfuzz import fuzz, process  # only on the error path: keeps start-up fast

    best = process.extractOne(word, options, scorer=fuzz.ratio, score_cutoff=60)
    return None if best is None else best[0]


def did_you_mean(word: str, choices: Iterable[str], quote: str = '"') -> str:
    """`` — did you mean "x"?`` or an empty string."""
    best = suggest(word, choices)
    return f" — did you mean {quote}{best}{quote}?" if best else ""


def inline(value: object) -> str:
    """A value as one line of TOML (strings quoted, booleans lower case, arrays inline)."""
    if isinstance(value, list | tuple):
        return "[" + ", ".join(inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "a table"
    try:
        return tomli_w.dumps({"v": value}).strip().removeprefix("v = ")
    except (TypeError, ValueError):
        return repr(value)


def show(value: object, limit: int = 60) -> str:
    """A value for an error message: ``inline``, shortened to ``limit`` characters."""
    text = inline(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _toml_value(raw: str) -> tuple[bool, object]:
    """(True, value) when ``raw`` is a TOML value, else (False, None)."""
    try:
        return True, tomllib.loads(f"v = {raw}")["v"]
    except (tomllib.TOMLDecodeError, KeyError):
        return False, None


def parse_text(kind: str, raw: str) -> object:
    """Text from the environment or the command line, as a value of type ``kind``.

    Strings are taken as given (a quoted TOML string is unquoted). Integers and numbers
    use TOML syntax. Booleans accept true/false, yes/no, on/off, 1/0. Lists are either a
    TOML array (``["a", "b"]``) or comma-separated items (``1h, 2d``), spaces trimmed.
    Text that does not parse is returned as is, so the check reports it as given.
    """
    text = raw.strip()
    if kind == "str":
        if text[:1] in ('"', "'"):
            ok, value = _toml_value(text)
            if ok and isinstance(value, str):
                return value
        return raw
    if kind == "bool":
        lowered = text.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else raw
    if kind in ("int", "number"):
        ok, value = _toml_value(text)
        return value if ok and not isinstance(value, str) else raw
    if kind in ("list", "keys"):
        if text.startswith("["):
            ok, value = _toml_value(text)
            return value if ok else raw
        if kind == "keys" and text[:1] in ('"', "'"):
            ok, value = _toml_value(text)
            return value if ok else raw
        return [item.strip() for item in text.split(",")] if text else []
    raise ValueError(f"unknown kind {kind!r}")
