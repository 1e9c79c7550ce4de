"""``deskterm import`` of JSON Lines and JSON arrays in the export format."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from deskterm.cli.main import main


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path, capsys, clean_env):
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'desk.db'}"

    def run(*argv: str) -> Result:
        with pytest.raises(SystemExit) as exit_:
            main(["--config", str(config), "--db", url, *argv])
        out, err = capsys.readouterr()
        return Result(exit_.value.code, out, err)

    return run


def exported(cli) -> list[dict]:
    return [json.loads(line) for line in cli("export").out.splitlines()]


def dump(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


ALECIA = {
    "name": "Alecia Brandt",
    "email": "alecia@example.net",
    "tags": ["cats"],
    "moods": [{"level": 2, "note": "cat at the vet", "at": "2026-11-20T09:00:00+00:00"}],
    "follow_ups": [
        {"due": "2026-11-25T10:00:00+01:00", "note": "ask about the cat", "agent": "lee"},
        {
            "due": "2026-11-21T10:00:00Z",
            "note": "send forms",
            "done_at": "2026-11-21T11:00:00+00:00",
            "outcome": "sent",
        },
    ],
}


def test_jsonl_without_entries_builds_the_timeline(cli, tmp_path):
    path = tmp_path / "people.jsonl"
    path.write_text(dump(ALECIA) + "\n" + dump({"name": "Jim"}) + "\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert result.out.startswith("imported 2 people (")
    alecia, jim = exported(cli)
    assert alecia["mood"]["level"] == 2 and alecia["mood"]["label"] == "frustrated"
    assert alecia["mood"]["agent"] == "ana"
    kinds = sorted(e["kind"] for e in alecia["entries"])
    assert kinds == ["created", "done", "follow_up", "follow_up", "mood"]
    due = [f["due"] for f in alecia["follow_ups"]]
    assert due == ["2026-11-21T10:00:00+00:00", "2026-11-25T09:00:00+00:00"]
    assert alecia["follow_ups"][1]["agent"] == "lee"
    assert [e["kind"] for e in jim["entries"]] == ["created"]


def test_malformed_jsonl_line_is_a_bad_row(cli, tmp_path):
    path = tmp_path / "people.jsonl"
    lines = [dump({"name": "Good"}), '{"name": "Broken",', "", dump({"name": ""}), "[1]"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 2
    err = result.err.splitlines()
    assert err[0].startswith(f"{path}:2: json: ")
    assert err[1] == f"{path}:4: name: a person needs a name"
    assert err[2] == f"{path}:5: row: expected a JSON object, got a list"
    assert exported(cli) == []
    result = cli("import", str(path), "--skip-invalid")
    assert result.code == 0
    rejected = tmp_path / "people.rejected.jsonl"
    assert rejected.read_text(encoding="utf-8") == "\n".join([lines[1], lines[3], lines[4]]) + "\n"
    assert [p["name"] for p in exported(cli)] == ["Good"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"moods": [{"level": 9, "at": "2026-11-20T09:00:00+00:00"}]}, "moods[0].level"),
        ({"moods": [{"level": 3, "at": "2026-11-20T09:00:00"}]}, "moods[0].at"),
        ({"follow_ups": [{"note": "no due"}]}, "follow_ups[0].due"),
        ({"entries": [{"at": "2026-11-20T09:00:00Z", "kind": "gossip"}]}, "entries[0].kind"),
        ({"entries": "nope"}, "entries"),
        ({"tags": 7}, "tags"),
        ({"internal": "maybe"}, "internal"),
        ({"created_at": "yesterday"}, "created_at"),
    ],
)
def test_bad_nested_values_name_their_path(cli, tmp_path, change, field):
    path = tmp_path / "p.jsonl"
    path.write_text(dump({"name": "X"} | change) + "\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err.splitlines()[0].startswith(f"{path}:1: {field}: ")


def test_json_array_reports_element_lines(cli, tmp_path):
    path = tmp_path / "people.json"
    text = (
        '[\n  {"name": "A"},\n  {\n    "name": "",\n    "email": "b@x.org"\n  },\n'
        '  {"name": "C"}\n]\n'
    )
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path))
    assert result.err.splitlines()[0] == f"{path}:3: name: a person needs a name"
    result = cli("import", str(path), "--skip-invalid")
    assert result.code == 0
    rejected = tmp_path / "people.rejected.jsonl"
    assert json.loads(rejected.read_text(encoding="utf-8")) == {"name": "", "email": "b@x.org"}
    assert [p["name"] for p in exported(cli)] == ["A", "C"]


def test_broken_json_array_is_one_error(cli, tmp_path):
    path = tmp_path / "people.json"
    path.write_text('[\n  {"name": "A"},\n  {"name": \n]\n', encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err.startswith(f"deskterm: {path}:4:1: invalid JSON: ")


def test_unknown_keys_are_a_warning(cli, tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_text(dump({"name": "A", "shoe": 42}) + "\n", encoding="utf-8")
    result = cli("import", str(path))
    assert result.code == 0
    assert result.err == f"{path}:1: warning: unknown key(s) ignored: 'shoe'\n"


def test_format_is_detected_from_content(cli, tmp_path):
    path = tmp_path / "people.txt"
    path.write_text(dump({"name": "A"}) + "\n", encoding="utf-8")
    assert cli("import", str(path)).code == 0
    path = tmp_path / "more.data"
    path.write_text('[{"name": "B"}]', encoding="utf-8")
    assert cli("import", str(path)).code == 0
    assert [p["name"] for p in exported(cli)] == ["A", "B"]
