"""Finding a person by id, email or name, on both backends."""

from __future__ import annotations

import pytest

from deskterm.errors import Ambiguous, NotFound


@pytest.fixture
def people(desk):
    """Jim, Margo and two people called Alecia Smith."""
    return {
        "jim": desk.add_person({"name": "Jim Beam", "email": "jim@example.com"}),
        "margo": desk.add_person({"name": "Margo Lane", "email": "margo@example.com"}),
        "a1": desk.add_person({"name": "Alecia Smith", "email": "a1@example.com"}),
        "a2": desk.add_person({"name": "Alecia Smith"}),
    }


def test_find_by_id_and_hash_id(desk, people):
    """A bare id and "#id" both find the person."""
    jim = people["jim"]
    assert desk.find_person(str(jim.id)).id == jim.id
    assert desk.find_person(f"#{jim.id}").id == jim.id
    assert desk.find_person(f"  #{jim.id} ").id == jim.id


def test_find_by_email_any_case(desk, people):
    """An email finds its owner whatever its case."""
    assert desk.find_person("MARGO@Example.Com").id == people["margo"].id


def test_find_by_exact_name_ignoring_case_and_spaces(desk, people):
    """A name matches case-insensitively and with extra spaces."""
    assert desk.find_person("jim beam").id == people["jim"].id
    assert desk.find_person("  JIM    Beam ").id == people["jim"].id


def test_find_by_name_with_accents_and_casefold(desk):
    """Case-insensitive matching works beyond ASCII."""
    p = desk.add_person({"name": "Zoë STRAßE"})
    assert desk.find_person("zoë strasse").id == p.id


def test_find_by_name_typed_without_accents(desk):
    """A script can name "zoe muller" for Zoë Müller; a slip still suggests her."""
    p = desk.add_person({"name": "Zoë Müller", "email": "zoe@example.de"})
    assert desk.find_person("zoe muller").id == p.id
    with pytest.raises(NotFound) as err:
        desk.find_person("zoe mulr")
    assert any("Zoë Müller" in c for c in err.value.candidates)


def test_find_ambiguous_name_lists_both(desk, people):
    """A name shared by two people raises Ambiguous listing both of them."""
    with pytest.raises(Ambiguous) as err:
        desk.find_person("alecia smith")
    assert len(err.value.candidates) == 2
    for p in (people["a1"], people["a2"]):
        assert f"id {p.id}" in str(err.value)


def test_find_unknown_suggests_a_near_miss(desk, people):
    """An unknown name raises NotFound with a "did you mean" for a close name."""
    with pytest.raises(NotFound) as err:
        desk.find_person("Mrgo Lane")
    assert any("Margo Lane" in c for c in err.value.candidates)
    assert "did you mean" in str(err.value)


def test_find_unknown_without_candidates(desk, people):
    """Something nothing resembles raises NotFound without suggestions."""
    with pytest.raises(NotFound) as err:
        desk.find_person("zzzzqqqq")
    assert err.value.candidates == []
    with pytest.raises(NotFound):
        desk.find_person("nobody@example.com")
    with pytest.raises(NotFound):
        desk.find_person("#424242")
    with pytest.raises(NotFound):
        desk.find_person("   ")


def test_find_a_name_made_of_digits(desk, people):
    """A name that looks like an id still finds the person when no such id exists."""
    p = desk.add_person({"name": "2024"})
    assert desk.find_person("2024").id == p.id
