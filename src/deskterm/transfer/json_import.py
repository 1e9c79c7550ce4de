"""Read people from JSON Lines or a JSON array in the export format.

Each object holds the profile fields, and optionally ``entries``, ``follow_ups``,
``moods`` (or just the current ``mood``), ``created_at``/``created_by`` and ``notes``.
``id`` is ignored: the database gives imported people new ids. An object with
``entries`` is taken as a complete timeline (an export); without it, the timeline is
built from its moods and follow-ups as the desk would have written it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from deskterm.errors import InvalidInput
from deskterm.transfer.checks import person_from
from deskterm.transfer.common import Parsed, Progress, Row, physical_lines

_WS = re.compile(r"[ \t\n\r]*")


def parse_jsonl(
    text: str,
    source: str,
    *,
    agent: str,
    now: datetime,
    origin: str = "",
    on_row: Progress | None = None,
) -> Parsed:
    """One object per line; a line that is not JSON is a bad row, not a bad file."""
    parsed = Parsed(source, "jsonl", [])
    unknown: dict[str, int] = {}
    for number, line in enumerate(physical_lines(text), start=1):
        if not line.strip():
            continue
        row = Row(number, line)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            row.problems.append(f"json: {exc.msg} (column {exc.colno})")
        except (ValueError, RecursionError):
            row.problems.append("json: not a valid JSON value")
        else:
            person_from(obj, row, agent=agent, now=now, origin=origin or source, unknown=unknown)
        parsed.rows.append(row)
        if on_row and len(parsed.rows) % 1000 == 0:
            on_row(len(parsed.rows))
    if not parsed.rows:
        raise InvalidInput(f"{source}: the file is empty (expected one JSON object per line)")
    parsed.warnings += _unknown_warning(source, unknown)
    return parsed


def parse_json_array(
    text: str,
    source: str,
    *,
    agent: str,
    now: datetime,
    origin: str = "",
    on_row: Progress | None = None,
) -> Parsed:
    """A JSON array of objects; broken JSON syntax makes the whole file unusable."""
    parsed = Parsed(source, "json", [])
    unknown: dict[str, int] = {}
    for line, obj in _array_items(text, source):
        row = Row(line, json.dumps(obj, ensure_ascii=False) + "\n")
        person_from(obj, row, agent=agent, now=now, origin=origin or source, unknown=unknown)
        parsed.rows.append(row)
        if on_row and len(parsed.rows) % 1000 == 0:
            on_row(len(parsed.rows))
    if not parsed.rows:
        raise InvalidInput(f"{source}: the array is empty: nothing to import")
    parsed.warnings += _unknown_warning(source, unknown)
    return parsed


def _array_items(text: str, source: str) -> Iterator[tuple[int, Any]]:
    """(line, value) for each element, with the line each element starts on."""
    decoder = json.JSONDecoder()

    def fail(at: int, what: str) -> InvalidInput:
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return InvalidInput(f"{source}:{line}:{column}: invalid JSON: {what}")

    at = _WS.match(text, 0).end()  # type: ignore[union-attr]
    if text[at : at + 1] != "[":
        raise fail(at, "expected an array of people ('[')")
    line, counted = 1, 0
    at = _WS.match(text, at + 1).end()  # type: ignore[union-attr]
    if text[at : at + 1] == "]":
        at += 1
    else:
        while True:
            try:
                value, end = decoder.raw_decode(text, at)
            except json.JSONDecodeError as exc:
                raise fail(exc.pos, exc.msg) from None
            except RecursionError:
                raise fail(at, "nested too deeply") from None
            line += text.count("\n", counted, at)
            counted = at
            yield line, value
            at = _WS.match(text, end).end()  # type: ignore[union-attr]
            mark = text[at : at + 1]
            if mark == "]":
                at += 1
                break
            if mark != ",":
                raise fail(at, "expected ',' or ']' after an element")
            at = _WS.match(text, at + 1).end()  # type: ignore[union-attr]
    if text[_WS.match(text, at).end() :]:  # type: ignore[union-attr]
        raise fail(_WS.match(text, at).end(), "extra data after the array")  # type: ignore[union-attr]


def _unknown_warning(source: str, unknown: dict[str, int]) -> list[str]:
    if not unknown:
        return []
    keys = ", ".join(f"{key!r}" for key in sorted(unknown, key=lambda k: unknown[k]))
    return [f"{source}:{min(unknown.values())}: warning: unknown key(s) ignored: {keys}"]
