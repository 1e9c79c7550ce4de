"""The one-line header: who is working, on which desk, and what needs attention.

When the database is away the header is the one place that says so ("offline since
10:42 · retrying"), in place of the database's name; the screen sets ``offline``.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from deskterm.tui.text import line, plain
from deskterm.tui.text import people as count_people

COUNTS = (
    ("overdue", "overdue", "$error"),
    ("due_today", "due today", "$warning"),
    ("waiting", "waiting", "$primary"),
    ("bad_mood", "bad mood", "$warning"),
    ("at_risk", "at risk", "$accent"),
)
SHORT = {"due today": "today", "bad mood": "upset"}  # for narrow terminals


class DeskHeader(Widget):
    """``deskterm · ana · sqlite:///desk.db`` on the left; the counts on the right."""

    DEFAULT_CSS = """
    DeskHeader {
        height: 1;
        background: $panel;
        color: $foreground;
        padding: 0 1;
    }
    """

    counts: reactive[dict[str, int] | None] = reactive(None)
    people: reactive[int | None] = reactive(None)
    offline: reactive[str] = reactive("")  # "offline since 10:42 · retrying", or ""
    view: reactive[str] = reactive("everyone")

    def __init__(self, agent: str, db_label: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.agent = agent
        self.db_label = db_label

    def show(self, counts: Mapping[str, int], people: int, view: str = "everyone") -> None:
        """Show new counts (from ``Queue.counts``), how many people, and whose (the view)."""
        self.counts = dict(counts)
        self.people = people
        self.view = view

    @property
    def counts_text(self) -> str:
        """The counts as shown: "2 overdue · 1 due today · 4 waiting · 0 bad mood · 3 at risk"."""
        return self._counts().plain

    def _counts(self, short: bool = False) -> Content:
        counts = self.counts or {}
        parts: list[Content] = []
        for key, label, colour in COUNTS:
            shown = SHORT.get(label, label) if short else label
            parts.append(_count(counts.get(key, 0), shown, colour))
        if self.view == "everyone":
            return Content(" · ").join(parts)
        # The filter first (the counts are the filter's); narrow, it costs the dots.
        joined = Content(" " if short else " · ").join(parts)
        return Content.assemble((f"{self.view}: ", "bold $accent"), joined)

    def render(self) -> RenderResult:
        width = self.content_region.width
        left = Content.assemble(
            ("deskterm", "bold"),
            " · ",
            line(self.agent, 24),
            (" · ", "dim"),
        )
        if self.counts is None:
            right = Content.styled("loading people…", "dim italic")
        else:
            right = self._counts()
            people = Content.styled(f" · {count_people(self.people or 0)}", "dim")
            if left.cell_length + 20 + right.cell_length + people.cell_length <= width:
                right = right.append(people)
            if left.cell_length + 10 + right.cell_length > width:
                right = self._counts(short=True)  # the counts matter more than the labels
        room = width - left.cell_length - right.cell_length - 2
        if self.offline:  # more important than the database's name, even than the counts
            status, right = self._offline(width - left.cell_length - 2, right)
            left = left.append(Content.styled(status, "bold $error"))
        elif room >= 8:
            left = left.append(Content.styled(tail(plain(self.db_label), room), "dim"))
        else:  # no room for the database: the agent and the counts stay whole
            left = Content.assemble(("deskterm", "bold"), " · ", line(self.agent, 24), " ")
        gap = max(1, width - left.cell_length - right.cell_length)
        return Content.assemble(left, " " * gap, right)

    def _offline(self, room: int, right: Content) -> tuple[str, Content]:
        """The offline status and the counts beside it, in ``room`` cells: the full words
        with the counts if they fit, then shorter words, then the words without counts
        (they are as old as the outage anyway)."""
        full = self.offline
        shorter = [full, full.partition(" · ")[0], full.replace(" since", "").partition(" · ")[0]]
        counts = [right] if self.counts is None else [right, self._counts(short=True)]
        for status in shorter:
            for beside in counts:
                if len(status) + 1 + beside.cell_length <= room:
                    return status, beside
        return full[: max(room, 0)], Content("")


def _count(value: int, label: str, colour: str) -> Content:
    text = Content(f"{value:,} {label}")
    return text.stylize(f"bold {colour}") if value else text.stylize("dim")


def tail(text: str, width: int) -> str:
    """The end of ``text`` in ``width`` characters ("…/desk.db"): a path's end says most."""
    return text if len(text) <= width else "…" + text[len(text) - width + 1 :]
