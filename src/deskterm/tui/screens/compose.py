"""The message editor: To, Subject and a multi-line body, written without leaving the desk.

``ctrl+s`` sends: the screen hands the ``Letter`` to its ``send`` callable in a thread
worker (the caller queues it through the mail service) and closes only once it is
stored; a failure keeps every word on screen with the reason, and ``ctrl+s`` tries again
with the same write id, so it is stored once. ``ctrl+e`` hands the body to ``$VISUAL``
/ ``$EDITOR`` and takes it back. ``escape`` gives the letter to ``keep`` (a draft) and
closes; a draft that cannot be kept leaves the editor open with the reason.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from deskterm.errors import DeskError
from deskterm.textsafe import one_line
from deskterm.tui.widgets.safe_input import SafeInput
from deskterm.tui.widgets.safe_text_area import SafeTextArea

HINT = "ctrl+s send · ctrl+e $EDITOR · tab subject/text · escape keep as draft"
KINDS = ("reply", "message")


@dataclass(frozen=True, slots=True)
class Letter:
    """What the agent is writing to one person: enough to send it or keep it as a draft."""

    kind: str  # "reply" or "message"
    person_id: int
    to: str
    subject: str
    text: str
    cc: str = ""
    in_reply_to: str = ""  # the Message-ID answered (a reply)
    references: tuple[str, ...] = ()
    write_id: str | None = None  # fixed on the first ctrl+s: a retry is stored once

    def fields(self) -> dict[str, Any]:
        """The draft's fields (everything but the kind, person and write id)."""
        return {
            "to": self.to,
            "cc": self.cc,
            "subject": self.subject,
            "text": self.text,
            "in_reply_to": self.in_reply_to,
            "references": list(self.references),
        }

    @classmethod
    def from_fields(
        cls, kind: str, person_id: int, fields: dict[str, Any], write_id: str | None
    ) -> Letter:
        """A letter back from a draft's fields."""
        references = fields.get("references") or []
        return cls(
            kind=kind,
            person_id=person_id,
            to=str(fields.get("to") or ""),
            cc=str(fields.get("cc") or ""),
            subject=str(fields.get("subject") or ""),
            text=str(fields.get("text") or ""),
            in_reply_to=str(fields.get("in_reply_to") or ""),
            references=tuple(str(r) for r in references if isinstance(r, str)),
            write_id=write_id,
        )


class EditorFailed(Exception):
    """``$EDITOR`` could not be run or did not finish; the message says why."""


def editor_command() -> list[str]:
    """``$VISUAL``, else ``$EDITOR``, else ``vi`` — split like a shell would."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        command = shlex.split(raw)
    except ValueError as err:
        raise EditorFailed(f"cannot read the editor command {raw!r}: {err}") from None
    if not command:
        raise EditorFailed("the editor command is empty — set $VISUAL or $EDITOR")
    return command


def edit_in(command: list[str], text: str, run: Callable[[Callable[[], None]], None]) -> str:
    """``text`` after ``command`` edited it in a private temporary file.

    ``run`` calls its argument with the terminal handed over (the app suspended).
    """
    handle, name = tempfile.mkstemp(prefix="deskterm-", suffix=".txt")
    path = Path(name)
    ended = text.endswith("\n")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text if ended or not text else f"{text}\n")  # a text file ends in \n
        result: list[subprocess.CompletedProcess[bytes]] = []
        try:
            run(lambda: result.append(subprocess.run([*command, str(path)], check=False)))
        except FileNotFoundError:
            raise EditorFailed(
                f"editor {command[0]!r} not found — set $VISUAL or $EDITOR"
            ) from None
        except OSError as err:
            raise EditorFailed(f"cannot run editor {command[0]!r}: {err.strerror}") from None
        if result and result[0].returncode != 0:
            raise EditorFailed(
                f"the editor exited with status {result[0].returncode}; the text is as it was"
            )
        edited = path.read_text(encoding="utf-8", errors="replace")
    finally:
        path.unlink(missing_ok=True)
    if not ended and edited.endswith("\n"):
        edited = edited[:-1]  # the final newline of the file, not of the text
    return edited


class ComposeScreen(ModalScreen[Letter | None]):
    """Write a reply or a new message; dismisses with the letter as stored, or ``None``."""

    CSS_PATH: ClassVar = Path(__file__).with_name("mail.tcss")
    AUTO_FOCUS: ClassVar[str] = "#compose-body"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "send", "Send", priority=True),
        Binding("ctrl+e", "external_editor", "$EDITOR", priority=True),
        Binding("escape", "keep", "Keep as draft", priority=True),
    ]

    def __init__(
        self,
        letter: Letter,
        *,
        title: Content,
        to_shown: str,
        send: Callable[[Letter], Any],
        keep: Callable[[Letter], Any],
        new_write_id: Callable[[], str],
        cursor: tuple[int, int] = (0, 0),
        notice: str = "",
    ) -> None:
        super().__init__(id="compose")
        self.letter = letter
        self._title = title
        self._to_shown = to_shown
        self._send = send
        self._keep = keep
        self._new_write_id = new_write_id
        self._cursor = cursor
        self._notice = notice
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(id="compose-box"):
            yield Static(self._title, id="compose-title")
            with Horizontal(classes="compose-row"):
                yield Static(Content.styled("To", "dim"), classes="compose-label")
                yield Static(Content(one_line(self._to_shown, 200)), id="compose-to")
            with Horizontal(classes="compose-row"):
                yield Static(Content.styled("Subject", "dim"), classes="compose-label")
                yield SafeInput(self.letter.subject, id="compose-subject", compact=True)
            yield SafeTextArea(
                self.letter.text,
                id="compose-body",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
            )
            yield Static(Content(one_line(self._notice, 200)), id="compose-status")
            yield Static(Content.styled(HINT, "dim"), id="compose-hint")

    def on_mount(self) -> None:
        body = self.query_one("#compose-body", TextArea)
        body.cursor_location = self._cursor
        body.scroll_cursor_visible()
        self.query_one("#compose-status").display = bool(self._notice)

    # -- what is on screen -------------------------------------------------------------
    @property
    def subject(self) -> str:
        return self.query_one("#compose-subject", Input).value

    @property
    def body(self) -> str:
        return self.query_one("#compose-body", TextArea).text

    def current(self) -> Letter:
        """The letter as it stands on screen."""
        return replace(self.letter, subject=self.subject, text=self.body)

    def show_status(self, text: str, *, error: bool = False) -> None:
        """One line under the text: why a send failed, or that it is under way."""
        status = self.query_one("#compose-status", Static)
        status.update(Content(one_line(text, 300)))
        status.set_class(error, "-error")
        status.display = bool(text)

    @property
    def status_text(self) -> str:
        return str(self.query_one("#compose-status", Static).render())

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self) -> None:
        if not self.sending and "-error" in self.query_one("#compose-status").classes:
            self.show_status("")

    @on(Input.Submitted)
    def _subject_done(self) -> None:
        self.query_one("#compose-body", TextArea).focus()

    # -- send ---------------------------------------------------------------------------
    def action_send(self) -> None:
        if self.sending:
            return
        letter = self.current()
        if not letter.subject.strip():
            self.show_status("give the message a subject first", error=True)
            self.query_one("#compose-subject", Input).focus()
            return
        if not letter.text.strip():
            self.show_status("write the message first", error=True)
            return
        if letter.write_id is None:
            letter = replace(letter, write_id=self._new_write_id())
        self.letter = letter
        self.sending = True
        self.show_status("sending…")
        self._store(letter)

    @work(thread=True, group="compose-send", exit_on_error=False)
    def _store(self, letter: Letter) -> None:
        try:
            self._send(letter)
        except DeskError as err:
            self.app.call_from_thread(self._send_failed, str(err))
            return
        except OSError as err:
            self.app.call_from_thread(self._send_failed, f"cannot send: {err.strerror or err}")
            return
        self.app.call_from_thread(self._sent, letter)

    def _send_failed(self, reason: str) -> None:
        self.sending = False
        self.show_status(f"not stored — {reason} · ctrl+s tries again", error=True)

    def _sent(self, letter: Letter) -> None:
        self.sending = False
        self.dismiss(letter)

    # -- keep as a draft ----------------------------------------------------------------
    def action_keep(self) -> None:
        if self.sending:
            self.show_status("still sending… (escape again once it is done)")
            return
        letter = self.current()
        try:
            self._keep(letter)
        except (DeskError, OSError) as err:
            reason = getattr(err, "strerror", None) or str(err)
            self.show_status(f"cannot keep the draft: {reason}", error=True)
            return
        self.dismiss(None)

    # -- $EDITOR ------------------------------------------------------------------------
    def action_external_editor(self) -> None:
        if self.sending:
            return
        area = self.query_one("#compose-body", TextArea)
        try:
            edited = edit_in(editor_command(), area.text, self._hand_over)
        except EditorFailed as err:
            self.show_status(str(err), error=True)
            return
        if edited != area.text:
            area.replace(edited, (0, 0), area.document.end)
        self.show_status("")
        area.focus()

    def _hand_over(self, run: Callable[[], None]) -> None:
        """Run ``run`` with the terminal handed over (no terminal to hand over: headless)."""
        try:
            with self.app.suspend():
                run()
        except SuspendNotSupported:
            if not self.app.is_headless:
                raise EditorFailed("this terminal cannot be handed to an editor") from None
            run()
