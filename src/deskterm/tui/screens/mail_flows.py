"""Mail from the main screen: ``r`` replies, ``w`` writes, ``enter`` opens a message, and
the unsorted list — each through the mail service, in thread workers.

A letter starts from the agent's draft when there is one (their words come back first),
else from the service's template (To, "Re: subject", threading, the quote, the
signature). ``ctrl+s`` in the editor queues it through the service with the write id
fixed at the first press; the outbox worker then sends it. ``escape`` keeps a draft.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import work
from textual.content import Content

from deskterm.drafts import Drafts
from deskterm.errors import DeskError
from deskterm.textsafe import one_line
from deskterm.tui.messages import Failed, LetterReady, MailProblem, MessageLoaded
from deskterm.tui.screens.compose import ComposeScreen, Letter
from deskterm.tui.widgets.person_view import message_id_of

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from deskterm.config import Settings
    from deskterm.directory import Directory
    from deskterm.services import Desk, EntryView, PersonDetail
    from deskterm.services.health import Health
    from deskterm.services.mail import Mail
    from deskterm.services.mail_views import MessageView
    from deskterm.tui.widgets.person_view import PersonView

NAME = 48
MAIL_PAGE = 50
MAIL_PAGES = 20  # at most this many pages to find the mail one timeline page names


class MailFlows:
    """The ``r w enter`` and unsorted-mail actions of the main screen (a mixin)."""

    desk: Desk
    directory: Directory
    settings: Settings
    clock: Callable[[], datetime]
    tz: ZoneInfo
    mail: Mail
    drafts: Drafts | None

    if TYPE_CHECKING:  # provided by Screen / MainScreen / QuickLogging
        app: Any
        health: Health

        @property
        def person_view(self) -> PersonView: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...
        def post_message(self, message: Any) -> bool: ...
        def current_detail(self) -> PersonDetail | None: ...
        def request_person(self, person_id: int | None, *, force: bool = False) -> None: ...
        def sync(self, force: bool = False) -> None: ...
        def write(self, person_id: int | None, call: Callable[[], Any], text: str, **kw: Any): ...
        def open_writing(self, person_id: int, window: Any, done: Any, **kw: Any) -> None: ...

    # -- the mail workers ---------------------------------------------------------------
    def start_mail(self) -> None:
        """Fetching and sending, when ``[mail.imap]`` / ``[mail.smtp]`` are set."""
        from deskterm.tui.mail_workers import MailWorkers

        self.mail_workers = MailWorkers(self, self.mail, self.settings.mail)  # type: ignore[arg-type]
        self.mail_workers.start()

    def stop_mail(self) -> None:
        workers = getattr(self, "mail_workers", None)
        if workers is not None:
            workers.stop()

    def flush_outbox(self) -> None:
        """Send what is queued now (after ctrl+s), not at the next round."""
        self.mail_workers.flush()

    def on_mail_problem(self, message: MailProblem) -> None:
        """A mail worker's state changed: say it once (and once when it is over)."""
        if message.what in ("sent", "fetched"):  # new mail or a sent answer: show it
            self.sync(force=True)
            detail = self.person_view.detail
            if detail is not None:
                self.request_person(detail.person.id, force=True)
            return
        if message.text:
            self.notify(message.text, severity="warning", markup=False, timeout=10)
        else:
            what = "sending" if message.what == "send" else "fetching"
            self.notify(f"Mail {what} works again", markup=False)

    # -- r / w --------------------------------------------------------------------------
    def action_reply(self) -> None:
        detail = self.current_detail()
        if detail is not None:
            self.open_letter("reply", detail.person.id, detail.person.name)

    def action_write(self) -> None:
        detail = self.current_detail()
        if detail is not None:
            self.open_letter("message", detail.person.id, detail.person.name)

    def open_letter(self, kind: str, person_id: int, name: str) -> None:
        """Open the editor now (keys typed after ``r`` land in it) and fill it from a
        worker: the agent's draft if there is one, else the service's template.

        ``ctrl+s`` stores the letter in the outbox through the desk's write worker (the
        same path, write id and draft handling as every dialog); the outbox worker then
        hands it to the server.
        """
        from deskterm.tui.modals._keep import Keeper

        verb = "Reply to" if kind == "reply" else "Message to"
        screen = ComposeScreen(title=Content.assemble(verb, " ", (one_line(name, NAME), "bold")))
        said = f"{'Reply' if kind == 'reply' else 'Message'} to {one_line(name, NAME)} queued"

        def submit(letter: Letter, write_id: str) -> None:
            self.write(person_id, lambda: self._queue_letter(letter, write_id), said, modal=screen)

        keeper = Keeper(
            kind,
            person_id,
            submit,
            drafts=self.drafts,
            offline=lambda: not self.health.online,
            clock=self.clock,
            tz=self.tz,
        )

        def done(sent: Letter | None) -> None:
            if sent is not None:
                self.flush_outbox()
                self.request_person(person_id, force=True)

        self.open_writing(  # asks first if someone else is writing to them
            person_id,
            screen.keep_with(keeper),
            done,
            opened=lambda: self.prepare_letter(screen, kind, person_id),
        )

    @work(thread=True, exclusive=True, group="mail-letter", exit_on_error=False)
    def prepare_letter(self, screen: ComposeScreen, kind: str, person_id: int) -> None:
        """The agent's draft if there is one, else a fresh letter from the service."""
        notice = ""
        try:
            draft = screen.keeper.load() if screen.keeper is not None else None
            if draft is not None:
                letter = Letter.from_fields(kind, person_id, draft.fields, draft.write_id)
                when = draft.saved_at.astimezone(self.tz)
                notice = f"your draft from {when:%H:%M} — ctrl+s sends it, escape keeps it"
            elif kind == "reply":
                letter = _letter(kind, person_id, self.mail.reply_template(person_id))
            else:
                letter = _letter(kind, person_id, self.mail.new_template(person_id))
        except DeskError as err:
            self.post_message(LetterReady(screen, None, str(err)))
            return
        self.post_message(LetterReady(screen, letter, notice, from_draft=draft is not None))

    def on_letter_ready(self, message: LetterReady) -> None:
        screen = message.screen
        if not screen.is_attached or not screen.loading:  # closed meanwhile
            if message.letter is None:
                self.notify(message.notice, severity="error", markup=False)
            return
        if message.letter is None:
            screen.dismiss(None)
            self.notify(message.notice, severity="error", markup=False)
            return
        screen.deliver(message.letter, notice=message.notice, from_draft=message.from_draft)

    def _queue_letter(self, letter: Letter, write_id: str) -> None:
        """Store the letter in the outbox, once per write id (runs in the write worker)."""
        from deskterm.services.mail import Compose

        compose = Compose(
            to=letter.to,
            subject=letter.subject,
            text=letter.text,
            cc=letter.cc,
            in_reply_to=letter.in_reply_to,
            references=letter.references,
        )
        self.mail.queue_message(letter.person_id, compose, write_id)

    # -- enter: open a message ----------------------------------------------------------
    def action_open_message(self) -> None:
        detail = self.current_detail()
        if detail is None:
            return
        view = self.person_view
        entry = view.selected_entry
        if entry is not None and entry.kind != "message":
            self.notify("Only messages open — choose one with ↑/↓", markup=False)
            return
        if entry is None:
            entry = next((e for e in view.entries if e.kind == "message"), None)
        if entry is None:
            name = one_line(detail.person.name, NAME)
            self.notify(f"No messages with {name} yet — w writes one", markup=False)
            return
        self.open_message(message_id_of(entry) or 0)

    @work(thread=True, exclusive=True, group="mail-open", exit_on_error=False)
    def open_message(self, message_id: int) -> None:
        try:
            message = self.mail.message(message_id)
            thread = self.mail.thread(message_id)
        except DeskError as err:
            self.post_message(Failed(str(err)))
            return
        self.post_message(MessageLoaded(message, thread))

    def on_message_loaded(self, loaded: MessageLoaded) -> None:
        from deskterm.tui.screens.message import MessageScreen

        screen = MessageScreen(loaded.message, loaded.thread, tz=self.tz, now=self.clock())

        def closed(what: str | None) -> None:
            person_id = loaded.message.message.person_id
            if what == "reply" and person_id is not None:
                self.open_letter("reply", person_id, self._name_of(loaded))

        self.app.push_screen(screen, closed)

    def _name_of(self, loaded: MessageLoaded) -> str:
        detail, message = self.person_view.detail, loaded.message.message
        if detail is not None and detail.person.id == message.person_id:
            return detail.person.name
        return message.from_addr

    # -- unsorted mail ------------------------------------------------------------------
    def action_unsorted_mail(self) -> None:
        from deskterm.tui.screens.unsorted import UnsortedScreen

        screen = UnsortedScreen(
            load=self.mail.unsorted,
            file=self.mail.file_unsorted,
            directory=self.directory,
            open_message=self.open_message,
            tz=self.tz,
            clock=self.clock,
        )
        self.app.push_screen(screen, lambda _none: self.sync(force=True))


def _letter(kind: str, person_id: int, compose: Any) -> Letter:
    """A letter from the service's template (a ``mail.compose.Compose``)."""
    return Letter(
        kind=kind,
        person_id=person_id,
        to=compose.to,
        cc=compose.cc,
        subject=compose.subject,
        text=compose.text,
        in_reply_to=compose.in_reply_to,
        references=tuple(compose.references),
    )


def mail_for(
    mail: Mail,
    person_id: int,
    entries: Iterable[EntryView],
    known: Mapping[int, MessageView] | None = None,
) -> dict[int, MessageView]:
    """The messages ``entries`` name that are not ``known`` yet, by id (in a worker).

    The person's messages are read newest first, a page at a time, from just before the
    oldest known one, until every named message is found: a timeline page and a page
    of messages cover the same days, so this is one query for most pages.
    """
    known = known or {}
    wanted = {i for e in entries if (i := message_id_of(e)) is not None} - known.keys()
    found: dict[int, MessageView] = {}
    if not wanted:
        return found
    before = min(known.values(), key=lambda m: (m.at, m.id)) if known else None
    for _ in range(MAIL_PAGES):
        page = mail.messages(person_id, before=before, limit=MAIL_PAGE)
        found.update((m.id, m) for m in page)
        if wanted <= found.keys() or len(page) < MAIL_PAGE:
            break
        before = page[-1]
    return found
