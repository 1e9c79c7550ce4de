"""Messages travel with their person through export and import, and search finds them."""

from __future__ import annotations

import json

from deskterm.config.settings import MailSection, ServerSection
from deskterm.services import Desk
from deskterm.services.mail import Compose, Mail
from deskterm.storage import open_engine
from deskterm.transfer.export import export_lines
from mailmaker import mail as make_mail

SETTINGS = MailSection(
    "Support <support@desk.example>",
    "",
    ServerSection("", 0, "none", "", ""),
    ServerSection("", 0, "tls", "", ""),
)


def test_export_carries_messages_and_import_brings_them_back(desk, engine, tmp_path):
    from deskterm.cli.main import run

    box = Mail(desk, SETTINGS)
    got = box.receive(make_mail(subject="[b]Refund[/b] \x1b[1m", body="Where is it?\n"))
    pid = got.message.person_id
    box.queue_message(pid, Compose("jim@example.com", "Re: Refund", "Soon."))
    (line,) = export_lines(engine, mood_label=str)
    person = json.loads(line)
    assert [m["direction"] for m in person["messages"]] == ["in", "out"]
    incoming = person["messages"][0]
    assert set(incoming) == {
        "message_id", "direction", "at", "from", "to", "subject", "text", "attachments",
        "status",
    }  # fmt: skip
    assert incoming["subject"] == "[b]Refund[/b] \x1b[1m" and incoming["status"] == "received"
    assert person["messages"][1]["status"] == "queued"

    first = tmp_path / "one.jsonl"
    first.write_text(line, encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    config = tmp_path / "c.toml"
    config.write_text("")
    assert run(["--config", str(config), "--db", other, "import", str(first)]) == 0
    copy = open_engine(other)
    try:
        (again,) = export_lines(copy, mood_label=str)
        assert json.loads(again)["messages"] == person["messages"]
        moved = Desk(copy, "ana")
        (row,) = moved.summary_rows()
        assert row[-1] is not None  # still waiting for an answer
        assert "Refund" in moved.search_rows()[0][-1]
        assert again == line.replace(f'"id": {pid},', f'"id": {row[0]},')
    finally:
        copy.dispose()


def test_subjects_are_searchable_text(desk):
    box = Mail(desk)
    got = box.receive(make_mail(subject="Re: RE: broken kettle"))
    (row,) = desk.search_rows([got.message.person_id])
    assert row[-1] == "broken kettle"


def test_search_finds_people_by_their_mail_subjects(tmp_path, capsys):
    from deskterm.cli.main import run

    config = tmp_path / "c.toml"
    config.write_text("")
    db = f"sqlite:///{tmp_path / 'd.db'}"
    engine = open_engine(db)
    try:
        Mail(Desk(engine, "ana")).receive(make_mail(subject="Broken kettle again"))
    finally:
        engine.dispose()
    capsys.readouterr()
    assert run(["--config", str(config), "--db", db, "search", "kettle", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["email"] == "jim@example.com"
