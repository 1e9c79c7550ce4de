"""Receiving real, messy mail: nothing crashes, nothing is lost, exit codes for an MTA."""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest

from deskterm.mail.parse import NotMail, parse, reply_to
from mailmaker import mail as make_mail
from mailmaker import raw

MESSY = {
    "8-bit header": raw(
        b"From: J\xc3\xbcrgen <j@x.example>", b"Subject: Gr\xfc\xdfe", "Message-ID: <8@x>"
    ),
    "unknown charset": raw(
        "From: a@x.example",
        "Subject: =?x-unknown?q?Hallo?=",
        "Content-Type: text/plain; charset=x-nonsense",
        body=b"caf\xe9\r\n",
    ),
    "broken MIME": raw(
        "From: a@x.example",
        "Content-Type: multipart/mixed",
        "Message-ID: <bm@x>",
        body=b"--nowhere\r\nContent-Type: text/plain\r\n\r\nhi\r\n",
    ),
    "bad base64": raw(
        "From: a@x.example",
        "Content-Transfer-Encoding: base64",
        body=b"!!!not base64***\r\n",
    ),
    "bounce": raw(
        "From: MAILER-DAEMON@x.example",
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        body=b"--b\r\nContent-Type: text/plain\r\n\r\nUndeliverable\r\n--b\r\n"
        b"Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
        b"--b\r\nContent-Type: message/rfc822\r\n\r\nSubject: orig\r\n\r\nbody\r\n--b--\r\n",
    ),
    "html only": raw(
        "From: h@x.example",
        "Content-Type: text/html; charset=utf-8",
        body=b"<html><body><p>Hello <b>there</b></p><ul><li>one</li></ul></body></html>",
    ),
    "markup and controls": make_mail(
        subject="[bold]hi[/] \x1b]0;pwned\x07 \u202eevil [@click=app.quit]",
        body="\x1b[31mred\x1b[0m [link]\n",
    ),
    "20 MB attachment": raw(
        "From: big@x.example",
        'Content-Type: multipart/mixed; boundary="b"',
        body=b"--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--b\r\n"
        b'Content-Type: application/octet-stream; name="big.bin"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(b"\0" * 20_000_000)
        + b"\r\n--b--\r\n",
    ),
    "no blank line": b"From: a@x.example\r\nSubject: only headers",
}


@pytest.mark.parametrize("name", sorted(MESSY))
def test_messy_mail_is_stored_whole(desk, name):
    from deskterm.services.mail import Mail

    box = Mail(desk)
    data = MESSY[name]
    got = box.receive(data)
    assert box.raw(got.message.id) == data
    detail = box.message(got.message.id)
    assert isinstance(detail.text, str)


def test_what_messy_mail_reads_as():
    assert parse(MESSY["8-bit header"]).from_name == "Jürgen"
    bounce = parse(MESSY["bounce"])
    assert bounce.automatic and bounce.text.startswith("Undeliverable")
    html = parse(MESSY["html only"])
    assert html.html_as_text and "Hello there" in html.text and "<b>" not in html.text
    big = parse(MESSY["20 MB attachment"])
    assert [(a.name, a.size) for a in big.attachments] == [("big.bin", 20_000_000)]
    assert "\x1b]0;pwned\x07" in parse(MESSY["markup and controls"]).subject  # data, as given


@pytest.mark.parametrize(
    "headers",
    [{"Auto-Submitted": "auto-replied"}, {"Precedence": "bulk"}, {"Precedence": "list"}],
)
def test_automatic_mail_does_not_make_anyone_waiting(desk, headers):
    from deskterm.services.mail import Mail

    got = Mail(desk).receive(make_mail(headers=headers))
    assert got.message.automatic
    assert desk.summary_rows([got.message.person_id])[0][-1] is None


@pytest.mark.parametrize("data", [b"", b"   \n", b"just some text\n", b"\x89PNG\r\n\x1a\n\0\0"])
def test_not_mail_is_refused(data):
    with pytest.raises(NotMail):
        parse(data)


def run_cli(args, stdin, env):
    return subprocess.run(
        [sys.executable, "-m", "deskterm", *args], input=stdin, capture_output=True, env=env
    )


def test_the_mta_pipe_exit_codes(tmp_path, monkeypatch):
    import os

    config = tmp_path / "c.toml"
    config.write_text("")
    env = {**os.environ, "DESKTERM_CONFIG": str(config)}
    env["DESKTERM_DATABASE_URL"] = f"sqlite:///{tmp_path / 'd.db'}"
    data = make_mail()
    first = run_cli(["mail", "receive"], data, env)
    assert first.returncode == 0, first.stderr
    again = run_cli(["mail", "receive"], data, env)
    assert again.returncode == 0 and b"already stored" in again.stdout
    bad = run_cli(["mail", "receive"], b"hello\n", env)
    assert bad.returncode == 2 and bad.stderr.count(b"\n") == 1
    assert run_cli(["mail", "raw", "1"], b"", env).stdout == data
    env["DESKTERM_DATABASE_URL"] = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    down = run_cli(["mail", "receive"], data, env)
    assert down.returncode == 75 and b"Traceback" not in down.stderr


def test_maildir_rerun_stores_nothing_twice(desk, tmp_path):
    from deskterm.services.mail import Mail

    for sub in ("new", "cur", "tmp"):
        (tmp_path / sub).mkdir()
    for i in range(3):
        (tmp_path / "new" / f"17000000{i}.M1P1.host").write_bytes(
            make_mail(message_id=f"<md{i}@x>")
        )
    (tmp_path / "new" / "junk").write_bytes(b"not mail\n")
    box = Mail(desk)
    first = box.receive_maildir(tmp_path)
    assert (first.stored, first.duplicates, [b[0] for b in first.bad]) == (3, 0, ["junk"])
    assert sorted(p.name for p in (tmp_path / "cur").iterdir()) == [
        f"17000000{i}.M1P1.host:2,S" for i in range(3)
    ]
    for i in range(3):  # the same messages delivered again
        (tmp_path / "new" / f"again{i}").write_bytes(make_mail(message_id=f"<md{i}@x>"))
    second = box.receive_maildir(tmp_path)
    assert (second.stored, second.duplicates) == (0, 3)


def test_mangled_mail_never_crashes_the_parser():
    """Thousands of random corruptions of real-looking mail: each one parses or is
    refused as not mail; nothing else is ever raised."""
    import random

    rnd = random.Random(5)
    samples = [v for k, v in MESSY.items() if k != "20 MB attachment"] + [make_mail()]
    junk = [b"\r\n", b"\n", b":", b"=?", b"?=", b"=?utf-8?b?", b"--b", b"\xff", b"\x00",
            b"<", b">", b'"', b";", b"boundary=", b"charset=", b"Content-Type: multipart/",
            b"message/rfc822", b"\r\n\r\n", b"=\r\n", b"base64"]  # fmt: skip
    for _ in range(2000):
        data = bytearray(rnd.choice(samples))
        for _ in range(rnd.randint(1, 6)):
            at = rnd.randrange(len(data) + 1)
            if rnd.random() < 0.5:
                data[at:at] = rnd.choice(junk)
            else:
                del data[at : at + rnd.randint(1, 20)]
        reply_to(bytes(data)).encode("utf-8")
        try:
            got = parse(bytes(data))
        except NotMail:
            continue
        assert isinstance(got.text, str) and isinstance(got.subject, str)
        got.text.encode("utf-8")  # storable: no lone surrogates
        got.subject.encode("utf-8")
