"""``deskterm take`` and ``deskterm report`` on both backends."""

from __future__ import annotations

import test_cli
from test_cli import one_line_error

cli, config, clean_env, desk, margo = (
    test_cli.cli,
    test_cli.config,
    test_cli.clean_env,
    test_cli.desk,
    test_cli.margo,
)  # the same fixtures as the other command-line tests


def test_take_makes_the_person_mine_then_gives_them_away(cli, desk, margo):
    result = cli("take", "margo@fairweather.example")
    assert (result.code, result.out) == (0, "Margo Fairweather is yours now\n")
    again = cli("take", "margo@fairweather.example")
    assert (again.code, again.out) == (0, "Margo Fairweather is already yours\n")
    given = cli("take", str(margo.id), "--to", "bo", "--note", "call before Friday")
    assert (given.code, given.out) == (0, "Margo Fairweather given to bo\n")
    assert desk.get_person(margo.id).owner == "bo"
    released = cli("take", str(margo.id), "--to", "-")
    assert (released.code, released.out) == (0, "Margo Fairweather is nobody's now\n")
    handoffs = [e.text for e in desk.detail(margo.id).timeline if e.kind == "handoff"]
    assert handoffs == ["bo → nobody", "ana → bo: call before Friday", "nobody → ana"]


def test_take_refuses_an_empty_agent_and_an_unknown_person(cli, desk, margo):
    empty = cli("take", str(margo.id), "--to", "  ")
    assert empty.code == 2
    assert one_line_error(empty) == "deskterm: to: an agent name is needed"
    unknown = cli("take", "nobody@example.org")
    assert unknown.code == 2 and "no person matches" in one_line_error(unknown)
    assert desk.get_person(margo.id).owner is None
