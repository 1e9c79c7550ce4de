"""The command line: logging commands, finding people, errors and exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from deskterm.cli.main import main
from deskterm.services import Desk
from deskterm.storage import open_engine

HOSTILE = "\x1b]0;pwned\x07 Eve"


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def config(tmp_path, clean_env):
    path = tmp_path / "config.toml"
    path.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    return path


@pytest.fixture
def cli(config, db_url, capsys):
    """Run ``deskterm --config … --db … ARGS`` in-process; returns code, stdout, stderr."""

    def run(*argv: str, db: str | None = None) -> Result:
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config), "--db", db or db_url, *argv])
        out, err = capsys.readouterr()
        return Result(exit_.value.code, out, err)

    return run


@pytest.fixture
def desk(db_url):
    engine = open_engine(db_url)
    yield Desk(engine, "lee")
    engine.dispose()


@pytest.fixture
def margo(desk):
    return desk.add_person({"name": "Margo Fairweather", "email": "margo@fairweather.example"})


def one_line_error(result: Result) -> str:
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("deskterm: ")
    assert "Traceback" not in result.err
    return lines[0]


# -- logging ---------------------------------------------------------------------------
def test_note_by_email_is_stored_with_the_configured_agent(cli, desk, margo):
    result = cli("note", "margo@fairweather.example", "prefers", "calls after 3pm")
    assert result.code == 0, result.err
    assert result.out == "note added for Margo Fairweather\n"
    entry = desk.detail(margo.id).timeline[0]
    assert (entry.kind, entry.text, entry.agent) == ("note", "prefers calls after 3pm", "ana")


def test_follow_up_parses_the_due_expression(cli, desk, margo):
    before = datetime.now(UTC)
    result = cli("follow-up", str(margo.id), "2d check the refund arrived")
    assert result.code == 0, result.err
    assert result.out.startswith("follow-up for Margo Fairweather due ")
    assert result.out.rstrip().endswith(": check the refund arrived")
    (follow_up,) = desk.follow_ups(margo.id)
    assert follow_up.note == "check the refund arrived"
    assert follow_up.agent == "ana"
    expected = (before + timedelta(days=2)).replace(second=0, microsecond=0)
    assert abs(follow_up.due_at - expected) <= timedelta(minutes=1)


def test_mood_contact_and_done(cli, desk, margo):
    assert cli("mood", "Margo Fairweather", "2", "her", "cat is at the vet").code == 0
    assert cli("contact", "margo@fairweather.example", "phone", "called back").code == 0
    assert cli("follow-up", "margo@fairweather.example", "tomorrow", "ship it").code == 0
    result = cli("done", "margo@fairweather.example", "shipped")
    assert result.code == 0, result.err
    assert result.out == "follow-up “ship it” for Margo Fairweather done: shipped\n"
    detail = desk.detail(margo.id)
    assert detail.mood.level == 2 and detail.mood.note == "her cat is at the vet"
    assert detail.open_follow_ups == ()
    contact = next(e for e in detail.timeline if e.kind == "contact")
    assert (contact.channel, contact.text, contact.agent) == ("phone", "called back", "ana")
    assert {e.agent for e in detail.timeline if e.kind != "created"} == {"ana"}


def test_mood_confirmation_uses_the_label(cli, margo):
    result = cli("mood", "margo@fairweather.example", "5")
    assert result.out == "mood for Margo Fairweather: 5 (delighted)\n"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (("mood", "margo@fairweather.example", "7"), "mood level"),
        (("note", "margo@fairweather.example", " "), "note: cannot be empty"),
        (("done", "margo@fairweather.example"), "no open follow-up"),
        (("follow-up", "margo@fairweather.example", "blah call back"), "not a due time"),
        (("follow-up", "margo@fairweather.example", "2026-02-30 x"), "not a date"),
        (("follow-up", "margo@fairweather.example", "yesterday x"), "in the past"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, desk, margo, argv, needle):
    result = cli(*argv)
    assert result.code == 2
    assert needle in one_line_error(result)
    assert desk.follow_ups(margo.id) == []


def test_unknown_person_lists_candidates(cli, margo):
    result = cli("note", "Margo Fairweathr", "hello")
    assert result.code == 2
    line = one_line_error(result)
    assert "no person matches" in line and "Margo Fairweather" in line


def test_ambiguous_person_lists_every_candidate(cli, desk):
    a = desk.add_person({"name": "Sam Lee", "email": "sam1@example.com"})
    b = desk.add_person({"name": "Sam Lee"})
    result = cli("note", "sam lee", "hi")
    assert result.code == 2
    line = one_line_error(result)
    assert f"(id {a.id})" in line and f"(id {b.id})" in line
    assert desk.detail(a.id).timeline[0].kind == "created"


def test_hostile_names_never_reach_the_terminal(cli, desk):
    person = desk.add_person({"name": HOSTILE})
    result = cli("note", str(person.id), "hello")
    assert result.code == 0
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "␛]0;pwned␇ Eve" in result.out
    result = cli("note", "\x1b[31mnobody", "hello")
    assert "\x1b" not in result.err and result.code == 2


# -- merge and erase -------------------------------------------------------------------
def test_merge_moves_history_and_says_what_moved(cli, desk, margo):
    other = desk.add_person({"name": "Margo F.", "phone": "+49 30 1234"})
    desk.log_note(other.id, "duplicate's note")
    desk.log_mood(other.id, 3)
    result = cli("merge", "margo@fairweather.example", str(other.id))
    assert result.code == 0, result.err
    assert "moved 3 entries, 0 follow-ups, 1 mood;" in result.out
    assert "filled in phone" in result.out
    kept = desk.detail(margo.id)
    assert kept.person.phone == "+49 30 1234"
    assert any(e.text == "duplicate's note" for e in kept.timeline)
    assert cli("note", str(other.id), "x").code == 2


def test_erase_needs_yes(cli, desk, margo):
    result = cli("erase", "margo@fairweather.example")
    assert result.code == 2
    assert "--yes" in one_line_error(result)
    assert desk.get_person(margo.id).name == "Margo Fairweather"
    result = cli("erase", "margo@fairweather.example", "--yes")
    assert result.code == 0
    assert result.out.startswith("erased Margo Fairweather")
    assert cli("note", "margo@fairweather.example", "x").code == 2


# -- database --------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["nonsense", "mysql://u@h/db", "sqlite://"])
def test_bad_database_url_is_bad_input_exit_2(cli, url):
    """A URL that cannot work is bad input (2), named with where it came from."""
    result = cli("note", "1", "x", db=url)
    assert result.code == 2
    assert "--db: database.url:" in one_line_error(result)


def test_unreachable_database_is_exit_75(cli):
    """A good URL whose server does not answer: try again later (75), not a failure (1)."""
    result = cli("note", "1", "x", db="postgresql+psycopg://postgres@127.0.0.1:1/test")
    assert result.code == 75
    assert "cannot open database" in one_line_error(result)
    assert "unreachable" in result.err


def test_db_upgrade_and_status(cli):
    from deskterm.storage.migrate import head_revision

    head = head_revision()
    result = cli("db", "upgrade")
    assert (result.code, result.out) == (0, f"database at revision {head} (was empty)\n")
    result = cli("db", "upgrade")
    assert result.out == f"database at revision {head} (was {head}, already up to date)\n"
    result = cli("db", "status")
    assert result.code == 0 and "up to date" in result.out


def test_command_groups_without_action_exit_2(cli):
    assert cli("db").code == 2
    assert cli("config").code == 2


def test_demo_cannot_take_a_command(cli):
    result = cli("--demo", "note", "1", "x")
    assert result.code == 2


# -- the process boundary --------------------------------------------------------------
def _deskterm(*argv: str, tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    config = tmp_path / "sub.toml"
    config.write_text('[agent]\nname = "ana"\n', encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "deskterm", "--config", str(config), *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("argv", "code"),
    [
        (("--db", "nonsense", "note", "1", "x"), 2),
        (("--db", "postgresql+psycopg://postgres@127.0.0.1:1/test", "note", "1", "x"), 75),
        (("--db", "sqlite:///{tmp}/d.db", "note", "nobody", "x"), 2),
        (("--db", "sqlite:///{tmp}/d.db", "follow-up", "1", "someday"), 2),
        (("--db", "sqlite:///{tmp}/d.db", "import", "{tmp}/missing.csv"), 2),
        (("--db", "sqlite:///{tmp}/d.db", "frobnicate"), 2),
    ],
)
def test_subprocess_errors_are_one_line_without_traceback(tmp_path, clean_env, argv, code):
    argv = tuple(a.format(tmp=tmp_path) for a in argv)
    done = _deskterm(*argv, tmp_path=tmp_path)
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stdout == ""


def test_subprocess_version_and_help(tmp_path, clean_env):
    from deskterm import __version__

    done = _deskterm("--version", tmp_path=tmp_path)
    assert (done.returncode, done.stdout) == (0, f"deskterm {__version__}\n")
    done = _deskterm("--help", tmp_path=tmp_path)
    assert done.returncode == 0 and "follow-up" in done.stdout and "--demo" in done.stdout
