"""The storage layer: URLs, SQLite tuning, migrations, and what survives an upgrade."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from conftest import PG_BASE, PgSchema, require_pg
from deskterm.errors import StorageError
from deskterm.services import Desk
from deskterm.storage import engine as engine_module
from deskterm.storage import open_engine, parse_url, safe_url
from deskterm.storage.engine import writer
from deskterm.storage.migrate import MIGRATIONS, current_revision, head_revision, upgrade

TABLES = ("person", "entry", "follow_up", "mood", "change")


def dump(engine) -> dict[str, list[dict]]:
    """Every row of every deskterm table, in id order (plain SQL), column → value."""
    with engine.connect() as conn:
        return {
            t: [dict(r._mapping) for r in conn.execute(text(f'SELECT * FROM "{t}" ORDER BY id'))]
            for t in TABLES
        }


def kept(
    old: dict[str, list[dict]], new: dict[str, list[dict]], filled: frozenset[str] = frozenset()
) -> bool:
    """``new`` holds every row of ``old`` unchanged; columns one side lacks are left out
    (a migration may add a column, empty (NULL or "") for old rows unless it fills it:
    ``filled``)."""
    if {t: len(rows) for t, rows in old.items()} != {t: len(rows) for t, rows in new.items()}:
        return False
    for table, rows in old.items():
        for before, after in zip(rows, new[table], strict=True):
            shared = (before.keys() & after.keys()) - filled
            if {k: before[k] for k in shared} != {k: after[k] for k in shared}:
                return False
            added = after.keys() - before.keys() - filled
            if any(after[k] not in (None, "") for k in added):
                return False
    return True


def alembic_config(engine) -> Config:
    """An Alembic config that runs deskterm's migrations on ``engine``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def fill(desk: Desk, clock) -> list[int]:
    """A few people with history of every kind; returns their ids."""
    jim = desk.add_person({"name": "Jim", "email": "jim@example.com", "tags": ["a", "b"]})
    margo = desk.add_person({"name": "Margo \x1b[1m", "matters": "hurry"})
    clock.advance(hours=1)
    desk.log_note(jim.id, "likes tea")
    desk.log_contact(margo.id, "phone", "called")
    desk.log_mood(margo.id, 2, "rushed")
    desk.log_follow_up(jim.id, clock() + timedelta(days=1), "call back")
    desk.complete_follow_up(jim.id, "done")
    desk.edit_person(margo.id, 1, {"phone": "555"})
    return [jim.id, margo.id]


# -- URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "nonsense",
        "mysql://x/y",
        "",
        "   ",
        "://",
        "postgresql://u:pw@h:notaport/db",
        "sqlite://",
        "sqlite:///:memory:",
        "postgresql://postgres@127.0.0.1:1/test",
    ],
)
def test_bad_url_is_a_one_line_storage_error(url):
    """Unusable URLs raise StorageError with a single line, never another exception."""
    with pytest.raises(StorageError) as err:
        open_engine(url)
    message = str(err.value)
    assert message and "\n" not in message


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:s3cret@127.0.0.1:1/test",
        "mysql://root:s3cret@db/x",
        "root:s3cret@db/x",
        "postgresql://root:s3cret@db:notaport/x",
    ],
)
def test_errors_hide_the_password(url):
    """Whatever the failure, the password never appears in the message."""
    with pytest.raises(StorageError) as err:
        open_engine(url)
    assert "s3cret" not in str(err.value)
    assert "\n" not in str(err.value)


def test_short_url_for_the_header_drops_password_driver_and_options():
    from deskterm.storage.engine import short_url

    url = "postgresql+psycopg://desk:s3cret@db.internal/support?options=-csearch_path%3Dx"
    assert short_url(url) == "postgresql://desk:***@db.internal/support"
    assert short_url("sqlite:////tmp/desk.db") == "sqlite:////tmp/desk.db"


def test_postgres_scheme_means_postgresql_with_psycopg():
    """``postgres://`` (as many hosts print it) is read as PostgreSQL through psycopg 3."""
    assert parse_url("postgres://u@h/db").drivername == "postgresql+psycopg"


def test_unreachable_postgresql_names_the_server():
    """An unreachable server is reported with the (safe) URL and the reason."""
    with pytest.raises(StorageError, match=r"127\.0\.0\.1:1/"):
        open_engine("postgresql://postgres@127.0.0.1:1/test")


def test_sqlite_folder_that_cannot_be_created(tmp_path):
    """A SQLite path whose folder cannot be made is a StorageError naming the path."""
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError, match=r"file\.txt") as err:
        open_engine(f"sqlite:///{blocker}/sub/desk.db")
    assert "\n" not in str(err.value)


def test_sqlite_file_that_is_not_a_database(tmp_path):
    """A file that is not SQLite is reported, and left as it was."""
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some text" * 20)
    before = junk.read_bytes()
    with pytest.raises(StorageError, match="not a database"):
        open_engine(f"sqlite:///{junk}")
    assert junk.read_bytes() == before


def test_sqlite_folder_is_created(tmp_path):
    """The folder of a new SQLite file is created on first use."""
    path = tmp_path / "a" / "b" / "desk.db"
    open_engine(f"sqlite:///{path}").dispose()
    assert path.exists()


def test_postgresql_url_is_rewritten_to_psycopg3():
    """postgresql:// (and a psycopg2 driver) become postgresql+psycopg://."""
    assert parse_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    assert parse_url("postgresql+psycopg2://u@h/d").drivername == "postgresql+psycopg"
    assert parse_url(" sqlite:///x.db ").drivername == "sqlite"


def test_plain_postgresql_url_opens_with_psycopg3():
    """An actual postgresql:// URL connects through psycopg 3."""
    require_pg()
    schema = PgSchema()
    try:
        engine = open_engine(schema.url.replace("postgresql+psycopg://", "postgresql://"))
        assert engine.dialect.driver == "psycopg"
        assert current_revision(engine) == head_revision()
        engine.dispose()
    finally:
        schema.drop()


def test_safe_url_hides_the_password():
    """safe_url masks the password and keeps the rest."""
    assert safe_url("postgresql://u:pw@h/d") == "postgresql://u:***@h/d"
    assert safe_url("sqlite:///x.db") == "sqlite:///x.db"


# -- SQLite tuning ------------------------------------------------------------------------


def test_sqlite_pragmas_on_a_fresh_connection(sqlite_url):
    """Every new connection has WAL, foreign keys and a busy timeout."""
    engine = open_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0
    engine.dispose()


def test_sqlite_writer_takes_the_write_lock_at_begin(sqlite_url):
    """A writer transaction holds the write lock from BEGIN, before any statement."""
    engine = open_engine(sqlite_url)
    path = sqlite_url.removeprefix("sqlite:///")
    with writer(engine).begin():
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()
    engine.dispose()


def test_locked_sqlite_is_a_clear_error_and_writes_nothing(sqlite_url, clock, monkeypatch):
    """While another program holds the write lock, a write fails cleanly after the wait."""
    monkeypatch.setattr(engine_module, "SQLITE_BUSY_MS", 200)
    engine = open_engine(sqlite_url)
    desk = Desk(engine, "ana", clock=clock)
    jim = desk.add_person({"name": "Jim"})
    other = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="locked") as err:
            desk.log_note(jim.id, "blocked")
        assert "\n" not in str(err.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [e.kind for e in desk.timeline(jim.id)] == ["created"]
    engine.dispose()


# -- migrations ---------------------------------------------------------------------------


def test_fresh_database_is_at_head(engine):
    """open_engine brings an empty database to the newest revision."""
    assert head_revision() is not None
    assert current_revision(engine) == head_revision()


def test_upgrade_twice_is_a_no_op(engine, desk, clock):
    """Upgrading an up-to-date database changes nothing and reports head both times."""
    fill(desk, clock)
    before = dump(engine)
    assert upgrade(engine) == (head_revision(), head_revision())
    assert upgrade(engine) == (head_revision(), head_revision())
    assert dump(engine) == before


def test_reopening_keeps_every_row(db_url, clock):
    """Closing and reopening (which runs upgrade) leaves all data untouched."""
    engine = open_engine(db_url)
    fill(Desk(engine, "ana", clock=clock), clock)
    before = dump(engine)
    engine.dispose()
    again = open_engine(db_url)
    assert dump(again) == before
    assert current_revision(again) == head_revision()
    again.dispose()


def test_upgrade_from_the_first_revision_keeps_data(db_url, clock):
    """A database created by the first schema, with data, upgrades without loss.

    The data is written by today's desk and the schema then taken back to the first
    revision (the Desk speaks only the newest schema).
    """
    engine = open_engine(db_url)
    desk = Desk(engine, "ana", clock=clock)
    ids = fill(desk, clock)
    gone = desk.add_person({"name": "Gone"})
    desk.erase(gone.id)
    command.downgrade(alembic_config(engine), "0001")
    before = dump(engine)
    assert upgrade(engine) == ("0001", head_revision())
    # 0005 gives old follow-ups their logger as assignee, and old dones need no check-back
    assert kept(before, dump(engine), frozenset({"assignee", "check_back_of"}))
    newcomer = desk.add_person({"name": "Newcomer"})
    assert newcomer.id > gone.id
    assert desk.detail(ids[0]).timeline[0].kind == "done"
    engine.dispose()


def test_downgrade_and_upgrade_again_keep_data(engine, desk, clock):
    """Going back to the first revision and up again loses no row."""
    fill(desk, clock)
    before = dump(engine)
    command.downgrade(alembic_config(engine), "0001")
    assert current_revision(engine) == "0001"
    assert kept(before, dump(engine))
    upgrade(engine)
    # 0005 set again: the assignees, and the dones of before it as needing no check-back
    assert kept(before, dump(engine), frozenset({"assignee", "check_back_of", "s_unconfirmed"}))


def test_foreign_keys_hold_after_migrations(engine, desk):
    """After every migration, a row for a missing person is still refused."""
    desk.add_person({"name": "Jim"})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO mood (person_id, level, note, agent, at) "
                "VALUES (424242, 3, '', 'x', :at)"
            ),
            {"at": "2026-11-23 10:00:00.000000"},
        )


def test_migrated_indexes_are_those_of_the_models(engine):
    """The indexes the migrations leave are the models' indexes, partial where the
    models say so: neither more (every write pays for one) nor fewer."""
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    import deskterm.models  # noqa: F401 - the tables

    found = inspect(engine)
    for name, table in SQLModel.metadata.tables.items():
        have = {ix["name"] for ix in found.get_indexes(name) if "duplicates_constraint" not in ix}
        assert have == {ix.name for ix in table.indexes}, name
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
            partial = dict(conn.execute(text(query)).all())
    else:
        with engine.connect() as conn:
            partial = dict(conn.execute(text("SELECT name, sql FROM sqlite_master")).all())
    assert "write_id IS NOT NULL" in partial["ux_entry_write_id"]
    assert "owner IS NOT NULL" in partial["ix_person_owner"]


def test_sqlite_lookups_by_person_write_id_and_owner_use_an_index(sqlite_url):
    """Without the single-column and full indexes, every lookup still finds its index."""
    engine = open_engine(sqlite_url)
    queries = {
        "SELECT * FROM entry WHERE person_id = 1": "ix_entry_person_at",
        "SELECT * FROM follow_up WHERE person_id = 1": "ix_follow_up_person_open",
        "SELECT * FROM mood WHERE person_id = 1": "ix_mood_person_at",
        "SELECT * FROM entry WHERE write_id = 'w'": "ux_entry_write_id",
        "SELECT * FROM person WHERE owner = 'ana'": "ix_person_owner",
        "SELECT DISTINCT owner FROM person WHERE owner IS NOT NULL": "ix_person_owner",
    }
    with engine.connect() as conn:
        for query, index in queries.items():
            plan = " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}"))
            assert f"INDEX {index}" in plan, (query, plan)
    engine.dispose()


def test_database_from_a_newer_deskterm_is_refused(engine):
    """A schema newer than this version knows is a StorageError, and is left alone."""
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StorageError, match="newer") as err:
        upgrade(engine)
    assert "\n" not in str(err.value)
    assert current_revision(engine) == "9999"


def test_pg_base_is_a_psycopg_url():
    """The test PostgreSQL URL itself goes through psycopg 3 (sanity of the fixtures)."""
    assert parse_url(PG_BASE).drivername == "postgresql+psycopg"


def test_head_read_from_the_files_is_alembics_head():
    """The start-up check reads revisions without Alembic; it must agree with Alembic."""
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory(str(MIGRATIONS)).get_current_head()


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path):
    """Alembic costs a fifth of a second to import: only an upgrade may load it."""
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'd.db'}"
    open_engine(url).dispose()  # created and upgraded here
    probe = (
        "import sys; from deskterm.storage import open_engine; "
        f"open_engine({url!r}).dispose(); print('alembic' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "False", done.stderr
