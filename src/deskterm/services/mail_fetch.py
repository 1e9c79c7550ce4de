"""Fetching from IMAP for the CLI (``mail fetch``) and the desk's worker.

Both run the same loop: fetch what is unseen, store it, flag it seen; then wait for
news (IDLE) or poll. A lost connection or a database hiccup is reported through
``on_error`` and retried after a pause; the loop ends only when ``stop()`` says so.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from deskterm.errors import DeskError
from deskterm.mail.imap import ImapSource
from deskterm.mail.parse import NotMail

if TYPE_CHECKING:
    from deskterm.services.mail import Mail

RETRY_SECONDS = 30.0


def fetch_once(mail: Mail, source: ImapSource) -> int:
    """Store every unseen message of the folder (each flagged seen after it is stored);
    returns how many were stored. FetchError / StorageError end it early: whatever was
    not stored is still unseen."""
    folder = source.open()
    try:
        return folder.fetch_unseen(lambda data: _store(mail, data))
    finally:
        folder.close()


def watch(
    mail: Mail,
    source: ImapSource,
    *,
    stop: Callable[[], bool],
    poll_seconds: float = 60.0,
    on_stored: Callable[[int], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> None:
    """Fetch, then keep watching (IDLE where offered, else every ``poll_seconds``) until
    ``stop()`` is true. Run it in a worker thread; it never raises a DeskError."""
    while not stop():
        try:
            folder = source.open()
        except DeskError as exc:
            _report(on_error, str(exc))
            _pause(RETRY_SECONDS, stop)
            continue
        try:
            while not stop():
                count = folder.fetch_unseen(lambda data: _store(mail, data))
                if count and on_stored:
                    on_stored(count)
                folder.wait(poll_seconds, stop)
        except DeskError as exc:
            _report(on_error, str(exc))
            _pause(RETRY_SECONDS, stop)
        finally:
            folder.close()


def _store(mail: Mail, data: bytes) -> None:
    with contextlib.suppress(NotMail):  # not mail at all: flagged seen, left on the server
        mail.receive(data)


def _report(on_error: Callable[[str], None] | None, message: str) -> None:
    if on_error:
        on_error(message)


def _pause(seconds: float, stop: Callable[[], bool]) -> None:
    end = time.monotonic() + seconds
    while not stop() and time.monotonic() < end:
        time.sleep(min(0.5, max(0.0, end - time.monotonic())))
