"""Layered settings: defaults < team file < personal file < environment < flags.

Every test passes ``config_path`` and ``env`` explicitly, so none reads the real
user's files or environment.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from deskterm.config import KEYS, ConfigError, Settings, load_settings, personal_config_path
from deskterm.keymap import COMMANDS, keys_for


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path, env: dict[str, str] | None = None, **overrides: object) -> Settings:
    return load_settings(config_path=path, env=env or {}, overrides=overrides or None)


def test_empty_personal_file_gives_defaults_everywhere(tmp_path):
    """An empty file changes nothing: every value is the default, and says so."""
    s = load(write(tmp_path / "config.toml", ""))
    assert s.follow_up.default_hour == 9
    assert s.follow_up.quick == ("1h", "tomorrow", "2d", "1w")
    assert s.follow_up.allow_past is False
    assert s.mood.labels == ("very upset", "frustrated", "okay", "pleased", "delighted")
    assert s.queue.quiet_days == 7 and s.queue.bad_mood_max == 2
    assert s.queue.order == ("overdue", "due_today", "waiting", "bad_mood", "at_risk", "rest")
    assert s.ui.theme == "textual-dark" and s.ui.refresh_seconds == 10.0
    assert s.database.url.startswith("sqlite:///") and s.database.url.endswith("/desk.db")
    assert s.agent.name
    assert isinstance(s.agent.tz, ZoneInfo)
    assert s.keys == {}
    assert s.team_path is None
    assert set(s.sources) == set(KEYS) | {f"keys.{c.id}" for c in COMMANDS}
    assert set(s.sources.values()) == {"default"}


def test_each_layer_overrides_the_one_below_and_sources_say_which(tmp_path):
    """team < personal < env < flags, key by key, with the source of each value."""
    team = write(tmp_path / "team.toml", "[follow_up]\ndefault_hour = 8\n[ui]\ntheme = 'nord'\n")
    personal = write(
        tmp_path / "me" / "config.toml",
        f"team_config = '{team}'\n[follow_up]\ndefault_hour = 10\n",
    )
    s = load(personal)
    assert s.team_path == team
    assert (s.ui.theme, s.sources["ui.theme"]) == ("nord", str(team))
    assert (s.follow_up.default_hour, s.sources["follow_up.default_hour"]) == (10, str(personal))

    env = {"DESKTERM_FOLLOW_UP_DEFAULT_HOUR": "11"}
    s = load(personal, env)
    assert s.follow_up.default_hour == 11
    assert s.sources["follow_up.default_hour"] == "env DESKTERM_FOLLOW_UP_DEFAULT_HOUR"

    s = load_settings(config_path=personal, env=env, overrides={"follow_up.default_hour": 12})
    assert s.follow_up.default_hour == 12
    assert s.sources["follow_up.default_hour"] == "command line"
    assert s.sources["ui.theme"] == str(team)  # untouched keys keep their source
    assert s.sources["queue.order"] == "default"


def test_db_flag_override_is_labelled_like_the_flag(tmp_path):
    """The --db flag arrives as a database.url override and is reported as --db."""
    personal = write(tmp_path / "config.toml", "[database]\nurl = 'sqlite:///a.db'\n")
    s = load_settings(
        config_path=personal,
        env={"DESKTERM_DATABASE_URL": "sqlite:///b.db"},
        overrides={"database.url": "sqlite:///x.db"},
    )
    assert s.database.url == "sqlite:///x.db"
    assert s.sources["database.url"] == "--db"


def test_string_overrides_are_parsed_to_the_key_type(tmp_path):
    """A flag gives text; it is parsed like an environment variable."""
    s = load(write(tmp_path / "c.toml", ""), **{"queue.quiet_days": "3"})
    assert s.queue.quiet_days == 3


def test_relative_team_path_is_relative_to_the_personal_file(tmp_path, monkeypatch):
    """team_config = "shared/team.toml" is found next to the personal file, not the cwd."""
    team = write(tmp_path / "me" / "shared" / "team.toml", "[queue]\nquiet_days = 3\n")
    personal = write(tmp_path / "me" / "config.toml", "team_config = 'shared/team.toml'\n")
    monkeypatch.chdir(tmp_path)
    s = load(personal)
    assert s.team_path == team
    assert s.queue.quiet_days == 3
    assert s.sources["queue.quiet_days"] == str(team)
    assert s.sources["team_config"] == str(personal)


def test_team_path_expands_the_home_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    team = write(tmp_path / "team.toml", "[ui]\ntheme = 'nord'\n")
    personal = write(tmp_path / "me" / "config.toml", "team_config = '~/team.toml'\n")
    s = load(personal)
    assert s.team_path == team and s.ui.theme == "nord"


def test_team_env_var_wins_over_the_personal_team_config(tmp_path):
    write(tmp_path / "a.toml", "[ui]\ntheme = 'from-a'\n")
    b = write(tmp_path / "b.toml", "[ui]\ntheme = 'from-b'\n")
    personal = write(tmp_path / "config.toml", "team_config = 'a.toml'\n")
    s = load(personal, {"DESKTERM_TEAM_CONFIG": str(b)})
    assert s.team_path == b and s.ui.theme == "from-b"
    assert s.sources["team_config"] == "env DESKTERM_TEAM_CONFIG"


def test_personal_file_from_env_and_flag_wins_over_env(tmp_path):
    by_env = write(tmp_path / "env.toml", "[ui]\ntheme = 'env-file'\n")
    by_flag = write(tmp_path / "flag.toml", "[ui]\ntheme = 'flag-file'\n")
    env = {"DESKTERM_CONFIG": str(by_env)}
    assert load_settings(env=env).ui.theme == "env-file"
    assert load_settings(config_path=by_flag, env=env).ui.theme == "flag-file"
    assert personal_config_path(env=env) == by_env
    assert personal_config_path(by_flag, env) == by_flag


def test_missing_file_at_the_default_location_means_defaults(tmp_path, monkeypatch):
    """No --config and no $DESKTERM_CONFIG: a missing default file is not an error."""
    monkeypatch.setattr(
        "deskterm.config.loader.platformdirs.user_config_path", lambda app: tmp_path / app
    )
    assert personal_config_path(env={}) == tmp_path / "deskterm" / "config.toml"
    s = load_settings(env={})
    assert s.personal_path == tmp_path / "deskterm" / "config.toml"
    assert s.follow_up.default_hour == 9


def test_environment_values_are_parsed_to_each_type(tmp_path):
    env = {
        "DESKTERM_AGENT_NAME": "Margo",
        "DESKTERM_AGENT_TIMEZONE": "Europe/Paris",
        "DESKTERM_FOLLOW_UP_ALLOW_PAST": "yes",
        "DESKTERM_FOLLOW_UP_QUICK": "30m, tomorrow 9:00",
        "DESKTERM_MOOD_LABELS": '["1", "2", "3", "4", "5"]',
        "DESKTERM_QUEUE_ORDER": "at_risk,overdue,due_today,bad_mood,rest",
        "DESKTERM_UI_REFRESH_SECONDS": "0.5",
        "DESKTERM_KEYS_QUIT": "ctrl+q, Q",
        "DESKTERM_TEST_PG": "postgresql://ignored",  # reserved for the test suite
        "OTHER": "x",
    }
    s = load(write(tmp_path / "c.toml", ""), env)
    assert s.agent.name == "Margo"
    assert s.agent.tz == ZoneInfo("Europe/Paris")
    assert s.follow_up.allow_past is True
    assert s.follow_up.quick == ("30m", "tomorrow 9:00")
    assert s.mood.labels == ("1", "2", "3", "4", "5")
    assert s.queue.order[0] == "at_risk"
    assert s.ui.refresh_seconds == 0.5
    assert s.keys == {"quit": ["ctrl+q", "Q"]}
    assert s.sources["keys.quit"] == "env DESKTERM_KEYS_QUIT"


@pytest.mark.parametrize("text", ["false", "False", "no", "off", "0"])
def test_environment_false_spellings(tmp_path, text):
    env = {"DESKTERM_FOLLOW_UP_ALLOW_PAST": text}
    assert load(write(tmp_path / "c.toml", ""), env).follow_up.allow_past is False


def test_keys_holds_only_remapped_commands(tmp_path):
    """A remap is kept as a list; keymap.keys_for applies it over the defaults."""
    s = load(write(tmp_path / "c.toml", "[keys]\nfollow_up = 'u'\nhelp = ['h', 'f1']\n"))
    assert s.keys == {"follow_up": ["u"], "help": ["h", "f1"]}
    assert keys_for("follow_up", s.keys) == ("u",)
    assert keys_for("note", s.keys) == ("n",)
    assert s.value("keys.note") == ["n"]
    assert s.sources["keys.help"] == str(tmp_path / "c.toml")


def test_swapping_two_keys_in_one_change_is_fine(tmp_path):
    s = load(write(tmp_path / "c.toml", "[keys]\nfollow_up = 'n'\nnote = 'f'\n"))
    assert s.keys == {"follow_up": ["n"], "note": ["f"]}


def test_mood_label_and_tz(tmp_path):
    s = load(write(tmp_path / "c.toml", "[agent]\ntimezone = 'Asia/Tokyo'\n"))
    assert s.agent.tz == ZoneInfo("Asia/Tokyo")
    assert [s.mood_label(i) for i in (1, 3, 5)] == ["very upset", "okay", "delighted"]
    with pytest.raises(ValueError):
        s.mood_label(0)


def test_settings_are_frozen(tmp_path):
    s = load(write(tmp_path / "c.toml", ""))
    with pytest.raises(AttributeError):
        s.queue.quiet_days = 1  # type: ignore[misc]


def test_integers_are_accepted_where_a_number_is_expected(tmp_path):
    s = load(write(tmp_path / "c.toml", "[ui]\nrefresh_seconds = 5\n"))
    assert s.ui.refresh_seconds == 5.0 and isinstance(s.ui.refresh_seconds, float)


def test_config_error_is_bad_input_with_exit_code_2():
    from deskterm.errors import DeskError

    assert issubclass(ConfigError, DeskError) and ConfigError.exit_code == 2


def test_agent_name_falls_back_to_agent_when_the_login_is_unknown(tmp_path, monkeypatch):
    def no_login() -> str:
        raise OSError("no login name")

    monkeypatch.setattr("deskterm.config.machine.getpass.getuser", no_login)
    assert load(write(tmp_path / "c.toml", "")).agent.name == "agent"


def test_default_zone_follows_tz_and_ignores_a_bad_one(tmp_path):
    path = write(tmp_path / "c.toml", "")
    assert load(path, {"TZ": "America/Chicago"}).agent.timezone == "America/Chicago"
    assert load(path, {"TZ": ":Asia/Tokyo"}).agent.timezone == "Asia/Tokyo"
    zone = load(path, {"TZ": "Not/AZone"}).agent.timezone
    assert zone != "Not/AZone" and ZoneInfo(zone)


def test_default_settings_read_no_file(tmp_path, monkeypatch):
    """default_settings() is hermetic: for tests of code that needs a Settings."""
    monkeypatch.setattr(
        "deskterm.config.loader.platformdirs.user_config_path", lambda app: tmp_path / app
    )
    write(tmp_path / "deskterm" / "config.toml", "[ui]\ntheme = 'nord'\n")
    from deskterm.config import default_settings

    s = default_settings()
    assert s.ui.theme == "textual-dark"
    assert set(s.sources.values()) == {"default"}
