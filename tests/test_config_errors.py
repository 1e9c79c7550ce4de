"""Strictness: every bad file, key, value or variable is a one-line ConfigError saying where."""

from __future__ import annotations

from pathlib import Path

import pytest

from deskterm.config import ConfigError, load_settings


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def error(path: Path | None, env: dict[str, str] | None = None, **overrides: object) -> str:
    """The message of the ConfigError that loading raises (it must be one line)."""
    with pytest.raises(ConfigError) as caught:
        load_settings(config_path=path, env=env or {}, overrides=overrides or None)
    message = str(caught.value)
    assert "\n" not in message
    return message


def bad(tmp_path: Path, text: str) -> tuple[Path, str]:
    path = write(tmp_path / "config.toml", text)
    return path, error(path)


def test_syntax_error_names_file_line_and_column(tmp_path):
    path, message = bad(tmp_path, "[agent]\nname = 'x'\nthis is wrong\n")
    assert message.startswith(f"{path}:3:6: invalid TOML: ")
    assert "(at line" not in message


def test_syntax_error_at_the_end_of_the_file_still_has_a_position(tmp_path):
    path, message = bad(tmp_path, "[ui]\ntheme =")
    assert message == f"{path}:2:8: invalid TOML: Invalid value"


def test_duplicate_table_is_a_syntax_error(tmp_path):
    path, message = bad(tmp_path, "[ui]\n[ui]\n")
    assert message.startswith(f"{path}:2:")


def test_file_that_is_not_utf8(tmp_path):
    path = write(tmp_path / "config.toml", b"[agent]\nname = '\xff'\n")
    assert error(path) == f"{path}: not UTF-8 text (bad byte at offset 16)"


def test_unknown_key_suggests_the_nearest(tmp_path):
    path, message = bad(tmp_path, "[queue]\nquiet_dayz = 3\n")
    assert (
        message == f'{path}: unknown setting "queue.quiet_dayz" — did you mean "queue.quiet_days"?'
    )


def test_unknown_section_suggests_the_nearest(tmp_path):
    path, message = bad(tmp_path, "[queu]\nquiet_days = 3\n")
    assert message == f'{path}: unknown section "queu" — did you mean "queue"?'


def test_key_outside_its_section_suggests_where_it_belongs(tmp_path):
    path, message = bad(tmp_path, "default_hour = 9\n")
    assert message == (
        f'{path}: unknown setting "default_hour" — did you mean "follow_up.default_hour"?'
    )


def test_unknown_key_without_a_near_match_lists_the_section(tmp_path):
    path, message = bad(tmp_path, "[queue]\nzzz = 1\n")
    assert message == (
        f'{path}: unknown setting "queue.zzz" (valid in [queue]: quiet_days, bad_mood_max, order, '
        "check_back_days, unanswered_days, confirm_days, waiting_minutes)"
    )


def test_section_that_is_not_a_table(tmp_path):
    path, message = bad(tmp_path, "agent = 'me'\n")
    assert message == f'{path}: "agent" must be a table ([agent]), got "me"'


def test_wrong_type_names_file_key_expected_and_got(tmp_path):
    path, message = bad(tmp_path, "[follow_up]\ndefault_hour = 'nine'\n")
    assert message == (
        f'{path}: "follow_up.default_hour" must be an integer from 0 to 23, got "nine"'
    )


def test_out_of_range(tmp_path):
    _, message = bad(tmp_path, "[follow_up]\ndefault_hour = 24\n")
    assert message.endswith("must be an integer from 0 to 23, got 24")


@pytest.mark.parametrize(
    ("text", "got"),
    [
        ("[follow_up]\ndefault_hour = true", "got true"),
        ("[queue]\nquiet_days = false", "got false"),
        ("[ui]\nrefresh_seconds = true", "got true"),
    ],
)
def test_bool_is_not_an_int(tmp_path, text, got):
    _, message = bad(tmp_path, text)
    assert message.endswith(got)


def test_int_is_not_a_bool(tmp_path):
    _, message = bad(tmp_path, "[follow_up]\nallow_past = 1\n")
    assert message.endswith('"follow_up.allow_past" must be true or false, got 1')


def test_bad_zone(tmp_path):
    _, message = bad(tmp_path, "[agent]\ntimezone = 'Mars/Olympus'\n")
    assert message.endswith(
        '"agent.timezone" must be an IANA time zone name such as "Europe/Paris", got "Mars/Olympus"'
    )


@pytest.mark.parametrize("zone", ["", "../etc/passwd", "/etc/localtime", " UTC"])
def test_zone_names_that_are_paths_or_blank_are_refused(tmp_path, zone):
    _, message = bad(tmp_path, f"[agent]\ntimezone = '{zone}'\n")
    assert '"agent.timezone" must be' in message


@pytest.mark.parametrize(
    ("labels", "detail"),
    [
        ('["a", "b", "c", "d"]', "(4 labels)"),
        ('["a", "b", "c", "d", "e", "f"]', "(6 labels)"),
        ('["a", "b", " ", "d", "e"]', "(a label is empty)"),
        ('["a", "b", 3, "d", "e"]', ""),
    ],
)
def test_mood_labels_must_be_five_non_empty_strings(tmp_path, labels, detail):
    _, message = bad(tmp_path, f"[mood]\nlabels = {labels}\n")
    assert '"mood.labels" must be a list of exactly 5 non-empty strings' in message
    assert message.endswith(detail or labels)


@pytest.mark.parametrize(
    ("order", "detail"),
    [
        ('["overdue", "due_today", "bad_mood", "at_risk"]', '("rest" is missing)'),
        ('["overdue", "due_today", "bad_mood", "at_risk", "rest", "rest"]', "repeated"),
        ('["overdue", "due_today", "bad_mood", "at_risk", "others"]', '"others" is not'),
        ('"overdue"', 'got "overdue"'),
    ],
)
def test_bad_queue_order(tmp_path, order, detail):
    _, message = bad(tmp_path, f"[queue]\norder = {order}\n")
    assert '"queue.order" must be a list naming each of overdue, due_today' in message
    assert detail in message


def test_quick_choices_must_be_due_expressions(tmp_path):
    _, message = bad(tmp_path, '[follow_up]\nquick = ["1h", "2x"]\n')
    assert message.endswith('("2x" is not a due expression)')


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "'2'"])
def test_refresh_must_be_a_positive_finite_number(tmp_path, value):
    _, message = bad(tmp_path, f"[ui]\nrefresh_seconds = {value}\n")
    assert '"ui.refresh_seconds" must be a number greater than 0' in message


@pytest.mark.parametrize("key", ["agent.name", "database.url", "ui.theme"])
def test_blank_strings_are_refused(tmp_path, key):
    section, name = key.split(".")
    _, message = bad(tmp_path, f"[{section}]\n{name} = '  '\n")
    assert f'"{key}" must be a non-empty' in message


def test_duplicate_key_binding_names_both_commands(tmp_path):
    path, message = bad(tmp_path, "[keys]\nsearch = 'f'\n")
    assert message == (
        f'{path}: key "f" is bound to both "keys.search" and "keys.follow_up" (default)'
        " — remap one of them in [keys]"
    )


def test_duplicate_key_binding_across_team_and_personal_names_both_files(tmp_path):
    team = write(tmp_path / "team.toml", "[keys]\nnote = 'x'\n")
    path = write(tmp_path / "config.toml", f"team_config = '{team}'\n[keys]\ndone = 'x'\n")
    message = error(path)
    assert message.startswith(f'{path}: key "x" is bound to both "keys.note" ({team})')
    assert '"keys.done"' in message


def test_unknown_command_in_keys_suggests_the_nearest(tmp_path):
    path, message = bad(tmp_path, "[keys]\nfolow_up = 'u'\n")
    assert message == f'{path}: unknown command "keys.folow_up" — did you mean "keys.follow_up"?'


@pytest.mark.parametrize("value", ["'ctrl p'", "''", "[]", "['a', '']", "3", "'a,b'"])
def test_bad_key_names(tmp_path, value):
    _, message = bad(tmp_path, f"[keys]\nquit = {value}\n")
    assert '"keys.quit" must be a key name or a non-empty list of key names' in message


def test_missing_file_named_by_flag(tmp_path):
    path = tmp_path / "nope.toml"
    assert error(path) == f"{path}: config file not found (named by --config)"


def test_missing_file_named_by_env(tmp_path):
    path = tmp_path / "nope.toml"
    message = error(None, {"DESKTERM_CONFIG": str(path)})
    assert message == f"{path}: config file not found (named by $DESKTERM_CONFIG)"


def test_missing_team_file_names_it_and_who_named_it(tmp_path):
    path = write(tmp_path / "config.toml", "team_config = 'team.toml'\n")
    assert error(path) == (
        f"{tmp_path / 'team.toml'}: config file not found (named by team_config in {path})"
    )
    message = error(path, {"DESKTERM_TEAM_CONFIG": str(tmp_path / "t2.toml")})
    assert message.endswith("not found (named by $DESKTERM_TEAM_CONFIG)")


def test_team_file_may_not_name_another_team_file(tmp_path):
    team = write(tmp_path / "team.toml", "team_config = 'other.toml'\n")
    path = write(tmp_path / "config.toml", "team_config = 'team.toml'\n")
    assert error(path).startswith(f'{team}: "team_config" belongs in a personal file')


def test_errors_in_the_team_file_name_the_team_file(tmp_path):
    team = write(tmp_path / "team.toml", "[ui]\nrefresh_seconds = 'soon'\n")
    path = write(tmp_path / "config.toml", "team_config = 'team.toml'\n")
    assert error(path).startswith(f'{team}: "ui.refresh_seconds" must be')


def test_unknown_environment_variable_suggests_the_nearest(tmp_path):
    path = write(tmp_path / "config.toml", "")
    message = error(path, {"DESKTERM_AGENT_NAM": "x"})
    assert message == (
        "env DESKTERM_AGENT_NAM: not a deskterm setting — did you mean DESKTERM_AGENT_NAME?"
    )
    assert error(path, {"DESKTERM_KEYS_QUITT": "x"}).endswith("did you mean DESKTERM_KEYS_QUIT?")
    assert error(path, {"DESKTERM_ZZZ": "x"}) == "env DESKTERM_ZZZ: not a deskterm setting"


def test_bad_environment_value_names_the_variable(tmp_path):
    path = write(tmp_path / "config.toml", "")
    message = error(path, {"DESKTERM_FOLLOW_UP_DEFAULT_HOUR": "nine"})
    assert message == (
        'env DESKTERM_FOLLOW_UP_DEFAULT_HOUR: "follow_up.default_hour" must be an integer '
        'from 0 to 23, got "nine"'
    )
    message = error(path, {"DESKTERM_FOLLOW_UP_ALLOW_PAST": "maybe"})
    assert message.endswith('must be true or false, got "maybe"')


def test_bad_override_names_the_flag(tmp_path):
    path = write(tmp_path / "config.toml", "")
    assert error(path, **{"database.url": ""}) == (
        '--db: "database.url" must be a non-empty database URL, got ""'
    )
    assert error(path, **{"queue.quiet_dayz": 3}).endswith('did you mean "queue.quiet_days"?')


def test_a_bad_value_never_falls_back_to_the_default(tmp_path):
    """Even with a valid value in a higher layer, a broken lower layer is reported."""
    path = write(tmp_path / "config.toml", "[ui]\ntheme = 3\n")
    with pytest.raises(ConfigError):
        load_settings(config_path=path, env={"DESKTERM_UI_THEME": "nord"})
