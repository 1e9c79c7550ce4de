"""The open desk's mail workers: fetching from IMAP and sending what waits in the outbox.

Both run in thread workers (the network never touches the event loop) and report only
changes of state as ``MailProblem`` messages, so a server that stays down says so once,
not once a minute. The outbox is flushed periodically and right after each send; the
fetch loop (mail-core's, with IDLE where the server offers it) runs while the desk is
open when ``[mail.imap]`` is set. Both stop when the desk closes.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from textual.worker import Worker, WorkerState, get_current_worker

from deskterm.errors import DeskError
from deskterm.tui.messages import MailProblem

if TYPE_CHECKING:
    from textual.widget import Widget

    from deskterm.config.settings import MailSection
    from deskterm.services.mail import Mail

FLUSH_SECONDS = 60.0
BUSY = (WorkerState.PENDING, WorkerState.RUNNING)


class MailWorkers:
    """Starts, paces and stops the mail workers of one screen (``host``)."""

    def __init__(
        self,
        host: Widget,
        mail: Mail,
        settings: MailSection,
        *,
        flush_seconds: float | None = None,
    ) -> None:
        self.host = host
        self.mail = mail
        self.settings = settings
        self.flush_seconds = flush_seconds or FLUSH_SECONDS
        self.stop_event = threading.Event()
        self._flush: Worker[None] | None = None
        self._again = False
        self._fetch: Worker[None] | None = None
        self._problems: dict[str, str] = {}

    @property
    def can_send(self) -> bool:
        """``[mail] from`` and ``[mail.smtp] host`` are set: the desk sends."""
        return bool(self.settings.sender and self.settings.smtp.configured)

    @property
    def can_fetch(self) -> bool:
        """``[mail.imap] host`` is set: the desk fetches."""
        return self.settings.imap.configured

    # -- start and stop -----------------------------------------------------------------
    def start(self) -> None:
        """Flush now and every ``flush_seconds``; fetch if IMAP is configured."""
        if self.can_send:
            self.host.set_interval(self.flush_seconds, self.flush, name="mail-outbox")
            self.flush()
        if self.can_fetch:
            self._fetch = self.host.run_worker(
                self._fetch_loop, thread=True, group="mail-fetch", exit_on_error=False
            )

    def stop(self) -> None:
        """Ask both workers to finish (the fetch loop wakes from IDLE and returns)."""
        self.stop_event.set()
        for worker in (self._fetch, self._flush):
            if worker is not None:
                worker.cancel()

    # -- the outbox ---------------------------------------------------------------------
    def flush(self) -> None:
        """Send what is queued (or failed before) — once at a time; a call while a flush
        runs makes it go round again afterwards, so nothing just queued waits a minute."""
        if self.stop_event.is_set() or not self.can_send:
            return
        if self._flush is not None and self._flush.state in BUSY:
            self._again = True
            return
        self._again = False
        self._flush = self.host.run_worker(
            self._send_queued, thread=True, group="mail-outbox", exit_on_error=False
        )

    def _send_queued(self) -> None:
        try:
            results = self.mail.flush()
        except DeskError as err:
            self._report("send", f"mail not sent — {err}")
        else:
            failed = [r for r in results if not r.sent]
            if failed:
                self._report("send", f"mail not sent — {failed[0].reason}")
            else:
                self._report("send", "")
            if results:
                self.host.post_message(MailProblem("sent", ""))
        self.host.app.call_from_thread(self._flushed)

    def _flushed(self) -> None:
        if self._again:
            self.flush()

    # -- fetching -----------------------------------------------------------------------
    def _fetch_loop(self) -> None:
        def stored(_count: int) -> None:
            self._report("fetch", "")
            self.host.post_message(MailProblem("fetched", ""))

        def failed(reason: str) -> None:
            self._report("fetch", f"mail not fetched — {reason} · retrying")

        worker, app = get_current_worker(), self.host.app

        def stop() -> bool:  # the desk closes: its screen stops us, Textual cancels us
            return self.stop_event.is_set() or worker.is_cancelled or not app.is_running

        try:
            self.mail.watch(stop=stop, on_stored=stored, on_error=failed)
        except DeskError as err:  # e.g. [mail.imap] half set: say so once, do not retry
            failed(str(err))

    # -- reporting ----------------------------------------------------------------------
    def _report(self, what: str, text: str) -> None:
        """Post a problem only when it differs from the last one for ``what``."""
        if self._problems.get(what, "") == text:
            return
        self._problems[what] = text
        self.host.post_message(MailProblem(what, text))

    @property
    def problems(self) -> dict[str, Any]:
        return dict(self._problems)
