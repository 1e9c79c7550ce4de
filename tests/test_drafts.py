"""Drafts keep the agent's words on this machine until the database has stored them."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from deskterm.drafts import Drafts, database_key, new_write_id
from deskterm.errors import DeskError


@pytest.fixture
def drafts(tmp_path: Path) -> Drafts:
    return Drafts.for_database("sqlite:////srv/desk.db", state_dir=tmp_path)


def test_saved_draft_comes_back_with_its_words_and_write_id(drafts: Drafts) -> None:
    wid = new_write_id()
    drafts.save("note", 7, {"text": "called about the refund"}, wid)
    draft = drafts.load("note", 7)
    assert draft is not None
    assert draft.fields == {"text": "called about the refund"}
    assert draft.write_id == wid
    assert draft.person_id == 7 and draft.kind == "note"


def test_drafts_are_per_dialog_and_per_person(drafts: Drafts) -> None:
    drafts.save("note", 7, {"text": "a"}, new_write_id())
    assert drafts.load("note", 8) is None
    assert drafts.load("mood", 7) is None
    drafts.save("person", None, {"name": "Nadia"}, new_write_id())
    assert drafts.load("person", None).fields == {"name": "Nadia"}


def test_a_draft_survives_a_new_desk_on_the_same_folder(tmp_path: Path) -> None:
    first = Drafts.for_database("sqlite:////srv/desk.db", state_dir=tmp_path)
    first.save("follow_up", 3, {"text": "2d check the refund"}, "w1")
    again = Drafts.for_database("sqlite:////srv/desk.db", state_dir=tmp_path)
    assert again.load("follow_up", 3).fields["text"] == "2d check the refund"


def test_each_database_has_its_own_drafts(tmp_path: Path) -> None:
    one = Drafts.for_database("sqlite:////srv/a.db", state_dir=tmp_path)
    two = Drafts.for_database("postgresql+psycopg://desk:secret@db/support", state_dir=tmp_path)
    one.save("note", 1, {"text": "a"}, "w")
    assert two.load("note", 1) is None
    assert "secret" not in str(two.folder)
    assert database_key("postgresql+psycopg://desk:secret@db/support") == database_key(
        "postgresql+psycopg://desk:other@db/support"
    )


def test_remove_with_write_id_keeps_a_newer_draft(drafts: Drafts) -> None:
    drafts.save("note", 7, {"text": "first"}, "old")
    drafts.save("note", 7, {"text": "second"}, "new")
    assert drafts.remove("note", 7, write_id="old") is False
    assert drafts.load("note", 7).fields["text"] == "second"
    assert drafts.remove("note", 7, write_id="new") is True
    assert drafts.load("note", 7) is None
    assert drafts.remove("note", 7) is False


def test_files_are_private_and_no_temporary_files_are_left(drafts: Drafts) -> None:
    drafts.save("note", 7, {"text": "private"}, "w")
    files = list(drafts.folder.iterdir())
    assert [f.name for f in files] == ["note-7.json"]
    assert (files[0].stat().st_mode & 0o777) == 0o600


def test_unreadable_draft_is_moved_aside_not_deleted(drafts: Drafts) -> None:
    drafts.save("note", 7, {"text": "x"}, "w")
    path = drafts.path("note", 7)
    path.write_text("{not json", encoding="utf-8")
    assert drafts.load("note", 7) is None
    assert path.with_suffix(".unreadable").read_text(encoding="utf-8") == "{not json"


def test_all_lists_every_draft_oldest_first(drafts: Drafts) -> None:
    drafts.save("note", 1, {"text": "a"}, "w1")
    drafts.save("reply", 2, {"body": "b"}, "w2")
    assert [(d.kind, d.person_id) for d in drafts.all()] == [("note", 1), ("reply", 2)]


def test_words_and_hostile_text_round_trip_byte_for_byte(drafts: Drafts) -> None:
    text = "[bold]Eve[/] \x1b]0;pwned\x07 Zoë 李 \u202e"
    drafts.save("note", 1, {"text": text}, "w")
    assert drafts.load("note", 1).fields["text"] == text


def test_a_folder_that_cannot_be_written_is_one_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    drafts = Drafts(blocker / "drafts")
    with pytest.raises(DeskError, match="cannot keep the draft"):
        drafts.save("note", 1, {"text": "a"}, "w")


def test_bad_kind_is_refused(drafts: Drafts) -> None:
    with pytest.raises(ValueError):
        drafts.path("../etc", 1)


def _save_forever(folder: str) -> None:
    drafts = Drafts(Path(folder))
    n = 0
    while True:
        n += 1
        drafts.save("note", 1, {"text": "x" * 50_000 + str(n)}, f"w{n}")


def test_a_killed_writer_leaves_a_whole_draft(tmp_path: Path) -> None:
    """kill -9 in the middle of saving leaves the previous or the new draft, never half."""
    folder = tmp_path / "d"
    Drafts(folder).save("note", 1, {"text": "start"}, "w0")
    proc = multiprocessing.get_context("fork").Process(target=_save_forever, args=(str(folder),))
    proc.start()
    proc.join(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join()
    draft = Drafts(folder).load("note", 1)
    assert draft is not None
    assert draft.fields["text"] == "start" or draft.fields["text"].startswith("x" * 50_000)
