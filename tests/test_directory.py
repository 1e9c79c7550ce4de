"""The directory keeps the queue and search current with what anyone writes."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from deskterm.directory import Directory
from deskterm.services import Desk

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def people(desk):
    """Jim (nothing due), Margo (overdue), Alecia (upset now)."""
    jim = desk.add_person({"name": "Jim Okafor", "email": "jim@example.org"})
    margo = desk.add_person({"name": "Margo Fairweather", "company": "Fairweather Ltd"})
    alecia = desk.add_person({"name": "Alecia Brandt"})
    desk.log_follow_up(margo.id, desk.clock() - timedelta(days=2), "call back")
    desk.log_mood(alecia.id, 1, "her cat is at the vet")
    return jim, margo, alecia


@pytest.fixture
def directory(desk, people, clock):
    d = Directory(desk, tz=BERLIN, clock=clock)
    d.load()
    return d


def test_load_orders_the_queue_with_reasons(directory, people):
    """Overdue Margo first, upset Alecia next, Jim last — each with why."""
    jim, margo, alecia = people
    queue = directory.queue()
    assert list(queue.ids) == [margo.id, alecia.id, jim.id]
    assert queue.row(0).reason == "overdue 2d"
    assert queue.row(1).category == "bad_mood"


def test_search_finds_people_with_typos(directory, people):
    """'mrgo fair' finds Margo at Fairweather."""
    _jim, margo, _alecia = people
    assert directory.search("mrgo fair").ids[:1] == [margo.id]


def test_another_agents_write_appears_after_sync(directory, people, engine, clock):
    """A note by another desk (as another process would) reorders and reindexes."""
    jim, _margo, _alecia = people
    other = Desk(engine, "bo", clock=clock)
    other.log_mood(jim.id, 1, "furious about the invoice")
    other.edit_person(jim.id, other.get_person(jim.id).version, {"company": "Zebra Works"})
    directory.build_index()
    batch = directory.sync()
    assert jim.id in batch.changed
    assert directory.row_for(jim.id).category == "bad_mood"
    assert directory.search("zebra").ids == [jim.id]


def test_added_and_erased_people_follow(directory, desk, people):
    """New people are found; erased ones vanish from queue and search."""
    directory.build_index()
    zoe = desk.add_person({"name": "Zoë Müller"})
    directory.sync()
    assert directory.search("zoe muller").ids == [zoe.id]
    desk.erase(zoe.id)
    directory.sync()
    assert directory.search("zoe muller").ids == []
    assert directory.row_for(zoe.id) is None
    assert len(directory) == 3


def test_changes_during_index_build_are_not_lost(directory, desk, people):
    """A change that lands before the index exists is applied once it is built."""
    jim, _m, _a = people
    desk.edit_person(jim.id, 1, {"name": "James Okafor"})
    directory.sync()  # index not built yet: queue updated, index catches up on build
    directory.build_index()
    assert directory.search("james").ids == [jim.id]
    assert directory.row_for(jim.id).name == "James Okafor"


def test_loading_leaves_the_garbage_collector_as_it_was(desk, people, clock):
    """Loads pause the collector while they read; it is running again afterwards."""
    import gc

    d = Directory(desk, tz=BERLIN, clock=clock)
    d.load()
    d.build_index()
    assert gc.isenabled()
    _jim, margo, _alecia = people
    assert d.search("mrgo").ids[:1] == [margo.id]


@pytest.mark.parametrize(
    "tags",
    [[], ["vip"], ["vip", "billing"], ['a "q" b', "x"], ["back\\slash"], ["漢字", "ü"], ['a", "b']],
)
def test_tag_words_for_the_index_match_the_stored_tags(tags):
    """The fast path for plain tag lists gives exactly the words JSON decoding gives."""
    from deskterm.directory import _tag_words
    from deskterm.services.validate import decode_tags, encode_tags

    raw = encode_tags(tags)
    assert _tag_words(raw) == " ".join(decode_tags(raw))


def test_index_built_in_parts_finds_everyone(desk, people, clock, monkeypatch):
    """With one person per part (as a million people are built, 250,000 a part), search
    still finds each of them once the build is done, and no progress is left over."""
    import deskterm.directory as directory_module

    monkeypatch.setattr(directory_module, "INDEX_PART", 1)
    d = Directory(desk, tz=BERLIN, clock=clock)
    d.load()
    d.build_index()
    jim, margo, alecia = people
    assert d.index_ready and d.searchable and d.index_progress is None
    for query, person in (("jim", jim), ("mrgo", margo), ("alecia", alecia)):
        assert d.search(query).ids[:1] == [person.id], query


def test_a_change_read_just_before_the_database_went_away_is_not_lost(clock):
    """The feed said "Jim changed", then reading Jim's summary failed (here: a real
    PostgreSQL permission taken away, as a failover to a half-ready replica would):
    the next sync applies it, although the feed has nothing new."""
    from sqlalchemy import create_engine

    from conftest import PG_BASE, PgSchema, require_pg
    from deskterm.errors import StorageError
    from deskterm.storage import open_engine

    require_pg()
    schema = PgSchema()
    role = f"r_{schema.name}"
    admin = create_engine(PG_BASE)
    try:
        owner = open_engine(schema.url)
        desk = Desk(owner, "ana", clock=clock)
        jim = desk.add_person({"name": "Jim Okafor"})
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE ROLE "{role}" LOGIN')
            conn.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema.name}" TO "{role}"')
            tables = f'ALL TABLES IN SCHEMA "{schema.name}"'
            conn.exec_driver_sql(f'GRANT SELECT ON {tables} TO "{role}"')
        reader_url = schema.url.replace("postgres@", f"{role}@", 1)
        reader = open_engine(reader_url, migrate=False)
        directory = Directory(Desk(reader, "ana", clock=clock), tz=BERLIN, clock=clock)
        directory.save_index = False
        directory.load()
        directory.sync()  # the feed's starting point
        desk.log_mood(jim.id, 1, "furious about the invoice")
        with admin.begin() as conn:
            conn.exec_driver_sql(f'REVOKE SELECT ON "{schema.name}".person FROM "{role}"')
        with pytest.raises(StorageError):
            directory.sync()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'GRANT SELECT ON "{schema.name}".person TO "{role}"')
        batch = directory.sync()
        assert jim.id in batch.changed
        assert directory.row_for(jim.id).category == "bad_mood"
        reader.dispose()
        owner.dispose()
    finally:
        schema.drop()
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP OWNED BY "{role}"')
            conn.exec_driver_sql(f'DROP ROLE IF EXISTS "{role}"')
        admin.dispose()


def test_rows_for_many_people_keep_the_order_given(directory, people) -> None:
    """Search results come in their own order; someone no longer queued is left out."""
    jim, margo, alecia = people
    rows = directory.rows_for([jim.id, 10_000, alecia.id, margo.id])
    assert [r.id for r in rows] == [jim.id, alecia.id, margo.id]
    assert rows[2].reason == "overdue 2d" and rows == [directory.row_for(r.id) for r in rows]
    assert directory.rows_for([]) == []
