"""Many bad rows in an import are a report, not a flood: 20 shown, the rest in a file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deskterm.cli.main import run

HEADER = "name,email,company,phone,tags,notes\n"


@pytest.fixture
def cli(tmp_path: Path, capsys, clean_env):
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'desk.db'}"

    def deskterm(*argv: str) -> tuple[int, str, str]:
        code = run(["--config", str(config), "--db", url, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return deskterm


def people_csv(tmp_path: Path, good: int, bad: int) -> Path:
    """``good`` valid rows, then ``bad`` rows whose email is broken (lines 2.. in order)."""
    rows = [f"Good {i},good{i}@example.com,,,,\n" for i in range(good)]
    rows += [f"Bad {i},bad-{i}-at-nowhere,,,,\n" for i in range(bad)]
    path = tmp_path / "people.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def stored_names(cli) -> list[str]:
    code, out, _err = cli("export")
    assert code == 0
    return [json.loads(line)["name"] for line in out.splitlines()]


def test_300_bad_rows_print_20_and_write_all_300_with_reasons(cli, tmp_path: Path) -> None:
    path = people_csv(tmp_path, good=5, bad=300)
    code, out, err = cli("import", str(path))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    errors = tmp_path / "people.csv.errors.txt"
    assert len(lines) == 22, err
    assert [line.split(": ", 1)[0] for line in lines[:20]] == [f"{path}:{n}" for n in range(7, 27)]
    assert all(": email: " in line for line in lines[:20])
    assert lines[20] == f"…and 280 more bad rows; all 300 with their reasons in {errors}"
    assert lines[21].startswith("deskterm: nothing imported: 300 bad rows")
    written = errors.read_text(encoding="utf-8").splitlines()
    assert len(written) == 300
    assert written[:20] == lines[:20]
    assert written[-1].startswith(f"{path}:306: email: ")
    assert "bad-299-at-nowhere" in written[-1]
    assert stored_names(cli) == []


def test_skip_invalid_with_300_bad_rows_imports_the_good_and_reports_the_bad(
    cli, tmp_path: Path
) -> None:
    path = people_csv(tmp_path, good=5, bad=300)
    report = tmp_path / "why.txt"
    code, out, err = cli("import", str(path), "--skip-invalid", "--errors", str(report))
    assert code == 0, err
    assert err.splitlines()[-1] == f"…and 280 more bad rows; all 300 with their reasons in {report}"
    assert len(err.splitlines()) == 21
    assert len(report.read_text(encoding="utf-8").splitlines()) == 300
    assert not (tmp_path / "people.csv.errors.txt").exists()
    assert "skipped 300 bad rows" in out
    assert stored_names(cli) == [f"Good {i}" for i in range(5)]


def test_a_few_bad_rows_are_all_shown_and_errors_writes_them_when_asked(
    cli, tmp_path: Path
) -> None:
    path = people_csv(tmp_path, good=1, bad=3)
    code, _out, err = cli("import", str(path))
    assert code == 2 and len(err.splitlines()) == 4 and "…and" not in err
    assert not (tmp_path / "people.csv.errors.txt").exists()
    report = tmp_path / "report.txt"
    code, _out, err = cli("import", str(path), "--errors", str(report))
    assert code == 2 and len(err.splitlines()) == 4
    assert report.read_text(encoding="utf-8").splitlines() == err.splitlines()[:3]


def test_an_errors_file_that_cannot_be_written_is_said_and_nothing_is_imported(
    cli, tmp_path: Path
) -> None:
    path = people_csv(tmp_path, good=1, bad=25)
    code, _out, err = cli("import", str(path), "--errors", str(tmp_path / "no" / "such" / "x"))
    assert code == 2
    assert "…and 5 more bad rows (cannot write them to" in err
    assert stored_names(cli) == []
