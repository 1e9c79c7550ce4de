"""Check one JSON object of the export format and turn it into a ``NewPerson``.

Every problem is recorded as "field: reason", with a path for nested values
(``entries[2].at``), so the report can say exactly what to fix.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from deskterm.models import DIRECTIONS, ENTRY_KINDS, MESSAGE_STATUSES
from deskterm.services import validate as v
from deskterm.services.bulk import NewEntry, NewFollowUp, NewMood, NewPerson
from deskterm.services.bulk_mail import NewMessage
from deskterm.services.views import PROFILE_FIELDS
from deskterm.transfer.common import Row, clean_fields

HISTORY = ("entries", "follow_ups", "moods", "mood", "messages")
KNOWN_KEYS = frozenset(
    (*PROFILE_FIELDS, *HISTORY, "id", "notes", "created_at", "created_by", "owner")
)


class _Checker:
    """Collects problems while reading values out of one object."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def time(self, value: Any, where: str, *, required: bool = True) -> datetime | None:
        if value is None and not required:
            return None
        if not isinstance(value, str):
            self.problems.append(f"{where}: expected an ISO 8601 time, got {_show(value)}")
            return None
        try:
            stamp = datetime.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{where}: {value!r} is not an ISO 8601 time")
            return None
        if stamp.tzinfo is None:
            self.problems.append(
                f"{where}: {value!r} has no UTC offset (e.g. 2026-11-23T10:00:00+00:00)"
            )
            return None
        return stamp

    def text(self, value: Any, where: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problems.append(f"{where}: expected text, got {_show(value)}")
            return ""
        return value

    def items(self, value: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(f"{where}: expected a list, got {_show(value)}")
            return []
        out = []
        for index, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{where}[{index}]", item))
            else:
                self.problems.append(f"{where}[{index}]: expected an object, got {_show(item)}")
        return out

    def level(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.problems.append(f"{where}: expected a mood level 1 to 5, got {_show(value)}")
            return 0
        return value


def person_from(
    obj: Any, row: Row, *, agent: str, now: datetime, origin: str, unknown: dict[str, int]
) -> None:
    """Fill ``row.person`` (or ``row.problems``) from one decoded JSON value."""
    if not isinstance(obj, dict):
        row.problems.append(f"row: expected a JSON object, got {_show(obj)}")
        return
    for key in obj:
        if key not in KNOWN_KEYS:
            unknown.setdefault(key, row.line)
    values = {k: obj[k] for k in PROFILE_FIELDS if k in obj}
    profile, problems = clean_fields(values)
    row.problems += problems
    check = _Checker()
    created_at = check.time(obj.get("created_at"), "created_at", required=False)
    created_by = check.text(obj.get("created_by"), "created_by") or None
    owner = " ".join(check.text(obj.get("owner"), "owner").split()) or None
    moods = _moods(check, obj)
    follow_ups = _follow_ups(check, obj)
    if "entries" in obj:
        entries = _entries(check, obj["entries"])
    else:
        entries = [NewEntry(now, "created", f"imported from {origin}", agent=agent)]
        entries += _derived(moods, follow_ups, now)
    messages = _messages(check, obj.get("messages"))
    notes = check.text(obj.get("notes"), "notes").strip()
    if notes:
        entries.append(NewEntry(now, "note", notes, agent=agent))
    row.problems += check.problems
    if profile is None or row.problems:
        return
    row.person = NewPerson(
        profile=profile,
        entries=entries,
        follow_ups=follow_ups,
        moods=moods,
        created_at=created_at or now,
        created_by=created_by or agent,
        owner=owner,
        messages=messages,
    )
    row.email = profile.get("email")  # type: ignore[assignment]


def _moods(check: _Checker, obj: dict[str, Any]) -> list[NewMood]:
    if "moods" in obj:
        items = check.items(obj["moods"], "moods")
    elif obj.get("mood") is not None:
        if isinstance(obj["mood"], dict):
            items = [("mood", obj["mood"])]
        else:
            check.problems.append(f"mood: expected an object or null, got {_show(obj['mood'])}")
            items = []
    else:
        items = []
    moods = []
    for where, item in items:
        level = check.level(item.get("level"), f"{where}.level")
        at = check.time(item.get("at"), f"{where}.at")
        note = check.text(item.get("note"), f"{where}.note")
        who = check.text(item.get("agent"), f"{where}.agent") or None
        if level and at:
            moods.append(NewMood(level, at, note, who))
    return moods


def _follow_ups(check: _Checker, obj: dict[str, Any]) -> list[NewFollowUp]:
    out = []
    for where, item in check.items(obj.get("follow_ups"), "follow_ups"):
        due = check.time(item.get("due"), f"{where}.due")
        done_at = check.time(item.get("done_at"), f"{where}.done_at", required=False)
        created = check.time(item.get("created_at"), f"{where}.created_at", required=False)
        note = check.text(item.get("note"), f"{where}.note")
        who = check.text(item.get("agent"), f"{where}.agent") or None
        done_by = check.text(item.get("done_by"), f"{where}.done_by") or None
        outcome = item.get("outcome")
        outcome = None if outcome is None else check.text(outcome, f"{where}.outcome")
        assignee = check.text(item.get("assignee"), f"{where}.assignee") or None
        if due:
            out.append(NewFollowUp(due, note, who, created, done_at, done_by, outcome, assignee))
    return out


def _entries(check: _Checker, value: Any) -> list[NewEntry]:
    out = []
    for where, item in check.items(value, "entries"):
        at = check.time(item.get("at"), f"{where}.at")
        kind = item.get("kind")
        if kind not in ENTRY_KINDS:
            check.problems.append(
                f"{where}.kind: expected one of {', '.join(ENTRY_KINDS)}, got {_show(kind)}"
            )
        text = check.text(item.get("text"), f"{where}.text")
        channel = check.text(item.get("channel"), f"{where}.channel")
        who = check.text(item.get("agent"), f"{where}.agent") or None
        data = item.get("data")
        if data is not None and not isinstance(data, dict):
            check.problems.append(f"{where}.data: expected an object, got {_show(data)}")
            data = None
        if data and "message" in data:  # a message id of the exporting desk means nothing here
            data = {k: value for k, value in data.items() if k != "message"}
        if len(text) > v.MAX_TEXT:
            check.problems.append(f"{where}.text: too long ({len(text)} characters)")
        if at and kind in ENTRY_KINDS:
            out.append(NewEntry(at, kind, text, channel, who, data or None))
    return out


def _messages(check: _Checker, value: Any) -> list[NewMessage]:
    out = []
    seen: set[str] = set()
    for where, item in check.items(value, "messages"):
        mid = check.text(item.get("message_id"), f"{where}.message_id").strip()
        if not mid:
            check.problems.append(f"{where}.message_id: missing")
        elif mid in seen:
            check.problems.append(f"{where}.message_id: {mid!r} appears twice")
        seen.add(mid)
        direction = item.get("direction")
        if direction not in DIRECTIONS:
            check.problems.append(
                f'{where}.direction: expected "in" or "out", got {_show(direction)}'
            )
        status = item.get("status", "received" if direction == "in" else "sent")
        if status not in MESSAGE_STATUSES or status == "sending":
            allowed = ", ".join(s for s in MESSAGE_STATUSES if s != "sending")
            check.problems.append(f"{where}.status: expected one of {allowed}, got {_show(status)}")
        at = check.time(item.get("at"), f"{where}.at")
        attachments = []
        for spot, a in check.items(item.get("attachments"), f"{where}.attachments"):
            size = a.get("size", 0)
            if isinstance(size, bool) or not isinstance(size, int) or size < 0:
                check.problems.append(f"{spot}.size: expected a number of bytes, got {_show(size)}")
                size = 0
            name = check.text(a.get("name"), f"{spot}.name")
            kind = check.text(a.get("type"), f"{spot}.type")
            attachments.append({"name": name, "type": kind, "size": size})
        fields = {
            k: check.text(item.get(k), f"{where}.{k}") for k in ("from", "to", "subject", "text")
        }
        if at and mid and direction in DIRECTIONS:
            out.append(
                NewMessage(
                    message_id=mid,
                    direction=direction,
                    at=at,
                    subject=fields["subject"],
                    text=fields["text"],
                    from_addr=fields["from"],
                    to=fields["to"],
                    status=status if isinstance(status, str) else "received",
                    attachments=attachments,
                )
            )
    return out


def _derived(moods: list[NewMood], follow_ups: list[NewFollowUp], now: datetime) -> list[NewEntry]:
    """The timeline entries the desk writes for moods and follow-ups."""
    out = [NewEntry(m.at, "mood", m.note, agent=m.agent, data={"level": m.level}) for m in moods]
    for f in follow_ups:
        data = {"due": f.due_at.isoformat()}
        out.append(NewEntry(f.created_at or now, "follow_up", f.note, "", f.agent, data))
        if f.done_at is not None:
            note = {"note": f.note}
            out.append(NewEntry(f.done_at, "done", f.outcome or "", "", f.done_by, note))
    return sorted(out, key=lambda e: e.at)


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"
