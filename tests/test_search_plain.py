"""``deskterm search`` reads through the database driver alone (``PlainReads``: SQLite
with the standard library, PostgreSQL with psycopg), without the database layer, and
answers exactly as the desk's own search does; anything unusual (another revision, no
WAL yet, no file, URL options) takes the usual way."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from conftest import FakeClock, PgSchema, require_pg
from deskterm.cli.context import Context
from deskterm.cli.main import main
from deskterm.config import load_settings
from deskterm.search.corpus import synthetic_people
from deskterm.services import Desk
from deskterm.services import reads as orm_reads
from deskterm.services.people_search import PeopleSearch
from deskterm.services.plain_reads import (
    SEARCH_COLUMNS,
    SUMMARY_COLUMNS,
    PlainReads,
    server_identity,
)
from deskterm.services.saved_index import index_path, path_for_server
from deskterm.storage import open_engine
from deskterm.storage.revisions import known_revisions

QUERIES = (
    "margo", "mrgo fair", "mrg frwthr", "fairweather", "mikhail smirnov", "555", "refund",
    "bob smith", "wendlne quack", "小明", "a", "qzxvw", "smith", "ltd",
)  # fmt: skip


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite desk file with 300 varied people, some with follow-ups and moods (ties in
    the search are broken by the attention order, so that must agree too)."""
    path = tmp_path_factory.mktemp("template") / "desk.db"
    engine = open_engine(f"sqlite:///{path}")
    clock = FakeClock()
    desk = Desk(engine, "ana", clock=clock)
    emails: set[str] = set()
    for doc in synthetic_people(300):
        email = doc.email if doc.email.lower() not in emails else ""
        emails.add(email.lower())
        values = {"name": doc.name, "email": email, "company": doc.company, "phone": doc.phone}
        pid = desk.add_person(values).id
        if pid % 7 == 3:
            desk.log_follow_up(pid, clock() + timedelta(hours=pid % 50 - 25), "call back")
        if pid % 5 == 1:
            desk.log_mood(pid, 1 + pid % 5)
    for name in ("Margo Fairweather", "Robert Smith", "Wendeline Quackenbush"):
        desk.add_person({"name": name})
    engine.dispose()  # the last connection closed: the WAL is folded into the file
    return path


@pytest.fixture
def url(tmp_path: Path, template: Path) -> str:
    shutil.copyfile(template, tmp_path / "desk.db")
    return f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture
def desk(url: str):
    engine = open_engine(url)
    yield Desk(engine, "ana", clock=FakeClock())
    engine.dispose()


@pytest.fixture
def settings(url: str):
    return load_settings(env={}, overrides={"database.url": url, "agent.timezone": "UTC"})


@pytest.fixture
def pg_url():
    require_pg()
    schema = PgSchema()
    yield schema.url
    schema.drop()


@pytest.fixture
def desk_pg(pg_url, clock):
    """A PostgreSQL desk with a few dozen varied people."""
    engine = open_engine(pg_url)
    desk = Desk(engine, "ana", clock=clock)
    for doc in synthetic_people(60):
        pid = desk.add_person({"name": doc.name, "company": doc.company, "phone": doc.phone}).id
        if pid % 7 == 3:
            desk.log_follow_up(pid, clock() + timedelta(hours=pid % 50 - 25), "call back")
    for name in ("Margo Fairweather", "Robert Smith", "Wendeline Quackenbush"):
        desk.add_person({"name": name})
    yield desk
    engine.dispose()


@pytest.fixture
def settings_pg(pg_url: str):
    return load_settings(env={}, overrides={"database.url": pg_url, "agent.timezone": "UTC"})


def _plain(url: str, desk: Desk) -> PlainReads:
    plain = PlainReads.open(url, busy_timeout_ms=1000)
    assert plain is not None, "the plain way should open this database"
    plain.clock = desk.clock  # the same "now" for the attention order
    return plain


def test_the_columns_are_the_desks_own():
    assert tuple(c.name for c in orm_reads.SUMMARY_COLUMNS) == SUMMARY_COLUMNS
    assert tuple(c.name for c in orm_reads.SEARCH_COLUMNS) == SEARCH_COLUMNS


def test_the_plain_way_finds_the_same_people_as_the_desk(url, desk, settings):
    PeopleSearch(desk, settings).open()  # saves the index, as the desk or an import would
    plain = _plain(url, desk)
    try:
        usual, quick = PeopleSearch(desk, settings), PeopleSearch(plain, settings)
        for query in QUERIES:
            assert quick.search(query, limit=10) == usual.search(query, limit=10), query
            # With more contenders than ``most`` the whole queue ranks them: the same too.
            few = quick.directory.search_among(query, limit=5, most=3)
            assert few == usual.directory.search_among(query, limit=5, most=3), query
    finally:
        plain.close()


def test_a_person_added_after_the_index_was_saved_is_found(url, desk, settings):
    PeopleSearch(desk, settings).open()
    saved = index_path(desk.engine)
    assert saved is not None and saved.exists()
    late = desk.add_person({"name": "Zebulon Quirkwhistle", "email": "zq@ex.org"}).id
    desk.erase(desk.find_person("Robert Smith").id)
    plain = _plain(url, desk)
    try:
        quick = PeopleSearch(plain, settings)
        assert [p.id for p in quick.search("zeblon quirk").people] == [late]
        assert all(p.name != "Robert Smith" for p in quick.search("robert smith").people)
    finally:
        plain.close()


def test_a_missing_index_is_built_and_saved_the_plain_way(url, desk, settings):
    saved = index_path(desk.engine)
    assert saved is not None and not saved.exists()
    plain = _plain(url, desk)
    try:
        found = PeopleSearch(plain, settings).search("mrg frwthr")
        assert found.people[0].name == "Margo Fairweather"
    finally:
        plain.close()
    assert saved.exists()


def test_the_command_reads_sqlite_without_the_database_layer(url, desk, settings, tmp_path):
    PeopleSearch(desk, settings).open()
    late = desk.add_person({"name": "Zebulon Quirkwhistle"}).id  # after the index was saved
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    argv = ["--config", str(config), "--db", url, "search", "zeblon quirk"]
    code = (
        "import sys\nfrom deskterm.cli.main import run\n"
        f"code = run({argv!r})\n"
        "print('loaded' if 'sqlalchemy' in sys.modules else 'plain', code)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"{late}\tZebulon Quirkwhistle\t\t", "plain 0"]


def test_the_command_never_opens_the_desk_for_a_plain_file(url, desk, tmp_path, monkeypatch):
    def fail(self: Context) -> Desk:
        raise AssertionError("the database layer was opened")

    monkeypatch.setattr(Context, "desk", fail)
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--config", str(config), "--db", url, "search", "wendline"])
    assert done.value.code == 0


def _previous_revision(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        older = next(rev for rev, down in known_revisions().items() if down is None)
        conn.execute("UPDATE alembic_version SET version_num = ?", (older,))


def _rollback_journal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()


@pytest.mark.parametrize(
    "how", ["older revision", "no WAL yet", "no file", "URL options", "not a desk"]
)
def test_anything_unusual_takes_the_usual_way(url, desk, tmp_path, how):
    path = tmp_path / "desk.db"
    desk.engine.dispose()
    if how == "older revision":
        _previous_revision(path)
    elif how == "no WAL yet":
        _rollback_journal(path)
    elif how == "no file":
        url = f"sqlite:///{tmp_path / 'new.db'}"
    elif how == "URL options":
        url += "?timeout=3"
    elif how == "not a desk":
        url = f"sqlite:///{tmp_path / 'other.db'}"
        with sqlite3.connect(tmp_path / "other.db") as conn:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("CREATE TABLE t (x)")
    assert PlainReads.open(url, busy_timeout_ms=1000) is None
    assert not (tmp_path / "new.db").exists()  # nothing created by trying


def test_the_usual_way_upgrades_what_the_plain_way_left(url, desk, tmp_path):
    """A database not yet in WAL mode: the command converts it as the desk would, then
    the next search reads it the plain way."""
    path = tmp_path / "desk.db"
    desk.engine.dispose()
    _rollback_journal(path)
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--config", str(config), "--db", url, "search", "wendline"])
    assert done.value.code == 0
    plain = PlainReads.open(url, busy_timeout_ms=1000)
    assert plain is not None
    plain.close()


@pytest.mark.parametrize(
    "raw",
    [
        "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dt_1",
        "postgresql://ana:s3cr%40t@db.example.org/desk",
        "postgres://ana@db.example.org:05432/desk?sslmode=require&application_name=x%20y",
        "postgresql+psycopg2://localhost/desk",
        "postgresql:///desk",
    ],
)
def test_a_postgresql_index_is_the_same_file_either_way(raw):
    from deskterm.services.plain_reads import _PG_URL
    from deskterm.services.saved_index import path_for_url
    from deskterm.storage import parse_url

    found = _PG_URL.fullmatch(raw)
    assert found is not None
    options = dict(parse_qsl(found["query"] or ""))
    assert path_for_server(server_identity(found, options)) == path_for_url(parse_url(raw))


@pytest.mark.parametrize(
    "raw",
    ["postgresql://[::1]/desk", "postgresql://h/d?a=1&a=2", "postgresql://h/d?connect_timeout=9"],
)
def test_an_unusual_postgresql_url_takes_the_usual_way(raw):
    assert PlainReads.open(raw, busy_timeout_ms=1000) is None


def test_the_plain_way_finds_the_same_people_on_postgresql(pg_url, desk_pg, settings_pg):
    PeopleSearch(desk_pg, settings_pg).open()
    plain = PlainReads.open(pg_url, busy_timeout_ms=1000)
    assert plain is not None
    assert plain.index_path == index_path(desk_pg.engine)
    plain.clock = desk_pg.clock
    try:
        usual, quick = PeopleSearch(desk_pg, settings_pg), PeopleSearch(plain, settings_pg)
        late = desk_pg.add_person({"name": "Zebulon Quirkwhistle"}).id  # after the save
        for query in (*QUERIES, "zeblon quirk"):
            assert quick.search(query, limit=10) == usual.search(query, limit=10), query
        assert [p.id for p in quick.search("zeblon quirk").people] == [late]
    finally:
        plain.close()


def test_an_unreachable_server_is_said_once_as_usual(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\n', encoding="utf-8")
    url = "postgresql+psycopg://postgres@127.0.0.1:1/test"
    with pytest.raises(SystemExit) as done:
        main(["--config", str(config), "--db", url, "search", "margo"])
    err = capsys.readouterr().err
    assert done.value.code == 75
    assert err.startswith(f"deskterm: cannot open database {url}: the database is unreachable")
    assert len(err.splitlines()) == 1
