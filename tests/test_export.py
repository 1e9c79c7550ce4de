"""``deskterm export``: the format, one person, atomic files, and byte-exact round trips."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass

import pytest

from conftest import PgSchema
from deskterm.cli.main import main
from deskterm.services import Desk
from deskterm.storage import open_engine
from deskterm.transfer.export import export_lines

NAMES = [
    "Margo Fairweather",
    "山田 花子",  # CJK
    "محمد الأحمد",  # Arabic
    "Зоя Мюллер",  # Cyrillic
    "김민준",  # Hangul
    "देवनागरी शर्मा",  # Devanagari
    "Zoë 🐈‍⬛ Müller 👩🏽‍💻",  # accents, ZWJ emoji, skin tone
    "[bold]x[/]",
    "[@click=app.quit]",
    "oops [/] here",
    "\x1b[31mred\x1b[0m",
    "\x1b]0;pwned\x07",
    "right\u202eto-left",
]
KEYS = ["id", "name", "email", "company", "phone", "tags", "mood", "follow_ups", "entries"]
OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def config(tmp_path, clean_env):
    path = tmp_path / "config.toml"
    path.write_text('[agent]\nname = "ana"\ntimezone = "Asia/Tokyo"\n', encoding="utf-8")
    return path


@pytest.fixture
def run(config, capsys):
    def run(url: str, *argv: str) -> Result:
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config), "--db", url, *argv])
        out, err = capsys.readouterr()
        return Result(exit_.value.code, out, err)

    return run


@pytest.fixture
def other_url(db_url, tmp_path):
    """A second fresh database on the same backend as ``db_url``."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'other.db'}"
        return
    schema = PgSchema()
    try:
        yield schema.url
    finally:
        schema.drop()


def hostile_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "email", "company", "phone", "tags", "notes", "matters"])
    for i, name in enumerate(NAMES):
        email = f"p{i}@example.com" if i % 3 else ""
        tags = "vip, 猫" if i % 2 else ""
        writer.writerow([name, email, name[::-1], f"+81 {i}", tags, f"note: {name}\n…", name])
    return buffer.getvalue()


def test_round_trip_is_byte_exact(db_url, other_url, run, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text(hostile_csv(), encoding="utf-8")
    result = run(db_url, "import", str(source))
    assert result.code == 0, result.err
    assert run(db_url, "mood", "p1@example.com", "2", "\x1b[5mupset[/]").code == 0
    assert run(db_url, "follow-up", "p1@example.com", "2d", "[b]call[/b]").code == 0
    assert run(db_url, "follow-up", "p2@example.com", "1h", "ship").code == 0
    assert run(db_url, "done", "p2@example.com", "shipped \x07").code == 0
    assert run(db_url, "contact", "p4@example.com", "電話", "話した").code == 0

    first, second, third = (tmp_path / f"e{i}.jsonl" for i in (1, 2, 3))
    assert run(db_url, "export", "--out", str(first)).code == 0
    assert run(other_url, "import", str(first)).code == 0
    assert run(other_url, "export", "--out", str(second)).code == 0
    assert second.read_bytes() == first.read_bytes()

    people = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert [p["name"] for p in people] == NAMES
    assert [p["matters"] for p in people] == NAMES
    for person in people:
        assert all(key in person for key in KEYS)
        for entry in person["entries"]:
            assert {"at", "kind", "text", "agent"} <= set(entry)
    assert people[1]["mood"] == {
        "level": 2,
        "label": "frustrated",
        "note": "\x1b[5mupset[/]",
        "at": people[1]["mood"]["at"],
        "agent": "ana",
    }
    assert people[2]["follow_ups"][0]["outcome"] == "shipped \x07"
    assert people[4]["entries"][-1]["channel"] == "電話"
    assert "\\u" not in first.read_text(encoding="utf-8").replace("\\u001b", "").replace(
        "\\u0007", ""
    )

    # and once more, from the copy: nothing drifts
    wiped = tmp_path / "third.db"
    assert run(f"sqlite:///{wiped}", "import", str(second)).code == 0
    assert run(f"sqlite:///{wiped}", "export", "--out", str(third)).code == 0
    assert third.read_bytes() == first.read_bytes()


def test_times_carry_an_offset(db_url, run, tmp_path):
    source = tmp_path / "p.csv"
    source.write_text("name,email\nMargo,margo@example.com\n", encoding="utf-8")
    run(db_url, "import", str(source))
    run(db_url, "mood", "margo@example.com", "4")
    run(db_url, "follow-up", "margo@example.com", "tomorrow 9:00 call")
    (person,) = [json.loads(line) for line in run(db_url, "export").out.splitlines()]
    stamps = [person["created_at"], person["mood"]["at"], person["follow_ups"][0]["due"]]
    stamps += [e["at"] for e in person["entries"]]
    assert all(OFFSET.match(stamp) for stamp in stamps), stamps
    assert person["follow_ups"][0]["due"].startswith(person["follow_ups"][0]["due"][:11])
    assert person["follow_ups"][0]["due"][11:19] == "00:00:00"  # 9:00 in Tokyo is 00:00 UTC


def test_export_one_person_by_email_or_id(db_url, run):
    engine = open_engine(db_url)
    desk = Desk(engine, "lee")
    desk.add_person({"name": "Jim", "email": "jim@example.org"})
    margo = desk.add_person({"name": "Margo", "email": "margo@example.org"})
    engine.dispose()
    by_email = run(db_url, "export", "--person", "MARGO@example.org")
    by_id = run(db_url, "export", "--person", str(margo.id))
    assert by_email.code == by_id.code == 0
    assert by_email.out == by_id.out
    (line,) = by_email.out.splitlines()
    assert json.loads(line)["name"] == "Margo"
    missing = run(db_url, "export", "--person", "nobody@example.org")
    assert missing.code == 2 and missing.out == ""


def test_empty_database_exports_nothing(db_url, run):
    assert run(db_url, "export") == Result(0, "", "")


def test_out_is_written_atomically(db_url, run, tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("old contents\n", encoding="utf-8")
    result = run(db_url, "export", "--out", str(tmp_path / "missing" / "x.jsonl"))
    assert result.code == 1 and "cannot write" in result.err
    result = run(db_url, "export", "--out", str(target))
    assert result == Result(0, f"exported 0 people to {target}\n", "")
    assert target.read_bytes() == b""
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_export_streams_in_chunks(sqlite_url):
    engine = open_engine(sqlite_url)
    desk = Desk(engine, "lee")
    ids = [desk.add_person({"name": f"P{i}"}).id for i in range(7)]
    for pid in ids:
        desk.log_note(pid, f"note {pid}")
    whole = list(export_lines(engine, mood_label=str))
    chunked = list(export_lines(engine, mood_label=str, chunk=2))
    engine.dispose()
    assert chunked == whole and len(whole) == 7
    assert [json.loads(line)["entries"][-1]["text"] for line in whole] == [
        f"note {pid}" for pid in ids
    ]
