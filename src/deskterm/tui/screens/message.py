"""The message viewer: one message whole — headers, text, attachments and its thread.

Everything here came from a mail: header lines, the text, attachment names and the
subjects of the thread are shown literally (controls visible, never markup). The earlier
mail a reply quotes is folded away; a key shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from deskterm.services.mail_views import MessageDetail, MessageView
from deskterm.tui.text import day_time, line, literal
from deskterm.tui.widgets.timeline import who

HINT = "escape close · ↑↓ pgup pgdn scroll · z quoted part · r reply"


def size_text(size: int) -> str:
    """'512 B', '14 KB', '20.0 MB'."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def direction_mark(direction: str) -> str:
    return "↓ in" if direction == "in" else "↑ out"


class MessageScreen(ModalScreen[str | None]):
    """One message (a ``MessageDetail``) and its thread (``MessageView`` rows, oldest
    first); dismisses with "reply" when the agent answers from here."""

    CSS_PATH: ClassVar = Path(__file__).with_name("mail.tcss")
    AUTO_FOCUS: ClassVar[str] = "#message-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", show=False),
        Binding("z", "toggle_quoted", "Quoted part", show=False),
        Binding("r", "reply", "Reply", show=False),
    ]

    def __init__(
        self, detail: MessageDetail, thread: Sequence[MessageView], *, tz: tzinfo, now: datetime
    ) -> None:
        super().__init__(id="message")
        self.detail = detail
        self.message = detail.message
        self.thread = list(thread)
        self.tz = tz
        self.now = now
        self.show_quoted = False

    @property
    def folded(self) -> bool:
        """True when part of the text (earlier mail it quotes) is folded away."""
        return bool(self.detail.quoted.strip())

    def on_mount(self) -> None:
        self._hide_empty()

    def _hide_empty(self) -> None:
        for part in self.query("#message-fold, #message-attachments, #message-thread"):
            part.display = bool(str(part.render()))  # type: ignore[attr-defined]

    def compose(self) -> ComposeResult:
        with Vertical(id="message-box"):
            yield Static(line(self.message.subject or "(no subject)", 200), id="message-title")
            with VerticalScroll(id="message-scroll"):
                yield Static(self._headers(), id="message-headers")
                yield Static(self._text(), id="message-text")
                yield Static(self._fold_line(), id="message-fold")
                yield Static(self._attachments(), id="message-attachments")
                yield Static(self._thread(), id="message-thread")
            yield Static(Content.styled(HINT, "dim"), id="message-hint")

    # -- parts --------------------------------------------------------------------------
    def _headers(self) -> Content:
        message = self.message
        rows: list[tuple[str, Content]] = [
            ("From", line(message.from_addr or "—", 300)),
            ("To", line(message.to or "—", 300)),
        ]
        if getattr(message, "cc", ""):
            rows.append(("Cc", line(message.cc, 300)))
        rows.append(("Date", self._date()))
        rows.append(("Subject", line(message.subject or "", 300)))
        state = Content.styled(direction_mark(message.direction), "bold $accent")
        status = message.status_text() or ("received" if message.incoming else "")
        if status:
            style = "$error" if message.status == "failed" else "dim"
            state = state.append(Content.styled(" · ", "dim")).append(
                Content.styled(line(status, 200).plain, style)
            )
        rows.append(("", state))
        return Content("\n").join(
            Content.assemble((f"{label:<8} ", "dim"), value) for label, value in rows
        )

    def _date(self) -> Content:
        message = self.message
        here = day_time(message.date_at or message.at, self.tz, now=self.now)
        if message.date_header:
            return Content.assemble(line(message.date_header, 100), (f"  ({here} here)", "dim"))
        return Content(here)

    def _text(self) -> Content:
        detail = self.detail
        text = detail.text if (self.show_quoted or not self.folded) else detail.fresh
        if not (text or "").strip():
            return Content.styled("(no text)", "dim italic")
        return literal(text.rstrip("\n"), newlines=True)

    def _fold_line(self) -> Content:
        if not self.folded:
            return Content("")
        if self.show_quoted:
            return Content.styled("z folds the quoted part away again", "dim")
        return Content.styled("… the earlier mail it quotes is folded away — z shows it", "dim")

    def _attachments(self) -> Content:
        attachments = self.message.attachments
        if not attachments:
            return Content("")
        rows = [Content.styled(f"Attachments ({len(attachments)})", "bold $primary")]
        for item in attachments:
            rows.append(
                Content.assemble(
                    "  ",
                    line(item.name or "(no name)", 60),
                    (" · ", "dim"),
                    line(item.type or "?", 40),
                    (" · ", "dim"),
                    size_text(item.size),
                )
            )
        return Content("\n").join(rows)

    def _thread(self) -> Content:
        if len(self.thread) <= 1:
            return Content("")
        rows = [Content.styled(f"Thread ({len(self.thread)} messages)", "bold $primary")]
        for other in self.thread:
            this = other.id == self.message.id
            mark = "▶ " if this else "  "
            row = Content.assemble(
                mark,
                (direction_mark(other.direction), "$accent"),
                " ",
                (day_time(other.at, self.tz, now=self.now), "dim"),
                (" · ", "dim"),
                line(who(other.from_addr), 20),
                (" · ", "dim"),
                line(other.subject or "(no subject)", 30),
            )
            rows.append(row.stylize("bold") if this else row)
        return Content("\n").join(rows)

    # -- keys ---------------------------------------------------------------------------
    def action_toggle_quoted(self) -> None:
        if not self.folded:
            self.notify("Nothing is folded in this message", markup=False)
            return
        self.show_quoted = not self.show_quoted
        self.query_one("#message-text", Static).update(self._text())
        self.query_one("#message-fold", Static).update(self._fold_line())

    def action_reply(self) -> None:
        if self.message.person_id is None:
            self.notify("File this message on a person first", markup=False)
            return
        self.dismiss("reply")

    @property
    def shown_text(self) -> str:
        """Everything the viewer shows, top to bottom, as plain text."""
        parts = [str(w.render()) for w in self.query(Static) if w.display]
        return "\n".join(parts)
