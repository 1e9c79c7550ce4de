"""Everyone's summary is kept in a file beside the data, so the next desk orders its
queue without reading every person; the file is caught up from the change feed and
used only when it is whole, of this format and this database."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deskterm.directory import Directory
from deskterm.services import Desk
from deskterm.services.saved_queue import SavedQueue

BERLIN = ZoneInfo("Europe/Berlin")


def _lines(directory: Directory) -> list[tuple[object, ...]]:
    """What the queue shows: each line's person, name, mood, reason and owner, in order."""
    queue = directory.queue()
    return [(r.id, r.name, r.mood_level, r.reason, r.owner) for r in queue.rows(0, len(queue))]


def _fresh(desk: Desk, clock) -> list[tuple[object, ...]]:
    """The queue as a desk that reads everyone from the database shows it."""
    directory = Directory(desk, tz=BERLIN, clock=clock, save_index=False)
    directory.load()
    return _lines(directory)


def _opened(desk: Desk, clock) -> tuple[list[tuple[object, ...]], str]:
    """The queue from the saved file (and why the file was not used, if it was not)."""
    saved = SavedQueue.of(desk)
    table = saved.open()
    if table is None or not saved.holds_everyone(table):
        return [], saved.problem
    directory = Directory(desk, tz=BERLIN, clock=clock, save_index=False)
    directory._table = table
    return _lines(directory), ""


@pytest.fixture
def people(desk):
    """Margo (overdue, Ana's), Alecia (upset), Jim (nothing), Zoë (a done follow-up)."""
    margo = desk.add_person({"name": "Margo Fairweather", "company": "Fairweather Ltd"})
    alecia = desk.add_person({"name": "Alecia Brandt"})
    jim = desk.add_person({"name": "Jim Okafor"})
    zoe = desk.add_person({"name": "Zoë Adams"})
    desk.log_follow_up(margo.id, desk.clock() - timedelta(days=2), "call back")
    desk.take(margo.id)
    desk.log_mood(alecia.id, 1, "her cat is at the vet")
    desk.log_follow_up(zoe.id, desk.clock() - timedelta(days=1), "send the quote")
    desk.complete_follow_up(zoe.id, "sent", no_check_back="they will call")
    return margo, alecia, jim, zoe


def _first_desk(desk: Desk, clock) -> Directory:
    """A desk that starts, reads everyone and leaves the file for the next one."""
    directory = Directory(desk, tz=BERLIN, clock=clock)
    directory.load()
    directory.save_queue()
    return directory


def test_the_next_desk_shows_the_same_queue_from_the_file(desk, people, clock) -> None:
    _first_desk(desk, clock)
    lines, problem = _opened(desk, clock)
    assert problem == ""
    assert lines == _fresh(desk, clock)
    assert [line[0] for line in lines[:2]] == [people[0].id, people[1].id]
    assert lines[0][4] == desk.agent  # Margo's owner came back from the file


def test_what_changed_since_the_file_was_saved_is_caught_up(desk, people, clock) -> None:
    _, alecia, jim, zoe = people
    _first_desk(desk, clock)
    clock.advance(hours=1)
    desk.log_mood(jim.id, 2, "the parcel is late")
    desk.edit_person(alecia.id, alecia.version, {"name": "Alecia Brandt-Moreau"})
    newcomer = desk.add_person({"name": "Aaron Abbott"})  # a new name: sorted in
    desk.erase(zoe.id)
    lines, problem = _opened(desk, clock)
    assert problem == ""
    assert lines == _fresh(desk, clock)
    ids = [line[0] for line in lines]
    assert zoe.id not in ids and newcomer.id in ids
    assert "Alecia Brandt-Moreau" in {line[1] for line in lines}


def test_many_changes_since_are_written_to_the_file_again(
    desk, people, clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deskterm.directory as directory_module

    _first_desk(desk, clock)
    desk.log_note(people[2].id, "asked about the invoice")
    monkeypatch.setattr(directory_module, "RESAVE_AFTER", 1)
    _first_desk(desk, clock)  # caught up one change: saved again
    saved = SavedQueue.of(desk)
    assert saved.open() is not None and saved.caught_up == 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes()[:-100]),  # cut short
        lambda path: path.write_bytes(b"not a queue at all"),
        lambda path: path.write_bytes(  # one byte changed inside: the checksum says so
            path.read_bytes()[:200] + bytes([path.read_bytes()[200] ^ 1]) + path.read_bytes()[201:]
        ),
    ],
)
def test_a_damaged_file_is_never_used(desk, people, clock, damage) -> None:
    _first_desk(desk, clock)
    path = SavedQueue.of(desk).path
    assert path is not None and path.exists()
    damage(path)
    lines, problem = _opened(desk, clock)
    assert lines == [] and problem
    directory = Directory(desk, tz=BERLIN, clock=clock)
    directory.load()  # reads everyone instead
    assert _lines(directory) == _fresh(desk, clock)


def test_a_file_of_another_database_is_never_used(desk, people, clock, tmp_path: Path) -> None:
    """Copied from a busier database (its feed further on), or one with other people."""
    from deskterm.storage import open_engine

    _first_desk(desk, clock)
    path = SavedQueue.of(desk).path
    assert path is not None
    other_engine = open_engine(f"sqlite:///{tmp_path / 'other.db'}")
    other = Desk(other_engine, "bo", clock=clock)
    try:
        other.add_person({"name": "Someone Else"})
        other_path = SavedQueue.of(other).path
        assert other_path is not None
        other_path.write_bytes(path.read_bytes())
        lines, problem = _opened(other, clock)
        assert lines == [] and problem
    finally:
        other_engine.dispose()


def test_a_person_the_feed_never_mentioned_is_noticed_after_the_first_frame(
    desk, people, clock
) -> None:
    """Rows changed behind the feed's back (by hand, say): the count gives it away."""
    _first_desk(desk, clock)
    raw = desk.engine.raw_connection()  # a person gone without the feed knowing
    raw.detach()  # closed below, never back in a pool with the checks off
    try:
        cursor = raw.cursor()
        if desk.engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA foreign_keys = OFF")
        else:
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(f"DELETE FROM person WHERE id = {int(people[2].id)}")
        raw.commit()
    finally:
        raw.close()
    directory = Directory(desk, tz=BERLIN, clock=clock)
    directory.load()
    assert people[2].id in directory.queue().ids  # the file's queue, first
    assert directory.check_queue()  # then the count: everyone read again
    assert _lines(directory) == _fresh(desk, clock)
    assert not directory.check_queue()  # checked once


def test_an_in_memory_database_has_no_file(desk, clock) -> None:
    saved = SavedQueue(desk, None)
    assert saved.open() is None
    assert not saved.save({}, 0, frozenset())


def test_a_database_gone_after_the_first_frame_leaves_the_file_unsaved(tmp_path: Path) -> None:
    """The desk saves the queue in a worker after its first frame; a database that went
    away meanwhile means no file (the next desk reads everyone), never a crash."""
    from sqlalchemy import create_engine

    from deskterm.services.reads import Reads

    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/test")
    saved = SavedQueue(Reads(engine), tmp_path / "desk.db.queue")
    assert saved.save({"names": ["Margo Fairweather"], "owner_names": []}, 0, frozenset()) is False
    assert "cannot read the schema revision" in saved.problem
    assert not list(tmp_path.iterdir())
