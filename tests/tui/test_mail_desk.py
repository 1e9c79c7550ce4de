"""Mail on the desk with real keys: reply, write, drafts, the viewer, unsorted mail —
sent to a real SMTP server (aiosmtpd) that the test starts on 127.0.0.1."""

from __future__ import annotations

import stat
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, TextArea

from deskterm.services.mail import Mail
from deskterm.tui.screens.compose import ComposeScreen
from deskterm.tui.screens.main import MainScreen
from deskterm.tui.screens.message import MessageScreen
from deskterm.tui.screens.unsorted import PersonPicker, UnsortedScreen
from deskterm.tui.widgets.header import DeskHeader
from deskterm.tui.widgets.person_view import PersonView
from deskterm.tui.widgets.queue_list import QueueList
from mailmaker import mail as make_mail
from tui.conftest import NOW, record_notifications

JIM = "Jim Okafor <jim@example.org>"
HOSTILE = "[bold]x[/] [@click=app.quit]y \x1b]0;pwned\x07 \u202eevil"
HOSTILE_SHOWN = "[bold]x[/] [@click=app.quit]y ␛]0;pwned␇ <U+202E>evil"


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free 127.0.0.1 port (mail-core's Inbox handler)."""
    from aiosmtpd.controller import Controller

    from test_mail_smtp import Inbox, free_port

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port  # type: ignore[attr-defined]
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def mail_settings(tmp_path: Path, smtp_server: Any):
    from deskterm.config import load_settings

    path = tmp_path / "mail.toml"
    path.write_text(
        '[agent]\nname = "ana"\ntimezone = "Europe/Berlin"\n\n[ui]\nrefresh_seconds = 0.2\n\n'
        '[mail]\nfrom = "Support <support@desk.example>"\nsignature = "Ana\\nThe support team"\n\n'
        f'[mail.smtp]\nhost = "127.0.0.1"\nport = {smtp_server.port}\nsecurity = "none"\n',
        encoding="utf-8",
    )
    return load_settings(config_path=path, env={})


@pytest.fixture
def box(desk: Any, mail_settings: Any) -> Mail:
    return Mail(desk, mail_settings.mail)


@pytest.fixture
def mail_app(desk: Any, mail_settings: Any, people: Any, drafts: Any):
    from deskterm.tui.app import DeskApp

    app = DeskApp(desk=desk, settings=mail_settings, db_label="sqlite:///tmp/x.db", drafts=drafts)
    return record_notifications(app)


def jim_writes(box: Mail, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "sender": JIM,
        "subject": "The invoice",
        "body": "Hello,\nthe invoice is wrong.\n\nOn Mon, Ana wrote:\n> here it is\n",
        "message_id": "<m1@example.org>",
        "date": "Mon, 23 Nov 2026 09:40:00 +0100",
    }
    values.update(kwargs)
    return box.receive(make_mail(**values)).message


async def select(pilot: Any, settle: Any, person_id: int) -> None:
    pilot.app.screen.query_one(QueueList).select_id(person_id)
    await settle(pilot)


def person_text(app: Any) -> str:
    view = app.screen.query_one(PersonView)
    return "\n".join(str(w.render()) for w in view.query("Static") if w.display)


def notes(app: Any) -> list[str]:
    return [text for text, _severity in app.notified]


async def test_waiting_person_rises_and_is_counted(mail_app, settle, box, people, tui_clock):
    """Jim writes in: 'wrote 20m ago · waiting' in the queue, and the header counts him."""
    from datetime import timedelta

    tui_clock.now = NOW - timedelta(minutes=20)
    box.receive(make_mail(sender="Jim Okafor <jim@example.org>", subject="Seeds"))
    tui_clock.now = NOW
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        header = mail_app.screen.query_one(DeskHeader)
        assert "1 waiting" in header.counts_text
        rows = {r.id: r.reason for r in mail_app.screen.query_one(QueueList).visible_rows()}
        assert rows[people.jim.id] == "wrote 20m ago · waiting"


async def test_reply_opens_the_editor_threaded_with_the_quote_below(
    mail_app, settle, box, people
) -> None:
    jim_writes(box)
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.jim.id)
        await pilot.press("r")
        await settle(pilot)
        editor = mail_app.screen
        assert isinstance(editor, ComposeScreen)
        assert editor.subject == "Re: The invoice"
        assert editor.letter.in_reply_to == "<m1@example.org>"
        area = editor.query_one("#compose-body", TextArea)
        assert mail_app.focused is area and area.cursor_location == (0, 0)
        text = editor.body
        assert text.index("-- \nAna\nThe support team") < text.index("> the invoice is wrong.")
        assert "Jim Okafor" in str(editor.query_one("#compose-to").render())


async def test_ctrl_s_sends_a_threaded_reply_and_jim_stops_waiting(
    mail_app, settle, box, people, smtp_server
) -> None:
    jim_writes(box)
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.jim.id)
        assert "1 waiting" in mail_app.screen.query_one(DeskHeader).counts_text
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"The corrected invoice is attached.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(mail_app.screen, MainScreen)
        for _ in range(40):  # the outbox worker hands it to the server, then we sync
            if smtp_server.got and "0 waiting" in mail_app.screen.query_one(DeskHeader).counts_text:
                break
            await pilot.pause(0.05)
            await settle(pilot)
        [(_sender, recipients, data)] = smtp_server.got
        assert recipients == ["jim@example.org"]
        sent = message_from_bytes(data, policy=policy.default)
        assert sent["In-Reply-To"] == "<m1@example.org>"
        assert "<m1@example.org>" in sent["References"]
        assert sent["Subject"] == "Re: The invoice"
        body = sent.get_content()
        assert body.startswith("The corrected invoice is attached.")
        assert "> the invoice is wrong." in body
        assert "0 waiting" in mail_app.screen.query_one(DeskHeader).counts_text
        shown = person_text(mail_app)
        assert "↑ to Jim Okafor · sent" in shown and "Re: The invoice" in shown
        assert "Reply to Jim Okafor queued" in notes(mail_app)
    assert box.outbox() == []


async def test_keys_typed_right_after_r_land_in_the_editor(mail_app, settle, box, people):
    """`r` and the first words often arrive together: none goes to the desk behind."""
    jim_writes(box)
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.jim.id)
        await pilot.press("r", *"Dear Jim, seeds are on their way")
        await settle(pilot)
        editor = mail_app.screen
        assert isinstance(editor, ComposeScreen)
        assert editor.body.startswith("Dear Jim, seeds are on their way\n")
        assert "> the invoice is wrong." in editor.body


async def test_escape_keeps_the_reply_and_r_brings_it_back(
    mail_app, settle, box, people, drafts
) -> None:
    jim_writes(box)
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.jim.id)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press(*"Half a thought", "escape")
        await settle(pilot)
        assert isinstance(mail_app.screen, MainScreen)
        assert drafts.load("reply", people.jim.id).fields["text"].startswith("Half a thought")
        await pilot.press("r")
        await settle(pilot)
        editor = mail_app.screen
        assert isinstance(editor, ComposeScreen)
        assert editor.body.startswith("Half a thought")
        assert "your draft from" in editor.status_text
    assert box.outbox() == []


async def test_write_starts_on_the_subject_and_needs_an_email(
    mail_app, settle, box, people
) -> None:
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.alecia.id)  # no email address
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(mail_app.screen, MainScreen)
        assert "Alecia Brandt has no email address to write to" in notes(mail_app)
        await select(pilot, settle, people.margo.id)
        await pilot.press("w")
        await settle(pilot)
        editor = mail_app.screen
        assert isinstance(editor, ComposeScreen)
        assert isinstance(mail_app.focused, Input)
        await pilot.press(*"Your seeds", "enter", *"They shipped today.", "ctrl+s")
        await settle(pilot)
    queued = box.messages(people.margo.id)
    assert [m.subject for m in queued] == ["Your seeds"]


async def test_ctrl_e_round_trip_in_the_desk(
    mail_app, settle, box, people, tmp_path, monkeypatch
) -> None:
    editor_script = tmp_path / "editor.sh"
    editor_script.write_text('#!/bin/sh\necho "from my editor" >> "$1"\n', encoding="utf-8")
    editor_script.chmod(editor_script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(editor_script))
    jim_writes(box)
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.jim.id)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert mail_app.screen.body.endswith("> the invoice is wrong.\nfrom my editor\n")  # type: ignore[attr-defined]


async def test_enter_opens_the_message_whole_with_thread_and_quote_on_demand(
    mail_app, settle, box, people
) -> None:
    jim_writes(box)
    async with mail_app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.jim.id)
        await pilot.press("enter")
        await settle(pilot)
        viewer = mail_app.screen
        assert isinstance(viewer, MessageScreen)
        text = viewer.shown_text
        assert "From     Jim Okafor <jim@example.org>" in text
        assert "Date     Mon, 23 Nov 2026 09:40:00 +0100" in text
        assert "the invoice is wrong." in text and "> here it is" not in text
        await pilot.press("z")
        await pilot.pause()
        assert "> here it is" in viewer.shown_text
        await pilot.press("r")  # answer it from here
        await settle(pilot)
        editor = mail_app.screen
        assert isinstance(editor, ComposeScreen) and editor.subject == "Re: The invoice"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(mail_app.screen, MainScreen)


async def test_hostile_mail_is_shown_literally_in_timeline_and_viewer(
    mail_app, settle, box, people
) -> None:
    jim_writes(box, subject=HOSTILE, body=f"{HOSTILE}\n")
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await select(pilot, settle, people.jim.id)
        assert HOSTILE_SHOWN in person_text(mail_app)
        await pilot.press("enter")
        await settle(pilot)
        viewer = mail_app.screen
        assert isinstance(viewer, MessageScreen)
        assert HOSTILE_SHOWN in viewer.shown_text
        svg = mail_app.export_screenshot()
        assert "\x1b" not in svg and "\u202e" not in svg and "\x07" not in svg
        assert mail_app.is_running


async def test_unsorted_mail_is_filed_on_a_person(mail_app, settle, box, people) -> None:
    lost = box.receive(make_mail(sender="", subject="Who am I?", message_id="<lost@x>"))
    async with mail_app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("U")
        await settle(pilot)
        screen = mail_app.screen
        assert isinstance(screen, UnsortedScreen)
        assert screen.query_one(OptionList).option_count == 1
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(mail_app.screen, PersonPicker)
        await pilot.press(*"jim oka")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert mail_app.screen is screen
        assert "filed on Jim Okafor" in screen.status_text
        assert "nothing unsorted" in screen.status_text or screen.messages == []
    assert box.unsorted() == []
    assert [m.id for m in box.messages(people.jim.id)] == [lost.message.id]
