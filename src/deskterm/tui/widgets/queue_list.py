"""The queue: a virtual list that renders only the rows on screen (Textual's Line API).

The list holds a *source* — the whole attention ``Queue`` (100,000 people is fine: a row
is made only when it is drawn) or the rows of a search — and a cursor. Moving the cursor
posts ``QueueList.Highlighted`` with the person's id; the screen loads the person.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from deskterm.queue import QueueRow, mood_mark
from deskterm.textsafe import one_line
from deskterm.tui.text import fit

MIN_NAME = 12
OWNER_WIDTH = 10


class RowSource(Protocol):
    """What the list shows: rows by position, and where a person is."""

    def __len__(self) -> int: ...

    def row(self, position: int) -> QueueRow: ...

    def position_of(self, person_id: int) -> int | None: ...


class RowList:
    """A fixed list of rows (the results of a search) as a ``RowSource``."""

    def __init__(self, rows: Sequence[QueueRow]) -> None:
        self._rows = list(rows)
        self._where = {r.id: i for i, r in enumerate(self._rows)}

    def __len__(self) -> int:
        return len(self._rows)

    def row(self, position: int) -> QueueRow:
        return self._rows[position]

    def position_of(self, person_id: int) -> int | None:
        return self._where.get(person_id)


EMPTY = RowList([])


class QueueList(ScrollView, can_focus=True, inherit_bindings=False):
    """People in attention order: a mood mark, the name, and why they are here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-list--cursor",
        "queue-list--cursor-focus",
        "queue-list--empty",
        "queue-list--mood-bad",
        "queue-list--mood-ok",
        "queue-list--mood-good",
        "queue-list--mood-none",
        "queue-list--overdue",
        "queue-list--due_today",
        "queue-list--waiting",
        "queue-list--bad_mood",
        "queue-list--at_risk",
        "queue-list--rest",
        "queue-list--owner",
        "queue-list--presence",
    }
    DEFAULT_CSS = """
    QueueList {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        & > .queue-list--cursor { background: $block-cursor-blurred-background; }
        & > .queue-list--cursor-focus {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .queue-list--empty { color: $text-muted; text-style: italic; }
        & > .queue-list--mood-bad { color: $error; }
        & > .queue-list--mood-ok { color: $warning; }
        & > .queue-list--mood-good { color: $success; }
        & > .queue-list--mood-none { color: $text-muted; }
        & > .queue-list--overdue { color: $error; }
        & > .queue-list--due_today { color: $warning; }
        & > .queue-list--waiting { color: $primary; text-style: bold; }
        & > .queue-list--bad_mood { color: $warning; }
        & > .queue-list--at_risk { color: $accent; }
        & > .queue-list--rest { color: $text-muted; }
        & > .queue-list--owner { color: $secondary; }
        & > .queue-list--presence { color: $warning; text-style: bold; }
    }
    """

    class Highlighted(Message):
        """The selected person changed (None: the list is empty)."""

        def __init__(self, person_id: int | None) -> None:
            super().__init__()
            self.person_id = person_id

    def __init__(self, *, empty_text: str = "", id: str | None = None) -> None:
        super().__init__(id=id)
        self._source: RowSource = EMPTY
        self._cursor = 0
        self._selected: int | None = None
        self._rows: dict[int, QueueRow] = {}
        self._presence: dict[int, str] = {}
        self._base: Style | None = None  # the list's style while a frame draws it
        self.empty_text = empty_text

    # -- data ---------------------------------------------------------------------------
    @property
    def source(self) -> RowSource:
        return self._source

    @property
    def cursor(self) -> int:
        """The selected position (0 when empty)."""
        return self._cursor

    @property
    def selected_id(self) -> int | None:
        """The id of the selected person, or None when the list is empty."""
        return self._selected

    def set_source(self, source: RowSource, *, keep: int | None = None, fallback: int = 0) -> None:
        """Show ``source``; keep ``keep`` (a person id) selected wherever they moved.

        When ``keep`` is not in ``source`` the cursor goes to ``fallback`` (clamped).
        """
        self._source = source
        self._rows.clear()
        self._resize_virtual(Size(1, len(source)))
        position = source.position_of(keep) if keep is not None else None
        self._move_to(position if position is not None else fallback, center=True)
        self.refresh()

    def _resize_virtual(self, size: Size) -> None:
        """Set the list's height in rows without laying out the whole screen.

        ``virtual_size`` is a layout reactive: set as usual, every search result would
        lay out and redraw the whole screen. Once the list has its place, only its
        scrollbar follows (a layout only when the scrollbar appears or goes).
        """
        if not self.size or size == self.virtual_size:
            self.virtual_size = size
            return
        self.set_reactive(QueueList.virtual_size, size)
        self._scroll_update(size)

    def set_presence(self, presence: dict[int, str]) -> None:
        """Who else is on whom ("bo writing…"), shown before the reason on those rows."""
        if presence != self._presence:
            self._presence = presence
            self.refresh()

    def presence_of(self, person_id: int) -> str:
        """The presence shown on a person's row ("" when nobody else is on them)."""
        return self._presence.get(person_id, "")

    def set_empty_text(self, text: str) -> None:
        self.empty_text = text
        if not len(self._source):
            self.refresh()

    def row(self, position: int) -> QueueRow:
        """The row at ``position`` (made once, while the source is shown)."""
        found = self._rows.get(position)
        if found is None:
            if len(self._rows) > 512:
                self._rows.clear()
            found = self._rows[position] = self._source.row(position)
        return found

    def visible_rows(self) -> list[QueueRow]:
        """The rows on screen now, top to bottom (for tests and the palette)."""
        top = int(self.scroll_offset.y)
        stop = min(len(self._source), top + self.scrollable_content_region.height)
        return [self.row(p) for p in range(top, stop)]

    # -- moving -------------------------------------------------------------------------
    def move(self, delta: int) -> None:
        self._move_to(self._cursor + delta)

    def first(self) -> None:
        self._move_to(0)

    def last(self) -> None:
        self._move_to(len(self._source) - 1)

    def select_id(self, person_id: int) -> bool:
        """Select ``person_id`` if shown; False if they are not in the list."""
        position = self._source.position_of(person_id)
        if position is None:
            return False
        self._move_to(position, center=True)
        return True

    def action_page(self, direction: int) -> None:
        self.move(direction * max(1, self.scrollable_content_region.height - 1))

    def _move_to(self, position: int, *, center: bool = False) -> None:
        count = len(self._source)
        old = self._cursor
        self._cursor = max(0, min(position, count - 1)) if count else 0
        self._scroll_to_cursor(center=center)
        self.refresh_line(old)
        self.refresh_line(self._cursor)
        selected = self.row(self._cursor).id if count else None
        if selected != self._selected:
            self._selected = selected
            self.post_message(self.Highlighted(selected))

    def _scroll_to_cursor(self, *, center: bool) -> None:
        height = self.scrollable_content_region.height
        if height <= 0:
            return
        top = int(self.scroll_offset.y)
        if center and not top <= self._cursor < top + height:
            self.scroll_to(y=max(0, self._cursor - height // 2), animate=False)
        elif self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False)

    # -- focus --------------------------------------------------------------------------
    # Focus changes only the cursor row ("/" into the search box, escape back): Textual
    # would restyle the list and repaint every row, in the frame before the results.
    def _on_focus(self, event: events.Focus) -> None:
        self._focus_moved(event, True)

    def _on_blur(self, event: events.Blur) -> None:
        self._focus_moved(event, False)

    def _focus_moved(self, event: events.Event, focused: bool) -> None:
        """What Textual's own handler does, without repainting every row."""
        event.prevent_default()
        self.has_focus = focused
        if self.parent is not None:
            told = events.DescendantFocus if focused else events.DescendantBlur
            self.parent.post_message(told(self))

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.refresh_line(self._cursor)

    def on_resize(self) -> None:
        self._scroll_to_cursor(center=False)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is not None:
            self._move_to(int(self.scroll_offset.y) + offset.y)

    # -- drawing ------------------------------------------------------------------------
    def render_lines(self, crop: Region) -> list[Strip]:
        # The list's style, once per frame: Textual works it out from every ancestor
        # on each call, and a results frame draws every row.
        self._base = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style if self._base is None else self._base
        position = int(self.scroll_offset.y) + y
        if not len(self._source):
            if y == 0 and self.empty_text:
                style = base + self.get_component_rich_style("queue-list--empty")
                return Strip([Segment(" " + fit(self.empty_text, width - 1), style)]).crop_extend(
                    0, width, base
                )
            return Strip.blank(width, base)
        if position >= len(self._source):
            return Strip.blank(width, base)
        selected = position == self._cursor
        if selected:
            cursor = "queue-list--cursor-focus" if self.has_focus else "queue-list--cursor"
            base = base + self.get_component_rich_style(cursor)
        return self._row_strip(self.row(position), width, base, selected)

    def _row_strip(self, row: QueueRow, width: int, base: Style, selected: bool) -> Strip:
        mark_style = base + self.get_component_rich_style(_mood_class(row.mood_level))
        reason_style = base
        if not selected:
            reason_style = base + self.get_component_rich_style(f"queue-list--{row.category}")
        owner_style = base
        if not selected:
            owner_style = base + self.get_component_rich_style("queue-list--owner")
        name, reason = one_line(row.name), one_line(row.reason)
        tag = f"{fit(one_line(row.owner), OWNER_WIDTH)} · " if row.owner else ""
        here = one_line(self._presence.get(row.id, ""))
        if here:
            reason = f"{here} · {reason}" if reason else here
        room = max(0, width - 4)  # " ▄ " before the name, " " at the end
        name_room = min(cell_len(name), max(MIN_NAME, room // 2))
        if cell_len(tag) > room - name_room - 1 - MIN_NAME:
            tag = ""  # too narrow: the reason says more than the owner
        reason = fit(reason, max(0, room - name_room - 1 - cell_len(tag)))
        right = cell_len(tag) + cell_len(reason)
        name = fit(name, max(0, room - right - (1 if right else 0)))
        gap = max(0, room - cell_len(name) - right)
        segments = [
            Segment(" ", base),
            Segment(mood_mark(row.mood_level), mark_style),
            Segment(" ", base),
            Segment(name, base),
            Segment(" " * gap, base),
            Segment(tag, owner_style),
            *_tagged(reason, len(here), reason_style, self._presence_style(base, selected)),
            Segment(" ", base),
        ]
        return Strip(segments).crop_extend(0, width, base)

    def _presence_style(self, base: Style, selected: bool) -> Style:
        return base if selected else base + self.get_component_rich_style("queue-list--presence")


def _tagged(text: str, tag_length: int, style: Style, tag_style: Style) -> list[Segment]:
    """The reason with its first ``tag_length`` characters (the presence) in ``tag_style``."""
    if not tag_length:
        return [Segment(text, style)]
    return [Segment(text[:tag_length], tag_style), Segment(text[tag_length:], style)]


def _mood_class(level: int | None) -> str:
    if level is None:
        return "queue-list--mood-none"
    if level <= 2:
        return "queue-list--mood-bad"
    return "queue-list--mood-ok" if level == 3 else "queue-list--mood-good"
