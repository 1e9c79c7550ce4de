"""The message editor: To, Subject and a multi-line body, written without leaving the desk.

It keeps the agent's words the way every writing dialog does (``modals/_keep.Keeper``,
the same protocol as ``QuickModal``): ``ctrl+s`` fixes the write id and hands the
``Letter`` to ``keeper.submit`` (the screen's write worker queues it through the mail
service); the editor closes once it is stored (``stored``), and stays open with the
reason when it is not (``not_stored``) — ``ctrl+s`` then tries again with the same id,
so it is stored once. ``escape`` keeps the words as a draft (a letter left as it came
needs none). ``ctrl+e`` hands the text to ``$VISUAL`` / ``$EDITOR`` and takes it back.
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

from textual import events, on
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea

from deskterm.drafts import new_write_id
from deskterm.errors import DeskError
from deskterm.textsafe import one_line
from deskterm.tui.modals._keep import KEPT, Keeper
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
        letter: Letter | None = None,
        *,
        title: Content,
        keeper: Keeper | None = None,
        notice: str = "",
        from_draft: bool = False,
    ) -> None:
        """``letter`` None: the screen opens at once (so no key typed after ``r`` is
        lost) and shows "loading…" until ``deliver`` hands it the letter."""
        super().__init__(id="compose")
        self._title = title
        self.keeper = keeper
        self.write_id: str | None = None  # fixed at the first ctrl+s, kept for retries
        self.letter: Letter | None = None
        self._start: Letter | None = None
        self._from_draft = False
        self._typed: list[events.Key] = []  # keys typed while loading, replayed after
        self._first = (letter, notice, from_draft)
        self._ready = False  # on_mount has run: a letter arriving now is shown at once
        self._dropping = False  # escape was pressed once with nowhere to keep a draft
        self.sending = False

    def compose(self) -> ComposeResult:
        with Vertical(id="compose-box"):
            yield Static(self._title, id="compose-title")
            with Horizontal(classes="compose-row"):
                yield Static(Content.styled("To", "dim"), classes="compose-label")
                yield Static(Content(""), id="compose-to")
            with Horizontal(classes="compose-row"):
                yield Static(Content.styled("Subject", "dim"), classes="compose-label")
                yield SafeInput(id="compose-subject", compact=True)
            yield SafeTextArea(
                id="compose-body",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="focus",
                read_only=True,
            )
            yield Static(Content(""), id="compose-status")
            yield Static(Content.styled(HINT, "dim"), id="compose-hint")

    def on_mount(self) -> None:
        letter, notice, from_draft = self._first
        if letter is not None:
            self.fill(letter, notice=notice, from_draft=from_draft)
        else:
            self.show_status("loading…")
        self._ready = True

    @property
    def loading(self) -> bool:
        return self.letter is None

    def deliver(self, letter: Letter, *, notice: str = "", from_draft: bool = False) -> None:
        """The letter has arrived from a worker: show it now, or once the screen is up."""
        if self._ready:
            self.fill(letter, notice=notice, from_draft=from_draft)
        else:
            self._first = (letter, notice, from_draft)

    def fill(self, letter: Letter, *, notice: str = "", from_draft: bool = False) -> None:
        """Show ``letter`` (a draft's words or a fresh template): the cursor at the top of
        the text — above a reply's quote — or in the Subject when it is empty; keys typed
        while it loaded are typed again now, in order."""
        self.letter = self._start = letter
        self.write_id = letter.write_id
        self._from_draft = from_draft
        self.query_one("#compose-to", Static).update(Content(one_line(letter.to, 200)))
        subject = self.query_one("#compose-subject", Input)
        subject.value = letter.subject
        area = self.query_one("#compose-body", TextArea)
        area.read_only = False
        area.load_text(letter.text)
        area.cursor_location = (0, 0)
        area.scroll_home(animate=False)
        (subject if not letter.subject else area).focus()
        self.show_status(notice)
        typed, self._typed = self._typed, []
        for key in typed:
            self.app.post_message(events.Key(key.key, key.character))

    def on_key(self, event: events.Key) -> None:
        """While loading, keep what the agent types for when the letter is there."""
        if self.loading and (event.is_printable or event.key in ("enter", "tab")):
            self._typed.append(event)
            event.stop()
            event.prevent_default()

    # -- what is on screen -------------------------------------------------------------
    @property
    def subject(self) -> str:
        return self.query_one("#compose-subject", Input).value

    @property
    def body(self) -> str:
        return self.query_one("#compose-body", TextArea).text

    def current(self) -> Letter:
        """The letter as it stands on screen."""
        assert self.letter is not None
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
    def keep_with(self, keeper: Keeper) -> ComposeScreen:
        """Store and keep the words through ``keeper`` (as every writing dialog does)."""
        self.keeper = keeper
        return self

    def action_send(self) -> None:
        if self.sending or self.loading:
            return
        letter = self.current()
        if not letter.subject.strip():
            self.show_status("give the message a subject first", error=True)
            self.query_one("#compose-subject", Input).focus()
            return
        if not letter.text.strip():
            self.show_status("write the message first", error=True)
            return
        if self.keeper is None:
            self.dismiss(letter)
            return
        self.write_id = self.write_id or new_write_id()
        self.letter = replace(letter, write_id=self.write_id)
        self.sending = True
        self.show_status("sending…")
        self.keeper.submit(self.letter, self.write_id)

    def stored(self) -> None:
        """The letter is in the outbox: close with it."""
        self.sending = False
        self.dismiss(self.letter)

    def not_stored(self, message: str, *, temporary: bool) -> None:
        """It could not be stored: every word stays, with the reason."""
        self.sending = False
        hint = " · ctrl+s tries again, escape keeps it as a draft" if temporary else ""
        self.show_status(f"not stored — {message}{hint}", error=True)

    # -- keep as a draft ----------------------------------------------------------------
    def action_keep(self) -> None:
        """Keep the words as a draft and close — also while a send runs (the draft then
        goes once the letter is stored). A draft that cannot be kept stays on screen with
        the reason; with no drafts folder at all, a second escape drops the words."""
        if self.loading:
            self.dismiss(None)
            return
        letter = replace(self.current(), write_id=self.write_id)
        if letter == self._start and not self._from_draft and not self.sending:
            self.dismiss(None)  # nothing written: nothing to keep
            return
        if self.keeper is None or self.keeper.drafts is None:
            if self._dropping:
                self.dismiss(None)
                return
            self._dropping = True
            self.show_status("no drafts on this desk — escape again drops these words", error=True)
            return
        try:
            self.keeper.keep(letter.fields(), self.write_id or new_write_id())
        except DeskError as err:
            self.show_status(f"cannot keep the draft: {err}", error=True)
            return
        self.app.notify(KEPT, markup=False)
        self.dismiss(None)

    # -- $EDITOR ------------------------------------------------------------------------
    def action_external_editor(self) -> None:
        if self.sending or self.loading:
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
