"""Reading an IMAP folder (imaplib): unseen messages are fetched without marking them,
stored, and only then flagged ``\\Seen`` — a message whose store fails stays unseen
and is fetched again next time. ``wait`` uses IDLE where the server offers it."""

from __future__ import annotations

import contextlib
import imaplib
import re
import select
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from deskterm.errors import DeskError
from deskterm.mail.secret import PasswordError, run_password_command

if TYPE_CHECKING:
    from deskterm.config.settings import ServerSection

TIMEOUT = 30.0
IDLE_MAX = 25 * 60.0  # RFC 2177: re-issue IDLE at least every 29 minutes
_UID = re.compile(rb"UID (\d+)")


class FetchError(DeskError):
    """The IMAP server could not be reached, logged in to, or read (exit code 1)."""


@dataclass(frozen=True, slots=True)
class ImapSource:
    """Where to fetch from; ``open`` gives a logged-in connection with the folder selected."""

    host: str
    port: int = 0
    security: str = "tls"
    user: str = ""
    password_command: str = ""
    folder: str = "INBOX"
    timeout: float = TIMEOUT

    @classmethod
    def from_settings(cls, server: ServerSection) -> ImapSource:
        return cls(
            server.host,
            server.port,
            server.security,
            server.user,
            server.password_command,
            server.folder,
        )

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or (993 if self.security == 'tls' else 143)}"

    def open(self) -> Folder:
        if not self.host:
            raise FetchError("no IMAP server: set [mail.imap] host")
        port = self.port or (993 if self.security == "tls" else 143)
        context = ssl.create_default_context()
        try:
            if self.security == "tls":
                conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    self.host, port, ssl_context=context, timeout=self.timeout
                )
            else:
                conn = imaplib.IMAP4(self.host, port, timeout=self.timeout)
                if self.security == "starttls":
                    conn.starttls(ssl_context=context)
        except (OSError, imaplib.IMAP4.error) as exc:
            raise FetchError(f"cannot reach {self.address}: {_why(exc)}") from None
        try:
            if self.user:
                conn.login(self.user, run_password_command(self.password_command, "[mail.imap]"))
            typ, _data = conn.select(_quoted(self.folder))
            if typ != "OK":
                raise FetchError(f"{self.address}: cannot open folder {self.folder!r}")
        except PasswordError:
            _close(conn)
            raise
        except (OSError, imaplib.IMAP4.error) as exc:
            _close(conn)
            raise FetchError(f"{self.address}: {_why(exc)}") from None
        except FetchError:
            _close(conn)
            raise
        return Folder(conn, self.address)


class Folder:
    """A selected folder on a live connection (close it when done)."""

    def __init__(self, conn: imaplib.IMAP4, address: str) -> None:
        self.conn = conn
        self.address = address

    def unseen(self) -> list[bytes]:
        """UIDs of the unseen messages, oldest first."""
        _typ, data = self._ok(self.conn.uid("SEARCH", None, "UNSEEN"))
        return [uid for uid in (data[0] or b"").split() if uid.isdigit()]

    def fetch(self, uid: bytes) -> bytes | None:
        """The message's bytes, without setting ``\\Seen`` (BODY.PEEK); None if gone."""
        _typ, data = self._ok(self.conn.uid("FETCH", uid, "(BODY.PEEK[])"))
        for item in data:
            if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def mark_seen(self, uid: bytes) -> None:
        self._ok(self.conn.uid("STORE", uid, "+FLAGS.SILENT", "(\\Seen)"))

    def fetch_unseen(self, store: Callable[[bytes], object]) -> int:
        """Store each unseen message, then flag it seen; returns how many were stored.

        An exception from ``store`` propagates: that message stays unseen.
        """
        count = 0
        for uid in self.unseen():
            data = self.fetch(uid)
            if data is None:
                continue
            store(data)
            self.mark_seen(uid)
            count += 1
        return count

    @property
    def can_idle(self) -> bool:
        return "IDLE" in getattr(self.conn, "capabilities", ())

    def wait(self, seconds: float, stop: Callable[[], bool]) -> None:
        """Until the folder may have news or ``seconds`` pass: IDLE when offered, else sleep."""
        if not self.can_idle:
            end = time.monotonic() + seconds
            while not stop() and time.monotonic() < end:
                time.sleep(min(1.0, max(0.0, end - time.monotonic())))
            self._ok(self.conn.noop())
            return
        self._idle(min(seconds, IDLE_MAX), stop)

    def _idle(self, seconds: float, stop: Callable[[], bool]) -> None:
        conn = self.conn
        tag = conn._new_tag()  # type: ignore[attr-defined]
        try:
            conn.send(tag + b" IDLE\r\n")
            if not conn.readline().startswith(b"+"):
                raise FetchError(f"{self.address}: the server refused IDLE")
            sock = conn.socket()
            end = time.monotonic() + seconds
            news = False
            while not news and not stop() and time.monotonic() < end:
                if not _readable(sock, 1.0):
                    continue
                line = conn.readline()
                if not line:
                    raise FetchError(f"{self.address}: the server closed the connection")
                news = b"EXISTS" in line or b"RECENT" in line
            conn.send(b"DONE\r\n")
            while True:
                line = conn.readline()
                if not line:
                    raise FetchError(f"{self.address}: the server closed the connection")
                if line.startswith(tag):
                    break
        except (OSError, imaplib.IMAP4.error) as exc:
            raise FetchError(f"{self.address}: {_why(exc)}") from None

    def close(self) -> None:
        _close(self.conn)

    def _ok(self, answer: tuple[str, list]) -> tuple[str, list]:
        typ, data = answer
        if typ != "OK":
            text = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
            raise FetchError(f"{self.address}: {typ} {text}".strip())
        return typ, data


def _readable(sock: socket.socket, seconds: float) -> bool:
    """Whether the server has said something (waits up to ``seconds``)."""
    if isinstance(sock, ssl.SSLSocket) and sock.pending():
        return True
    ready, _, _ = select.select([sock], [], [], seconds)
    return bool(ready)


def _quoted(folder: str) -> str:
    escaped = folder.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(Exception):  # closing a broken connection: nothing more to do
        conn.logout()


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:300]
