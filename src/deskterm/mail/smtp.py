"""Handing a message to an SMTP server (smtplib): the one adapter that sends bytes."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from deskterm.mail.secret import PasswordError, run_password_command

if TYPE_CHECKING:
    from deskterm.config.settings import ServerSection

PORTS = {"tls": 465, "starttls": 587, "none": 25}
TIMEOUT = 30.0


class SendError(Exception):
    """The server did not take the message. ``unreachable``: it could not be reached or
    logged in to (nothing else will go through either); otherwise it refused this one."""

    def __init__(self, reason: str, *, unreachable: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.unreachable = unreachable


class Transport(Protocol):
    """Something that hands bytes to a mail server; raises SendError when it did not."""

    def send(self, sender: str, recipients: list[str], data: bytes) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpTransport:
    """One connection per message: simple, and nothing stale is left open by a desk."""

    host: str
    port: int = 0
    security: str = "starttls"
    user: str = ""
    password_command: str = ""
    timeout: float = TIMEOUT

    @classmethod
    def from_settings(cls, server: ServerSection) -> SmtpTransport:
        return cls(server.host, server.port, server.security, server.user, server.password_command)

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port or PORTS.get(self.security, 25)}"

    def send(self, sender: str, recipients: list[str], data: bytes) -> None:
        if not self.host:
            raise SendError("no SMTP server: set [mail.smtp] host", unreachable=True)
        port = self.port or PORTS.get(self.security, 25)
        context = ssl.create_default_context()
        try:
            if self.security == "tls":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, port, timeout=self.timeout, context=context
                )
            else:
                smtp = smtplib.SMTP(self.host, port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"cannot reach {self.address}: {_why(exc)}", unreachable=True) from None
        try:
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=context)
                if self.user:
                    password = run_password_command(self.password_command, "[mail.smtp]")
                    smtp.login(self.user, password)
                smtp.sendmail(sender, recipients, data)
        except PasswordError as exc:
            raise SendError(str(exc), unreachable=True) from None
        except smtplib.SMTPAuthenticationError as exc:
            raise SendError(
                f"{self.address} refused the login: {_why(exc)}", unreachable=True
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            who = ", ".join(sorted(exc.recipients))
            raise SendError(
                f"{self.address} refused every recipient ({who})", unreachable=False
            ) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise SendError(
                f"{self.address} refused the message: {_why(exc)}", unreachable=False
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SendError(f"{self.address}: {_why(exc)}", unreachable=True) from None


def _why(exc: BaseException) -> str:
    """One line from an smtplib or socket error (code and the server's text)."""
    code = getattr(exc, "smtp_code", None)
    text = getattr(exc, "smtp_error", None)
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if code is not None and text:
        line = " ".join(str(text).split())
        return f"{code} {line}"[:300]
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return first[:300]
