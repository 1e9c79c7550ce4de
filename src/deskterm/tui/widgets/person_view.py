"""The person view: who they are, how they like to be served, how they feel, what is open,
and everything the team has done with them — in that order (PRODUCT.md, ideas 1 and 2).

Data flows down: the screen hands a ``PersonDetail`` to ``show`` and older timeline pages
to ``add_page``. Scrolling near the end posts ``PersonView.NeedMore``; the screen loads
the next page in a worker. The person's local time is redrawn every minute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Sparkline, Static

from deskterm.due import describe_due, humanize_span
from deskterm.queue import mood_mark
from deskterm.services.team import DeskSeen
from deskterm.services.views import EntryView, PersonDetail, PersonRecord
from deskterm.textsafe import one_line
from deskterm.tui.text import ago, day_time, joined, line, literal
from deskterm.tui.widgets.timeline import entry_lines

if TYPE_CHECKING:
    from deskterm.services.mail_views import MessageView

TREND_MAX = 30


class PersonView(VerticalScroll, can_focus=True):
    """Everything about the selected person, newest history first."""

    class NeedMore(Message):
        """Scrolled to the end: load entries older than ``before``."""

        def __init__(self, person_id: int, before: EntryView) -> None:
            super().__init__()
            self.person_id = person_id
            self.before = before

    SECTIONS: ClassVar[tuple[str, ...]] = ("about", "prefs", "clock", "matters", "mood")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "select_entry(1)", "Next entry", show=False),
        Binding("up", "select_entry(-1)", "Previous entry", show=False),
    ]

    def __init__(
        self,
        *,
        tz: ZoneInfo,
        labels: Sequence[str],
        clock: Callable[[], datetime],
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.tz = tz
        self.labels = tuple(labels)
        self.clock = clock
        self.detail: PersonDetail | None = None
        self.entries: list[EntryView] = []
        self.has_more = False
        self.loading_more = False
        self.selected: int | None = None  # index into ``entries`` (↑/↓ while focused)
        self._blocks: list[Content] = []  # the drawn entries, for scrolling to one
        self.messages: dict[int, MessageView] = {}  # mail shown in the timeline, by id

    def compose(self) -> ComposeResult:
        yield Static(Content.styled("no one selected", "dim italic"), id="p-name")
        yield Static(id="p-presence")
        for section in self.SECTIONS:
            yield Static(id=f"p-{section}", classes="p-line")
        with Horizontal(id="p-trend"):
            yield Static(Content.styled("trend ", "dim"), id="p-trend-label")
            yield Sparkline([], id="p-spark")
            yield Static(id="p-trend-range")
        yield Static(Content.styled("Open follow-ups", "bold"), classes="p-heading")
        yield Static(id="p-follow-ups")
        yield Static(Content.styled("Timeline", "bold"), classes="p-heading")
        yield Static(id="p-timeline")
        yield Static(id="p-more")

    def on_mount(self) -> None:
        self.set_interval(60, self.tick, name="person-clock")
        self.query_one("#p-trend").display = False
        self.query_one("#p-presence").display = False

    def show_presence(self, desks: Sequence[DeskSeen]) -> None:
        """Who else is on this person now: "bo writing… since 10:42 · cy here"."""
        box = self.query_one("#p-presence", Static)
        box.display = bool(desks)
        parts: list[Content | str] = []
        for desk in sorted(desks, key=lambda d: (not d.writing, d.agent)):
            style = "bold $warning" if desk.writing else "$accent"
            since = f" since {desk.since.astimezone(self.tz):%H:%M}"
            parts.append(Content.styled(one_line(desk.doing(), 40), style).append(since))
        box.update(joined(parts))

    # -- data in ------------------------------------------------------------------------
    @property
    def person_id(self) -> int | None:
        return self.detail.person.id if self.detail else None

    def show(self, detail: PersonDetail, messages: Mapping[int, MessageView] | None = None) -> None:
        """Show ``detail`` (and the mail its timeline names, by message id); stay
        scrolled where we were if it is the same person."""
        same = self.person_id == detail.person.id
        kept = self.selected_entry if same else None
        self.detail = detail
        self.entries = list(detail.timeline)
        self.messages = dict(messages or {})
        self.selected = _index_of(self.entries, kept)
        self.has_more = detail.has_more
        self.loading_more = False
        self._draw()
        if not same:
            self.scroll_home(animate=False)

    def show_nobody(self, text: str) -> None:
        """An empty view with ``text`` (no one selected, no one matches)."""
        self.detail, self.entries, self.has_more, self.selected = None, [], False, None
        self.messages = {}
        self.query_one("#p-name", Static).update(Content.styled(text, "dim italic"))
        self.show_presence(())
        for widget in self.query(".p-line, #p-follow-ups, #p-timeline, #p-more"):
            widget.update("")  # type: ignore[attr-defined]
        self.query_one("#p-trend").display = False

    def add_page(
        self,
        entries: Sequence[EntryView],
        has_more: bool,
        messages: Mapping[int, MessageView] | None = None,
    ) -> None:
        """Append an older page of the timeline (and the mail it names)."""
        self.entries.extend(entries)
        self.messages = {**self.messages, **(messages or {})}
        self.has_more = has_more
        self.loading_more = False
        self._draw_timeline()

    def tick(self) -> None:
        """Redraw what depends on the time: the person's clock, ages, overdue marks."""
        if self.detail is not None:
            self._draw()

    # -- scrolling for more -------------------------------------------------------------
    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value >= self.max_scroll_y - 2:
            self.want_more()

    def want_more(self) -> None:
        """Ask for the next older page, once, if there is one."""
        if self.detail is None or not self.has_more or self.loading_more or not self.entries:
            return
        self.loading_more = True
        self.query_one("#p-more", Static).update(Content.styled("loading older entries…", "dim"))
        self.post_message(self.NeedMore(self.detail.person.id, self.entries[-1]))

    def message_of(self, entry: EntryView) -> MessageView | None:
        """The mail a ``message`` entry names, if loaded."""
        if entry.kind != "message":
            return None
        return self.messages.get(message_id_of(entry) or 0)

    # -- choosing an entry (↑/↓ while the view has focus; enter opens a message) -------
    @property
    def selected_entry(self) -> EntryView | None:
        """The entry chosen with ↑/↓, or None."""
        if self.selected is None or not 0 <= self.selected < len(self.entries):
            return None
        return self.entries[self.selected]

    def action_select_entry(self, delta: int) -> None:
        """Move the highlight through the timeline, scrolling it into view.

        Up from the newest entry goes back to the top of the view (nothing chosen).
        """
        if not self.entries:
            self.scroll_relative(y=delta, animate=False)
            return
        if self.selected is None:
            target: int | None = 0 if delta > 0 else None
        else:
            target = self.selected + delta
            if target < 0:
                target = None
            elif target >= len(self.entries):
                target = len(self.entries) - 1
                self.want_more()
        if target is None and self.selected is None:
            self.scroll_home(animate=False)
            return
        self.selected = target
        self._draw_timeline()
        if target is None:
            self.scroll_home(animate=False)
        else:
            self.call_after_refresh(self._scroll_to_selected)

    def _scroll_to_selected(self) -> None:
        if self.selected is None:
            return
        timeline = self.query_one("#p-timeline", Static)
        width = timeline.content_region.width or self.size.width
        top = sum(
            block.get_height(timeline.styles, width) for block in self._blocks[: self.selected]
        )
        height = self._blocks[self.selected].get_height(timeline.styles, width)
        region = timeline.virtual_region
        self.scroll_to_region(
            Region(0, region.y + top, region.width, max(1, height)),
            animate=False,
            immediate=True,
        )

    # -- drawing ------------------------------------------------------------------------
    def _draw(self) -> None:
        assert self.detail is not None
        detail, now = self.detail, self.clock()
        person = detail.person
        self.query_one("#p-name", Static).update(Content.styled(literal(person.name).plain, "bold"))
        lines = {
            "about": _about(person),
            "prefs": _prefs(person),
            "clock": _clock(person, now),
            "matters": _matters(person),
            "mood": self._mood(detail, now),
        }
        for section, content in lines.items():
            self.query_one(f"#p-{section}", Static).update(content)
        self._draw_trend(detail)
        self.query_one("#p-follow-ups", Static).update(self._follow_ups(detail, now))
        self._draw_timeline()

    def _mood(self, detail: PersonDetail, now: datetime) -> Content:
        mood = detail.mood
        if mood is None:
            return Content.assemble(("mood ", "dim"), ("not recorded yet", "dim italic"))
        label = self.labels[mood.level - 1] if 1 <= mood.level <= 5 else str(mood.level)
        parts: list[Content | str] = [
            Content.assemble(
                ("mood ", "dim"), (f"{mood_mark(mood.level)} ", _mood_colour(mood.level))
            ).append(Content.styled(literal(label).plain, f"bold {_mood_colour(mood.level)}"))
        ]
        if mood.note:
            parts.append(Content("“").append(literal(mood.note)).append("”"))
        parts.append(Content.assemble(line(mood.agent, 30), (f", {ago(mood.at, now)}", "dim")))
        return joined(parts)

    def _draw_trend(self, detail: PersonDetail) -> None:
        levels = [float(m.level) for m in detail.moods][-TREND_MAX:]
        box = self.query_one("#p-trend")
        box.display = len(levels) > 1
        spark = self.query_one("#p-spark", Sparkline)
        spark.data = levels
        spark.styles.width = len(levels)
        low, high = int(min(levels, default=0)), int(max(levels, default=0))
        self.query_one("#p-trend-range", Static).update(
            Content.styled(f" {len(levels)} moods, {low}–{high} of 5", "dim")
        )

    def _follow_ups(self, detail: PersonDetail, now: datetime) -> Content:
        if not detail.open_follow_ups:
            return Content.styled("none open", "dim italic")
        rows: list[Content] = []
        for follow_up in detail.open_follow_ups:
            if follow_up.due_at < now:
                span = humanize_span((now - follow_up.due_at).total_seconds())
                due = day_time(follow_up.due_at, self.tz, now=now)
                mark = Content.styled(f"⚠ overdue {span}", "bold $error")
                head = Content.assemble(mark, (f" · was due {due}", "dim"))
            else:
                head = Content.styled(
                    describe_due(follow_up.due_at, now=now, tz=self.tz), "$success"
                )
            rows.append(joined([head, literal(follow_up.note), line(follow_up.agent, 30)]))
        return Content("\n").join(rows)

    def _draw_timeline(self) -> None:
        now = self.clock()
        timeline = self.query_one("#p-timeline", Static)
        if not self.entries:
            self._blocks = []
            timeline.update(Content.styled("nothing logged yet", "dim italic"))
        else:
            blocks = [
                entry_lines(e, tz=self.tz, now=now, labels=self.labels, message=self.message_of(e))
                for e in self.entries
            ]
            if self.selected is not None and 0 <= self.selected < len(blocks):
                blocks[self.selected] = blocks[self.selected].stylize("reverse")
            self._blocks = blocks
            timeline.update(Content("\n").join(blocks))
        more = self.query_one("#p-more", Static)
        if self.has_more:
            more.update(Content.styled("scroll down for older entries…", "dim"))
        else:
            more.update(Content.styled("— the beginning —", "dim") if self.entries else "")


def message_id_of(entry: EntryView) -> int | None:
    """The stored message a ``message`` timeline entry names, or None."""
    value = (entry.data or {}).get("message") if entry.kind == "message" else None
    return value if isinstance(value, int) else None


def _index_of(entries: Sequence[EntryView], entry: EntryView | None) -> int | None:
    """Where ``entry`` (by id) is in ``entries`` now, or None."""
    if entry is None:
        return None
    for index, candidate in enumerate(entries):
        if candidate.id == entry.id:
            return index
    return None


def _about(person: PersonRecord) -> Content:
    kind = Content.styled("internal (colleague)", "$accent") if person.internal else "external"
    owner = ""
    if person.owner:
        owner = Content.assemble(("owner ", "dim"), line(person.owner, 30).stylize("$secondary"))
    return joined([literal(person.company) if person.company else "", kind, owner])


def _prefs(person: PersonRecord) -> Content:
    def pair(label: str, value: str) -> Content:
        shown = literal(value) if value else Content.styled("—", "dim")
        return Content.assemble((f"{label} ", "dim"), shown)

    return joined(
        [
            pair("pace", person.pace),
            pair("prefers", person.channel),
            pair("speaks", person.language),
        ]
    )


def _clock(person: PersonRecord, now: datetime) -> Content:
    if not person.timezone:
        return Content.assemble(("local time ", "dim"), ("time zone not set", "dim italic"))
    try:
        zone = ZoneInfo(person.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return Content.assemble(("time zone ", "dim"), literal(person.timezone), " (unknown)")
    local = now.astimezone(zone)
    return Content.assemble(
        ("local time ", "dim"),
        (f"{local:%H:%M} {local:%a}", "bold"),
        ("  ", ""),
        literal(person.timezone),
    )


def _matters(person: PersonRecord) -> Content:
    if not person.matters:
        return Content.assemble(("matters ", "dim"), ("nothing noted yet", "dim italic"))
    return Content.assemble(("matters ", "dim"), literal(person.matters, newlines=True))


def _mood_colour(level: int) -> str:
    return "$error" if level <= 2 else "$warning" if level == 3 else "$success"
