"""``deskterm search``: the desk's people search for scripts, through the command line."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from deskterm.cli.main import main
from deskterm.directory import Directory
from deskterm.services import Desk
from deskterm.storage import open_engine

HOSTILE = "\x1b]0;pwned\x07 Eve"


@pytest.fixture
def config(tmp_path, clean_env):
    path = tmp_path / "config.toml"
    path.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    return path


@pytest.fixture
def desk(db_url):
    engine = open_engine(db_url)
    desk = Desk(engine, "lee")
    for profile in (
        {"name": "Margo Fairweather", "email": "margo@fairweather.example", "company": "Fair"},
        {"name": "Robert Smith", "email": "rsmith@example.com", "company": "Smithy"},
        {"name": "Михаил Смирнов", "company": "Смирнов и сыновья"},
        {"name": "Wendeline Quackenbush", "email": "wq@example.org"},
    ):
        desk.add_person(profile)
    yield desk
    engine.dispose()


@pytest.fixture
def cli(config, db_url, capsys, monkeypatch):
    """Run ``deskterm --config … --db … search ARGS`` in-process (stdin as given)."""

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config), "--db", db_url, "search", *argv])
        out, err = capsys.readouterr()
        return exit_.value.code, out, err

    return run


def _id(desk: Desk, name: str) -> int:
    return desk.find_person(name).id


def test_one_query_prints_the_best_people_tab_separated(cli, desk):
    code, out, err = cli("mrg frwthr")
    margo = _id(desk, "Margo Fairweather")
    assert (code, err) == (0, "")
    assert out == f"{margo}\tMargo Fairweather\tmargo@fairweather.example\tFair\n"


def test_json_lines_one_person_each(cli, desk):
    code, out, _ = cli("mikhail smirnov", "--json")
    assert code == 0
    person = json.loads(out.splitlines()[0])
    assert person == {
        "id": _id(desk, "Михаил Смирнов"),
        "name": "Михаил Смирнов",
        "email": None,
        "company": "Смирнов и сыновья",
    }


def test_limit_caps_the_people(cli, desk):
    for n in range(5):
        desk.add_person({"name": f"Sam Smith {n}"})
    _, out, _ = cli("smith", "--limit", "3")
    assert len(out.splitlines()) == 3


def test_stdin_json_prints_one_line_per_query_in_order(cli, desk):
    code, out, _ = cli("--stdin", "--json", stdin="bob smith\nqzxvwq\n\nwendlne quack\n")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [r["query"] for r in lines] == ["bob smith", "qzxvwq", "", "wendlne quack"]
    assert lines[0]["total"] >= 1 and lines[0]["people"][0]["name"] == "Robert Smith"
    assert lines[1] == {"query": "qzxvwq", "total": 0, "people": []}
    assert lines[2]["total"] == 0
    assert lines[3]["people"][0]["email"] == "wq@example.org"
    assert set(lines[3]["people"][0]) == {"id", "name", "email", "company"}


def test_stdin_plain_starts_each_line_with_its_query(cli, desk):
    code, out, _ = cli("--stdin", "--limit", "1", stdin="bob smith\nnobody-at-all\nfrwthr\n")
    assert code == 0
    rows = [line.split("\t") for line in out.splitlines()]
    assert [(r[0], r[2]) for r in rows] == [
        ("bob smith", "Robert Smith"),
        ("frwthr", "Margo Fairweather"),
    ]


def test_stored_control_characters_never_reach_the_terminal(cli, desk):
    desk.add_person({"name": HOSTILE, "company": "tab\there"})
    _, out, _ = cli("eve")
    assert "\x1b" not in out and "\x07" not in out
    assert out.count("\t") == 3 and "␛]0;pwned␇ Eve" in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("",), "the query is empty"),
        ((), "the query is empty"),
        (("margo", "--stdin"), "not both"),
        (("margo", "--limit", "0"), "--limit must be 1 or more"),
        (("margo", "--limit", "many"), "invalid int value"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, desk, argv, needle):
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err


def test_same_people_in_the_same_order_as_the_desk(cli, desk):
    for n in range(12):
        desk.add_person({"name": f"Margo Clone{n}"})
    margo = _id(desk, "Margo Fairweather")
    soon = datetime.now(UTC) + timedelta(hours=2)
    desk.log_follow_up(margo, soon, "call back")  # due soon: first among equals on the desk
    directory = Directory(desk, tz=ZoneInfo("UTC"))
    directory.load()
    expected = directory.search("margo", limit=8).ids
    _, out, _ = cli("margo", "--limit", "8")
    assert [int(line.split("\t")[0]) for line in out.splitlines()] == expected


def test_a_process_answers_a_phone_system(tmp_path, config, desk, db_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    argv = ["--config", str(config), "--db", db_url, "search", "--stdin", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "deskterm", *argv, "--limit", "1"],
        input="robert smith\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["people"][0]["name"] == "Robert Smith"


def test_each_process_opens_the_saved_index_and_catches_it_up(cli, desk, monkeypatch):
    """SQLite beside the file, PostgreSQL in the cache folder: the first search saves the
    index, later ones open it (no build) and find who was added since."""
    from deskterm.services.saved_index import index_path

    assert cli("margo")[0] == 0
    path = index_path(desk.engine)
    assert path is not None and path.exists()

    def no_build(self: Directory) -> object:
        raise AssertionError("the index was built, not opened from its file")

    monkeypatch.setattr(Directory, "_build_fresh", no_build)
    late = desk.add_person({"name": "Zebulon Quirkwhistle"}).id
    code, out, err = cli("zeblon quirk")
    assert (code, err) == (0, "")
    assert [int(line.split("\t")[0]) for line in out.splitlines()] == [late]
