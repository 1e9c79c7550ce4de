"""The desk service on both backends: adding and editing people."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from deskterm.errors import Conflict, InvalidInput, NotFound
from deskterm.services import Desk

HOSTILE = [
    "[bold]x[/]",
    "[@click=app.quit]",
    "\x1b]0;pwned\x07",
    "\x9b31m C1",
    "abc\u202edef",
    "Zoë 😀 👩🏽‍💻",
    "王小明",
    "محمد",
    "Дмитрий",
]


def stored_row(desk: Desk, person_id: int) -> dict:
    """The person's row as plain SQL sees it."""
    with desk.engine.connect() as conn:
        row = conn.execute(text("SELECT * FROM person WHERE id = :i"), {"i": person_id})
        return dict(row.mappings().one())


def entries_of(desk: Desk, person_id: int, kind: str | None = None) -> list[dict]:
    """The person's timeline rows (oldest first), optionally of one kind."""
    sql = "SELECT * FROM entry WHERE person_id = :i"
    if kind:
        sql += " AND kind = :k"
    with desk.engine.connect() as conn:
        rows = conn.execute(text(sql + " ORDER BY id"), {"i": person_id, "k": kind})
        return [dict(r) for r in rows.mappings()]


# -- add_person ---------------------------------------------------------------------------


def test_add_person_stores_every_field(desk):
    """Every profile field given is stored as given, with who created it and when."""
    p = desk.add_person(
        {
            "name": "Jim Beam",
            "email": "jim@example.com",
            "phone": "+1 555 0100",
            "company": "Acme",
            "internal": True,
            "pace": "unhurried",
            "channel": "phone",
            "language": "en",
            "timezone": "America/New_York",
            "matters": "time to weigh his options",
            "tags": ["vip"],
        }
    )
    row = stored_row(desk, p.id)
    assert row["name"] == "Jim Beam"
    assert row["email"] == "jim@example.com"
    assert row["phone"] == "+1 555 0100"
    assert row["company"] == "Acme"
    assert bool(row["internal"]) is True
    assert row["pace"] == "unhurried"
    assert (row["channel"], row["language"]) == ("phone", "en")
    assert row["timezone"] == "America/New_York"
    assert row["matters"] == "time to weigh his options"
    assert json.loads(row["tags"]) == ["vip"]
    assert (row["version"], row["created_by"], row["updated_by"]) == (1, "ana", "ana")
    assert desk.get_person(p.id).created_at == desk.clock()
    assert [e["kind"] for e in entries_of(desk, p.id)] == ["created"]


def test_add_person_lowercases_email(desk):
    """The email is stored lower-case."""
    p = desk.add_person({"name": "Margo", "email": "  Margo@Example.COM "})
    assert stored_row(desk, p.id)["email"] == "margo@example.com"


def test_add_person_rejects_an_email_in_use_naming_the_owner(desk):
    """A second person with the same email (any case) is refused, naming the first."""
    first = desk.add_person({"name": "Margo", "email": "margo@example.com"})
    with pytest.raises(InvalidInput) as err:
        desk.add_person({"name": "Margo Two", "email": "MARGO@example.com"})
    assert "Margo" in str(err.value) and f"id {first.id}" in str(err.value)
    assert desk.count_people() == 1


def test_add_person_without_email_twice_is_fine(desk):
    """Several people may have no email at all."""
    desk.add_person({"name": "A"})
    desk.add_person({"name": "B", "email": ""})
    assert desk.count_people() == 2


@pytest.mark.parametrize("name", ["", "   ", "\t\n", None])
def test_add_person_needs_a_name(desk, name):
    """An empty or blank name is refused and nothing is stored."""
    with pytest.raises(InvalidInput, match="name"):
        desk.add_person({"name": name})
    assert desk.count_people() == 0


def test_add_person_without_name_key_is_refused(desk):
    """Leaving the name out entirely is the same as an empty name."""
    with pytest.raises(InvalidInput, match="name"):
        desk.add_person({"email": "x@example.com"})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pace", "glacial"),
        ("timezone", "Mars/Olympus"),
        ("timezone", "../etc/passwd"),
        ("email", "not-an-email"),
        ("email", "a@b@c"),
        ("internal", "maybe"),
    ],
)
def test_add_person_rejects_bad_fields_naming_them(desk, field, value):
    """A bad pace, time zone, email or flag is refused with the field named first."""
    with pytest.raises(InvalidInput) as err:
        desk.add_person({"name": "X", field: value})
    assert str(err.value).startswith(f"{field}:")
    assert "\n" not in str(err.value)
    assert desk.count_people() == 0


def test_add_person_rejects_unknown_fields(desk):
    """A field the profile does not have is named in the error."""
    with pytest.raises(InvalidInput, match="shoe_size"):
        desk.add_person({"name": "X", "shoe_size": 42})


def test_tags_from_a_comma_string(desk):
    """Tags typed as "a, b;c" become a clean list without blanks or repeats."""
    p = desk.add_person({"name": "T", "tags": " vip, billing;; vip ,late "})
    assert p.tags == ("vip", "billing", "late")
    assert json.loads(stored_row(desk, p.id)["tags"]) == ["vip", "billing", "late"]


def test_tags_from_a_list(desk):
    """Tags given as a list are kept in order, trimmed, without repeats."""
    p = desk.add_person({"name": "T", "tags": ["Ω", " vip ", "vip", ""]})
    assert desk.get_person(p.id).tags == ("Ω", "vip")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_stored_byte_exact(desk, hostile):
    """Markup, escape sequences, C1, bidi and any script are data, stored unchanged."""
    p = desk.add_person({"name": hostile, "company": hostile, "matters": hostile})
    desk.log_note(p.id, hostile)
    row = stored_row(desk, p.id)
    assert (row["name"], row["company"], row["matters"]) == (hostile, hostile, hostile)
    assert entries_of(desk, p.id, "note")[0]["text"] == hostile
    assert desk.find_person(hostile).id == p.id


def test_nul_is_the_only_character_changed(desk):
    """NUL cannot be stored on PostgreSQL, so it becomes the visible ␀ symbol."""
    p = desk.add_person({"name": "Nul\x00Name", "matters": "a\x00b\x1b[0m"})
    desk.log_note(p.id, "x\x00y")
    row = stored_row(desk, p.id)
    assert row["name"] == "Nul\u2400Name"
    assert row["matters"] == "a\u2400b\x1b[0m"
    assert entries_of(desk, p.id, "note")[0]["text"] == "x\u2400y"


# -- edit_person --------------------------------------------------------------------------


def test_edit_bumps_version_and_records_old_and_new(desk, clock):
    """A real change bumps the version and appends an edit entry with both values."""
    p = desk.add_person({"name": "Jim", "pace": "normal", "tags": "a"})
    clock.advance(hours=1)
    edited = desk.edit_person(p.id, 1, {"pace": "unhurried", "tags": ["a", "b"]})
    assert edited.version == 2 and edited.pace == "unhurried"
    row = stored_row(desk, p.id)
    assert (row["version"], row["pace"], row["updated_by"]) == (2, "unhurried", "ana")
    (entry,) = entries_of(desk, p.id, "edit")
    data = json.loads(entry["data"])
    assert data["version"] == 2
    assert data["changes"] == {"pace": ["normal", "unhurried"], "tags": [["a"], ["a", "b"]]}
    assert desk.get_person(p.id).updated_at == clock()


def test_noop_edit_changes_nothing(desk, clock):
    """Saving the same values again neither bumps the version nor adds an entry."""
    p = desk.add_person({"name": "Jim", "email": "jim@example.com", "tags": ["a"]})
    clock.advance(hours=1)
    same = desk.edit_person(p.id, 1, {"name": " Jim ", "email": "JIM@example.com", "tags": "a"})
    assert same.version == 1
    assert stored_row(desk, p.id)["version"] == 1
    assert entries_of(desk, p.id, "edit") == []
    assert desk.get_person(p.id).updated_at == p.updated_at


def test_stale_edit_raises_conflict_naming_the_other_agent(desk, clock):
    """If bo edited first, ana's stale edit names bo and his change and saves nothing."""
    p = desk.add_person({"name": "Margo", "phone": "1", "matters": "speed"})
    bo = Desk(desk.engine, "bo", clock=clock)
    bo.edit_person(p.id, 1, {"phone": "222"})
    with pytest.raises(Conflict) as err:
        desk.edit_person(p.id, 1, {"phone": "333", "matters": "calm"})
    message = str(err.value)
    assert "bo" in message and "phone" in message and "222" in message
    assert "\n" not in message
    assert err.value.changes
    row = stored_row(desk, p.id)
    assert (row["phone"], row["matters"], row["version"]) == ("222", "speed", 2)
    assert len(entries_of(desk, p.id, "edit")) == 1


def test_edit_after_reload_succeeds(desk, clock):
    """After a conflict, reloading and re-applying the change works."""
    p = desk.add_person({"name": "Margo"})
    Desk(desk.engine, "bo", clock=clock).edit_person(p.id, 1, {"phone": "1"})
    fresh = desk.get_person(p.id)
    done = desk.edit_person(fresh.id, fresh.version, {"company": "Acme"})
    assert (done.version, done.phone, done.company) == (3, "1", "Acme")


def test_edit_email_to_one_in_use_is_refused(desk):
    """Changing the email to another person's is refused and nothing changes."""
    desk.add_person({"name": "Jim", "email": "jim@example.com"})
    margo = desk.add_person({"name": "Margo", "email": "margo@example.com"})
    with pytest.raises(InvalidInput, match="Jim"):
        desk.edit_person(margo.id, 1, {"email": "Jim@Example.com", "phone": "9"})
    row = stored_row(desk, margo.id)
    assert (row["email"], row["phone"], row["version"]) == ("margo@example.com", "", 1)


def test_edit_with_bad_field_is_refused(desk):
    """A bad value in an edit names the field and leaves the person alone."""
    p = desk.add_person({"name": "Jim"})
    with pytest.raises(InvalidInput, match=r"^timezone:"):
        desk.edit_person(p.id, 1, {"timezone": "Nowhere/Land"})
    with pytest.raises(InvalidInput, match=r"^name:"):
        desk.edit_person(p.id, 1, {"name": "  "})
    assert stored_row(desk, p.id)["version"] == 1


def test_edit_unknown_person_is_not_found(desk):
    """Editing an id that does not exist raises NotFound."""
    with pytest.raises(NotFound):
        desk.edit_person(999, 1, {"phone": "1"})
