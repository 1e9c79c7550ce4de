"""``deskterm config``, ``--version``, ``--help`` everywhere, usage errors."""

from __future__ import annotations

import re
import tomllib

import pytest

from deskterm.cli.main import main

SUBCOMMANDS = [
    ("import",),
    ("export",),
    ("follow-up",),
    ("mood",),
    ("note",),
    ("contact",),
    ("done",),
    ("merge",),
    ("erase",),
    ("config",),
    ("config", "show"),
    ("config", "path"),
    ("config", "set"),
    ("db",),
    ("db", "upgrade"),
    ("db", "status"),
]


pytestmark = pytest.mark.usefixtures("clean_env")  # no DESKTERM_* of the machine


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_version(capsys):
    from deskterm import __version__

    assert run(capsys, "--version") == (0, f"deskterm {__version__}\n", "")


@pytest.mark.parametrize("words", SUBCOMMANDS, ids=" ".join)
def test_every_command_has_help_with_examples(capsys, words):
    code, out, err = run(capsys, *words, "--help")
    assert code == 0 and err == ""
    assert out.startswith(f"usage: deskterm {' '.join(words)}")
    assert "examples:" in out


def test_top_level_help_lists_every_command(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for words in SUBCOMMANDS:
        assert words[0] in out
    for option in ("--config", "--db", "--demo", "--version"):
        assert option in out


@pytest.mark.parametrize(
    "argv",
    [("frobnicate",), ("note",), ("mood", "x"), ("export", "--bogus"), ("note", "1", "x", "--db")],
)
def test_usage_errors_exit_2_on_one_line(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "--help" in err


def test_config_show_lists_sources(capsys, config, tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    code, out, err = run(capsys, "--config", str(config), "--db", url, "config", "show")
    assert code == 0, err
    assert re.search(r'^name = "ana"\s+# ' + re.escape(str(config)) + "$", out, re.M)
    assert re.search(r"^url = .*# --db$", out, re.M)
    assert re.search(r"^default_hour = 9\s+# default$", out, re.M)


def test_config_path_and_set(capsys, tmp_path):
    personal = tmp_path / "nested" / "mine.toml"
    code, out, _ = run(capsys, "--config", str(personal), "config", "path")
    assert (code, out) == (0, f"{personal}\n")
    code, out, err = run(capsys, "--config", str(personal), "config", "set", "agent.name", "Bob")
    assert code == 0, err
    assert "agent.name" in out
    assert tomllib.loads(personal.read_text(encoding="utf-8")) == {"agent": {"name": "Bob"}}
    code, out, _ = run(capsys, "--config", str(personal), "config", "show")
    assert re.search(r'^name = "Bob"\s+# ' + re.escape(str(personal)), out, re.M)


def test_config_set_rejects_bad_keys_and_values(capsys, config):
    before = config.read_bytes()
    code, out, err = run(capsys, "--config", str(config), "config", "set", "agent.nmae", "x")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "agent.name" in err
    code, _, err = run(
        capsys, "--config", str(config), "config", "set", "follow_up.default_hour", "25"
    )
    assert code == 2 and "default_hour" in err
    assert config.read_bytes() == before


def test_broken_config_file_names_file_line_and_column(capsys, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[agent]\nname = "ana\n', encoding="utf-8")
    code, out, err = run(capsys, "--config", str(broken), "note", "1", "x")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1
    assert re.match(rf"deskterm: {re.escape(str(broken))}:2:\d+: invalid TOML", err)


def test_unknown_setting_in_environment_is_exit_2(capsys, config, monkeypatch):
    monkeypatch.setenv("DESKTERM_AGENT_NAEM", "x")
    code, _, err = run(capsys, "--config", str(config), "config", "show")
    assert code == 2 and "DESKTERM_AGENT_NAEM" in err


def test_missing_config_named_by_flag_is_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "--config", str(tmp_path / "none.toml"), "config", "show")
    assert code == 2 and "not found" in err


def test_config_path_works_even_when_the_file_is_broken(capsys, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text("[[[", encoding="utf-8")
    assert run(capsys, "--config", str(broken), "config", "path") == (0, f"{broken}\n", "")
