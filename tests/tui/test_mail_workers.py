"""The open desk's mail workers against real servers: Dovecot for IMAP, aiosmtpd for SMTP.

Mail that arrives while the desk is open lands on the person without a keypress; an
answer the server cannot take stays queued, is said once (not once a round), and goes
out when the server is back; quitting stops both workers at once.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from deskterm.services.mail import Mail
from deskterm.tui import mail_workers
from deskterm.tui.widgets.header import DeskHeader
from deskterm.tui.widgets.queue_list import QueueList
from dovecot import PASSWORD, USER, dovecot_server
from mailmaker import mail as make_mail
from tui.conftest import record_notifications

BASE = '[agent]\nname = "ana"\ntimezone = "Europe/Berlin"\n\n[ui]\nrefresh_seconds = 0.2\n\n'
SENDER = '[mail]\nfrom = "Support <support@desk.example>"\n\n'


def settings_with(tmp_path: Path, text: str) -> Any:
    from deskterm.config import load_settings

    path = tmp_path / "desk.toml"
    path.write_text(BASE + text, encoding="utf-8")
    return load_settings(config_path=path, env={})


def desk_app(desk: Any, settings: Any, drafts: Any) -> Any:
    from deskterm.tui.app import DeskApp

    return record_notifications(DeskApp(desk=desk, settings=settings, drafts=drafts))


async def until(pilot: Any, settle: Any, check: Any, seconds: float = 20.0) -> bool:
    """Let the desk run until ``check()`` holds (False when ``seconds`` pass first).

    Only pauses: the IMAP worker runs as long as the desk is open, so waiting for every
    worker to finish (``settle``) would wait for ever.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        await pilot.pause(0.1)
    return check()


@pytest.fixture
def imap():
    with dovecot_server() as server:
        yield server


async def test_mail_arriving_in_imap_lands_on_the_open_desk(
    imap, desk, people, tmp_path, drafts, settle
) -> None:
    settings = settings_with(
        tmp_path,
        f'[mail.imap]\nhost = "127.0.0.1"\nport = {imap.port}\nsecurity = "none"\n'
        f'user = "{USER}"\npassword_command = "echo {PASSWORD}"\npoll_seconds = 1\n',
    )
    app = desk_app(desk, settings, drafts)
    started = 0.0
    async with app.run_test(size=(120, 36)) as pilot:
        assert await until(pilot, settle, lambda: app.screen.queue is not None)
        assert "0 waiting" in app.screen.query_one(DeskHeader).counts_text
        imap.deliver("seeds", make_mail(sender="Jim Okafor <jim@example.org>", subject="Seeds"))

        def jim_waits() -> bool:
            rows = {r.id: r.reason for r in app.screen.query_one(QueueList).visible_rows()}
            return rows.get(people.jim.id, "").endswith("· waiting")

        assert await until(pilot, settle, jim_waits)
        assert "1 waiting" in app.screen.query_one(DeskHeader).counts_text
        started = time.monotonic()
    assert time.monotonic() - started < 5  # quitting did not wait for the IMAP worker
    assert [m.subject for m in Mail(desk).messages(people.jim.id)] == ["Seeds"]


async def test_an_answer_the_server_cannot_take_waits_and_goes_once_it_is_back(
    desk, people, tmp_path, drafts, settle, monkeypatch
) -> None:
    from aiosmtpd.controller import Controller

    from test_mail_smtp import Inbox, free_port

    monkeypatch.setattr(mail_workers, "FLUSH_SECONDS", 0.3)  # retry often, for the test
    port = free_port()  # nobody listens here yet
    settings = settings_with(
        tmp_path, f'{SENDER}[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
    )
    box = Mail(desk, settings.mail)
    box.receive(make_mail(sender="Jim Okafor <jim@example.org>", subject="Seeds"))
    app = desk_app(desk, settings, drafts)
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot, rounds=3)
            app.screen.query_one(QueueList).select_id(people.jim.id)
            await settle(pilot, rounds=3)
            await pilot.press("r", *"On their way.", "ctrl+s")
            await settle(pilot, rounds=3)
            await pilot.pause(1.5)  # several rounds of the outbox worker, server down
            await settle(pilot, rounds=3)
            down = [t for t, _ in app.notified if t.startswith("mail not sent")]
            assert len(down) == 1 and "cannot reach" in down[0]
            assert [m.status for m in box.outbox()] == ["queued"]
            controller.start()  # the server is back
            assert await until(pilot, settle, lambda: bool(inbox.got))
            assert await until(pilot, settle, lambda: box.outbox() == [])
            assert "Mail sending works again" in [t for t, _ in app.notified]
            assert await until(
                pilot, settle, lambda: "0 waiting" in app.screen.query_one(DeskHeader).counts_text
            )
    finally:
        controller.stop()
    assert len(inbox.got) == 1  # sent once, however often it was retried
