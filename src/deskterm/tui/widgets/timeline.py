"""How one timeline entry reads: when, who, what kind — then what was written.

Every entry says which agent wrote it and when (in the agent's zone), so everyone on the
team reads the same history (PRODUCT.md, idea 3). All stored text is shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from email.utils import getaddresses
from typing import TYPE_CHECKING, Any

from textual.content import Content

from deskterm.queue import mood_mark
from deskterm.services.views import EntryView
from deskterm.tui.text import day_time, line, literal

if TYPE_CHECKING:
    from deskterm.services.mail_views import MessageView

KIND_STYLE = {
    "contact": "$primary",
    "note": "$foreground",
    "mood": "$warning",
    "follow_up": "$accent",
    "done": "$success",
    "edit": "$secondary",
    "merge": "$secondary",
    "created": "$text-muted",
    "handoff": "$accent",
    "message": "$primary",
    "not_sent": "$error",
}
PREVIEW_LINES = 2
INDENT = "   "


def entry_lines(
    entry: EntryView,
    *,
    tz: tzinfo,
    now: datetime,
    labels: Sequence[str],
    message: MessageView | None = None,
) -> Content:
    """Two or more lines: a dim heading (time · agent · kind) and the entry's text.

    A ``message`` entry is drawn from ``message`` (its current state) when given: the
    direction, the other side, its status, the subject and the first lines.
    """
    heading = Content.assemble(
        (day_time(entry.at, tz, now=now), "dim"),
        (" · ", "dim"),
        line(entry.agent, 30).stylize("bold"),
        (" · ", "dim"),
        _kind(entry, tz, now, labels),
    )
    if entry.kind == "message":
        heading, body = _message(entry, message, heading, tz, now)
    else:
        body = _body(entry)
    if not body:
        return heading
    return Content("\n").join([heading, *(Content(INDENT).append(b) for b in body)])


def _kind(entry: EntryView, tz: tzinfo, now: datetime, labels: Sequence[str]) -> Content:
    style = KIND_STYLE.get(entry.kind, "")
    data = entry.data or {}
    if entry.kind == "contact":
        channel = line(entry.channel, 20) if entry.channel else Content("contact")
        return Content.styled("contact · ", style).append(channel.stylize(style))
    if entry.kind == "mood":
        level = _int(data.get("level"))
        label = labels[level - 1] if level and 1 <= level <= 5 else "?"
        return Content.styled(f"mood {mood_mark(level)} ", style).append(
            literal(label).stylize(style)
        )
    if entry.kind == "follow_up":
        due = _when(data.get("due"))
        text = f"follow-up due {day_time(due, tz, now=now)}" if due else "follow-up"
        heading = Content.styled(text, style)
        if isinstance(data.get("assignee"), str):
            heading = heading.append(Content.styled(" for ", style)).append(
                line(data["assignee"], 30).stylize(style)
            )
        return heading
    if entry.kind == "done":
        return Content.styled("follow-up done", style)
    if entry.kind == "handoff":
        return Content.styled("handoff", style)
    if entry.kind == "message":
        incoming = data.get("direction") == "in"
        return Content.styled("↓ message in" if incoming else "↑ message out", style)
    if entry.kind == "not_sent":
        return Content.styled("↑ message not sent", style)
    return Content.styled(entry.kind.replace("_", " "), style)


def _body(entry: EntryView) -> list[Content]:
    data = entry.data or {}
    lines: list[Content] = []
    if entry.kind == "done" and data.get("note"):
        lines.append(Content.styled("was: ", "dim").append(literal(str(data["note"]))))
    if entry.kind == "done" and data.get("no_check_back"):
        reason = literal(str(data["no_check_back"]))
        lines.append(Content.styled("no check-back: ", "dim").append(reason))
    if entry.kind == "edit" and isinstance(data.get("changes"), dict):
        for name, change in data["changes"].items():
            lines.append(_change(str(name), change))
        return lines
    if entry.text:
        lines.extend(literal(part) for part in entry.text.splitlines() or [""])
    return lines


def _message(
    entry: EntryView,
    message: MessageView | None,
    heading: Content,
    tz: tzinfo,
    now: datetime,
) -> tuple[Content, list[Content]]:
    """'time · ↓ sender' or 'time · agent · ↑ to whom · status', then the subject and
    the first lines of the new part."""
    if message is None:  # not loaded (yet): what the entry itself says
        return heading, [line(entry.text or "(no subject)", 200).stylize("bold")]
    style = KIND_STYLE["message"]
    parts = [Content.styled(day_time(entry.at, tz, now=now), "dim")]
    if message.incoming:
        parts.append(Content.styled("↓ ", style).append(line(who(message.from_addr), 30)))
    else:
        parts.append(line(entry.agent, 30).stylize("bold"))
        parts.append(Content.styled("↑ to ", style).append(line(who(message.to), 30)))
    heading = Content.styled(" · ", "dim").join(parts)
    status = message.status_text()
    if status:
        style = "bold $error" if message.status == "failed" else "$warning"
        style = "dim" if message.status == "sent" or message.incoming else style
        heading = heading.append(Content.styled(" · ", "dim")).append(
            line(status, 80).stylize(style)
        )
    body = [line(message.subject or "(no subject)", 200).stylize("bold")]
    rows = [row for row in message.preview.splitlines() if row.strip()]
    for row in rows[:PREVIEW_LINES]:
        body.append(line(row, 200))
    if message.attachments:
        count = len(message.attachments)
        body.append(Content.styled(f"{count} attachment{'s' if count > 1 else ''}", "dim"))
    return heading, body


def who(addresses: str) -> str:
    """The first name in an address list ("Jim Okafor"), else its address, else as given."""
    pairs = getaddresses([addresses]) if addresses else []
    name, address = pairs[0] if pairs else ("", "")
    more = " +" if len(pairs) > 1 else ""
    return f"{name or address or addresses}{more}"


def _change(name: str, change: Any) -> Content:
    old, new = change if isinstance(change, list | tuple) and len(change) == 2 else ("?", change)
    return Content.assemble(
        literal(name), (": ", "dim"), literal(_shown(old)), (" → ", "dim"), literal(_shown(new))
    )


def _shown(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "—"
    if value in (None, ""):
        return "—"
    return str(value)


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else None
