"""Stored strings to plain, inert ``Content`` — and the few time formats the screen uses.

Every name, note, company, reason or notification that came from the database, the
config or the agent goes through ``literal()`` (or ``line()``): control characters are
made visible by ``deskterm.textsafe.visible`` and the result is wrapped in ``Content``,
which Textual never parses as markup. ``[bold]Eve[/]`` stays those characters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo

from rich.cells import cell_len, set_cell_size
from textual.content import Content

from deskterm.due import humanize_span
from deskterm.textsafe import one_line, visible

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def literal(text: str, *, newlines: bool = False) -> Content:
    """``text`` as plain Content: controls visible, markup never parsed."""
    return Content(visible(text or "", newlines=newlines))


def line(text: str, width: int | None = None) -> Content:
    """One line of ``text`` as plain Content, shortened with "…" past ``width`` characters."""
    return Content(one_line(text or "", width))


def plain(text: str) -> str:
    """``text`` made safe for places that take a plain string with ``markup=False``."""
    return one_line(text or "")


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal cells (CJK counts two), with "…" when cut."""
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip() + "…"


def joined(parts: Iterable[Content | str], separator: str = " · ") -> Content:
    """Non-empty parts joined by a dim separator."""
    items = [p if isinstance(p, Content) else Content(p) for p in parts if p]
    return Content.assemble(*_between(items, Content.styled(separator, "dim")))


def _between(items: list[Content], separator: Content) -> list[Content]:
    out: list[Content] = []
    for index, item in enumerate(items):
        if index:
            out.append(separator)
        out.append(item)
    return out


def day_time(moment: datetime, tz: tzinfo, *, now: datetime | None = None) -> str:
    """'Mon 23 Nov 14:05' in ``tz`` (the year added when it is not ``now``'s year)."""
    local = moment.astimezone(tz)
    text = f"{WEEKDAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]}"
    if now is not None and local.year != now.astimezone(tz).year:
        text += f" {local.year}"
    return f"{text} {local:%H:%M}"


def ago(moment: datetime, now: datetime) -> str:
    """'3h ago', 'in 2d', 'just now'."""
    seconds = (now - moment).total_seconds()
    if abs(seconds) < 60:
        return "just now"
    span = humanize_span(seconds)
    return f"{span} ago" if seconds > 0 else f"in {span}"


def people(count: int) -> str:
    """ "1 person", "2,500 people"."""
    return f"{count:,} {'person' if count == 1 else 'people'}"
