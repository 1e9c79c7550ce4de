"""`deskterm config set` and `config show`: atomic, validated writes; sourced output."""

from __future__ import annotations

import os
import stat
import sys
import tomllib
from pathlib import Path

import pytest

from deskterm.config import ConfigError, load_settings, render_settings, set_personal_value
from deskterm.keymap import COMMANDS


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> dict[str, object]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")


@posix_only
def test_new_file_and_folders_are_created_private(tmp_path):
    path = tmp_path / "a" / "b" / "config.toml"
    set_personal_value(path, "follow_up.default_hour", "10")
    assert read(path) == {"follow_up": {"default_hour": 10}}
    assert mode(path) == 0o600
    assert load_settings(config_path=path, env={}).follow_up.default_hour == 10


@posix_only
def test_existing_keys_and_mode_are_kept(tmp_path):
    path = write(
        tmp_path / "config.toml",
        "# a comment (dropped)\nteam_config = 'team.toml'\n[ui]\ntheme = 'nord'\n"
        "[keys]\nquit = 'Q'\n",
    )
    write(tmp_path / "team.toml", "")
    path.chmod(0o640)
    set_personal_value(path, "ui.refresh_seconds", "5")
    assert read(path) == {
        "team_config": "team.toml",
        "ui": {"theme": "nord", "refresh_seconds": 5},
        "keys": {"quit": "Q"},
    }
    assert mode(path) == 0o640


def test_no_temporary_files_are_left_behind(tmp_path):
    path = write(tmp_path / "config.toml", "")
    set_personal_value(path, "agent.name", "Margo")
    with pytest.raises(ConfigError):
        set_personal_value(path, "agent.name", "''")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


@pytest.mark.parametrize(
    ("key", "raw", "message"),
    [
        ("follow_up.default_hour", "nine", '"follow_up.default_hour" must be an integer'),
        ("follow_up.default_hour", "true", "got true"),
        ("queue.quiet_dayz", "3", 'unknown setting "queue.quiet_dayz" — did you mean'),
        ("mood.labels", "a, b", "(2 labels)"),
        ("keys.serch", "s", 'unknown command "keys.serch" — did you mean "keys.search"?'),
        ("keys.search", "f", 'key "f" is bound to both "keys.search" and "keys.follow_up"'),
        ("keys.search", "ctrl p", "must be a key name"),
        ("team_config", "missing.toml", "config file not found (named by team_config"),
    ],
)
def test_a_failed_validation_leaves_the_file_untouched(tmp_path, key, raw, message):
    original = "# keep me\n[ui]\ntheme = 'nord'\n"
    path = write(tmp_path / "config.toml", original)
    with pytest.raises(ConfigError) as caught:
        set_personal_value(path, key, raw)
    assert message in str(caught.value)
    assert path.read_text(encoding="utf-8") == original
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_a_broken_file_is_not_overwritten(tmp_path):
    path = write(tmp_path / "config.toml", "[ui\n")
    with pytest.raises(ConfigError, match=r":1:4: invalid TOML"):
        set_personal_value(path, "ui.theme", "nord")
    assert path.read_text(encoding="utf-8") == "[ui\n"


def test_a_bad_value_in_the_file_can_be_fixed_with_set(tmp_path):
    path = write(tmp_path / "config.toml", "[follow_up]\ndefault_hour = 'nine'\n")
    set_personal_value(path, "follow_up.default_hour", "9")
    assert read(path) == {"follow_up": {"default_hour": 9}}


@pytest.mark.parametrize(
    ("key", "raw", "stored"),
    [
        ("follow_up.quick", '["1h", "fri"]', ["1h", "fri"]),
        ("follow_up.quick", "1h, 3d", ["1h", "3d"]),
        ("follow_up.allow_past", "true", True),
        ("follow_up.default_hour", "8", 8),
        ("ui.refresh_seconds", "0.5", 0.5),
        ("agent.timezone", "Europe/Paris", "Europe/Paris"),
        ("agent.name", '"Jim Hall"', "Jim Hall"),
        ("agent.name", "Jim Hall", "Jim Hall"),
        ("agent.name", "9", "9"),
        ("keys.quit", "ctrl+q", "ctrl+q"),
        ("keys.quit", '["ctrl+q", "Q"]', ["ctrl+q", "Q"]),
    ],
)
def test_values_are_parsed_to_the_key_type(tmp_path, key, raw, stored):
    path = tmp_path / "config.toml"
    set_personal_value(path, key, raw)
    section, name = key.split(".")
    assert read(path) == {section: {name: stored}}
    load_settings(config_path=path, env={})  # and the file loads


def test_team_config_can_be_set(tmp_path):
    write(tmp_path / "shared" / "team.toml", "[queue]\nquiet_days = 4\n")
    path = tmp_path / "config.toml"
    set_personal_value(path, "team_config", "shared/team.toml")
    assert read(path) == {"team_config": "shared/team.toml"}
    assert load_settings(config_path=path, env={}).queue.quiet_days == 4


@pytest.mark.skipif(not hasattr(os, "symlink") or sys.platform == "win32", reason="symlinks")
def test_a_symlinked_personal_file_stays_a_symlink(tmp_path):
    real = write(tmp_path / "dotfiles" / "deskterm.toml", "")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    set_personal_value(link, "ui.theme", "nord")
    assert link.is_symlink()
    assert read(real) == {"ui": {"theme": "nord"}}


def test_show_lists_every_key_with_its_source(tmp_path):
    team = write(tmp_path / "team.toml", "[queue]\nquiet_days = 4\n")
    path = write(tmp_path / "config.toml", f"team_config = '{team}'\n[keys]\nquit = 'Q'\n")
    settings = load_settings(
        config_path=path,
        env={"DESKTERM_UI_THEME": "nord"},
        overrides={"database.url": "postgresql+psycopg://bob:s3cret@db/desk"},
    )
    text = render_settings(settings)
    lines = text.splitlines()
    assert lines[0] == f"# personal file: {path}"
    assert lines[1] == f"# team file: {team} (named by {path})"
    assert "s3cret" not in text
    assert any(line.startswith("quiet_days = 4") and line.endswith(f"# {team}") for line in lines)
    assert any(
        line.startswith('theme = "nord"') and line.endswith("# env DESKTERM_UI_THEME")
        for line in lines
    )
    assert any(
        line.startswith('url = "postgresql+psycopg://bob:***@db/desk"') and line.endswith("# --db")
        for line in lines
    )
    assert any(line.startswith('quit = ["Q"]') and line.endswith(f"# {path}") for line in lines)
    assert any(
        line.startswith('search = ["slash"]') and line.endswith("# default") for line in lines
    )
    # It is TOML: every section and key, with the effective values.
    shown = tomllib.loads(text)
    assert list(shown) == [
        *("agent", "database", "follow_up", "mood", "queue", "mail", "ui", "team", "keys")
    ]
    assert shown["queue"]["order"] == list(settings.queue.order)
    assert list(shown["keys"]) == [c.id for c in COMMANDS]  # every command, in order


def test_show_says_when_the_personal_file_does_not_exist(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "deskterm.config.loader.platformdirs.user_config_path", lambda app: tmp_path / app
    )
    text = render_settings(load_settings(env={}))
    assert "(not found: nothing set there)" in text.splitlines()[0]
    assert "# team file: none" in text
