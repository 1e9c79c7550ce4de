"""The outbox against a real SMTP server (aiosmtpd on a free 127.0.0.1 port)."""

from __future__ import annotations

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from deskterm.config.settings import MailSection, ServerSection
from deskterm.mail.smtp import SmtpTransport
from deskterm.services.mail import Compose, Mail
from mailmaker import mail as make_mail

SETTINGS = MailSection(
    "Support <support@desk.example>",
    "Ana",
    ServerSection("", 0, "none", "", ""),
    ServerSection("", 0, "tls", "", ""),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what it accepted; ``refuse`` makes it say 554."""

    def __init__(self) -> None:
        self.got: list[tuple[str, list[str], bytes]] = []
        self.refuse = False

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd names it so
        if self.refuse:
            return "554 5.7.1 message refused by policy"
        self.got.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, SmtpTransport("127.0.0.1", controller.port, "none")
    finally:
        controller.stop()


@pytest.fixture
def box(desk):
    return Mail(desk, SETTINGS)


def test_a_reply_reaches_the_server_threaded_and_ends_waiting(box, desk, smtp):
    inbox, transport = smtp
    got = box.receive(make_mail(message_id="<ask@example.com>", subject="Refund?"))
    pid = got.message.person_id
    assert desk.summary_rows([pid])[0][-1] is not None  # waiting
    reply = box.reply_template(pid)
    reply = Compose(
        reply.to,
        reply.subject,
        "It is on its way.\n" + reply.text,
        "",
        reply.in_reply_to,
        reply.references,
    )
    queued = box.queue_message(pid, reply, write_id="w1")
    results = box.send_queued(transport)
    assert [r.sent for r in results] == [True]
    ((sender, rcpts, data),) = inbox.got
    assert sender == "support@desk.example" and rcpts == ["jim@example.com"]
    sent = email.message_from_bytes(data, policy=policy.default)
    assert sent["In-Reply-To"] == "<ask@example.com>"
    assert sent["References"] == "<ask@example.com>"
    assert sent["Subject"] == "Re: Refund?"
    assert sent["Message-ID"] == queued.message_id
    assert box.message(queued.id).message.status == "sent"
    assert desk.summary_rows([pid])[0][-1] is None  # answered: no longer waiting
    assert desk.timeline(pid)[0].kind == "contact" and desk.timeline(pid)[0].channel == "email"
    assert box.send_queued(transport) == []  # never twice
    assert len(inbox.got) == 1


def test_server_down_keeps_it_queued_and_flush_sends_it_once(box, desk):
    jim = desk.add_person({"name": "Jim", "email": "jim@example.com"})
    port = free_port()
    down = SmtpTransport("127.0.0.1", port, "none")
    queued = box.queue_message(jim.id, Compose("jim@example.com", "Hello", "Hi"))
    (result,) = box.send_queued(down)
    assert not result.sent and "cannot reach" in result.reason and "\n" not in result.reason
    view = box.message(queued.id).message
    assert view.status == "queued" and view.failure and view.attempts == 1
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert [r.sent for r in box.send_queued(down)] == [True]
        assert box.send_queued(down) == []
    finally:
        controller.stop()
    assert len(inbox.got) == 1


def test_a_refused_message_is_failed_on_the_timeline_and_retried(box, desk, smtp):
    inbox, transport = smtp
    jim = desk.add_person({"name": "Jim", "email": "jim@example.com"})
    inbox.refuse = True
    queued = box.queue_message(jim.id, Compose("jim@example.com", "Hello", "Hi"))
    (result,) = box.send_queued(transport)
    assert not result.sent and "554" in result.reason
    assert box.message(queued.id).message.status == "failed"
    assert desk.timeline(jim.id)[0].kind == "not_sent"
    assert desk.timeline(jim.id)[0].text.startswith("not sent — ")
    inbox.refuse = False
    assert [r.sent for r in box.send_queued(transport)] == [True]
    assert box.message(queued.id).message.status == "sent" and len(inbox.got) == 1


def test_password_command_gives_the_login_and_errors_never_show_it(tmp_path):
    from deskterm.mail.secret import PasswordError, run_password_command

    assert run_password_command("printf 's3cret\\nignored'", "[mail.smtp]") == "s3cret"
    with pytest.raises(PasswordError) as err:
        run_password_command("echo s3cret; exit 3", "[mail.smtp]")
    assert "s3cret" not in str(err.value) and "exit status 3" in str(err.value)
    assert run_password_command("", "[mail.smtp]") == ""


def test_mail_send_and_flush_from_the_command_line(tmp_path):
    import os
    import subprocess
    import sys

    port = free_port()
    config = tmp_path / "c.toml"
    config.write_text(
        '[mail]\nfrom = "Support <support@desk.example>"\nsignature = "Ana"\n'
        f'[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'user = "ana"\npassword_command = "echo pw-from-command"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    env |= {"DESKTERM_CONFIG": str(config), "DESKTERM_DATABASE_URL": f"sqlite:///{tmp_path}/d.db"}

    def deskterm(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "deskterm", *args], input=stdin, capture_output=True, env=env
        )

    assert deskterm("mail", "receive", stdin=make_mail()).returncode == 0
    down = deskterm("mail", "send", "jim@example.com", "--subject", "Hi", stdin=b"On its way.\n")
    assert down.returncode == 1 and down.stderr.count(b"\n") == 1
    assert b"kept" in down.stderr and b"pw-from-command" not in down.stderr

    def only_the_commands_password(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=auth_data.password == b"pw-from-command")

    inbox = Inbox()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        auth_require_tls=False,
        authenticator=only_the_commands_password,
    )
    controller.start()
    try:
        flushed = deskterm("mail", "flush")
        assert flushed.returncode == 0, flushed.stderr
        assert deskterm("mail", "flush").stdout == b"nothing to send\n"
    finally:
        controller.stop()
    ((_, rcpts, data),) = inbox.got  # logged in with the command's password, sent once
    assert rcpts == ["jim@example.com"] and b"On its way." in data and b"\r\n-- \r\nAna" in data


def test_two_desks_flushing_at_once_send_each_message_once(desk, engine, clock, smtp):
    """Each message is claimed in a transaction before it is handed over, so two desks
    (threads here, each with its own Desk) never send the same one."""
    import threading

    from deskterm.services import Desk

    inbox, transport = smtp
    jim = desk.add_person({"name": "Jim", "email": "jim@example.com"})
    box = Mail(desk, SETTINGS)
    queued = [
        box.queue_message(jim.id, Compose("jim@example.com", f"n{i}", "x")) for i in range(12)
    ]
    results: list = []
    start = threading.Barrier(2)

    def flush(agent: str) -> None:
        other = Mail(Desk(engine, agent, clock=clock), SETTINGS)
        start.wait()
        results.extend(other.send_queued(transport))

    threads = [threading.Thread(target=flush, args=(a,)) for a in ("ana", "bo")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    sent_ids = sorted(r.id for r in results if r.sent)
    assert sent_ids == sorted(m.id for m in queued)
    received = [data.split(b"Message-ID: ")[1].split(b"\r\n")[0] for _, _, data in inbox.got]
    assert sorted(received) == sorted(m.message_id.encode() for m in queued)
    assert {box.message(m.id).message.status for m in queued} == {"sent"}
