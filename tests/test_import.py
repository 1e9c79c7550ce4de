"""``deskterm import`` of CSV files: all or nothing, --skip-invalid, line numbers, encodings."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import dataclass

import pytest

from deskterm.cli.main import main

HEADER = "name,email,company,phone,tags,notes\n"


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


def write(tmp_path, name: str, text: str | bytes):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_bytes(text.encode("utf-8"))
    return path


def exported(cli) -> list[dict]:
    result = cli("export")
    assert result.code == 0, result.err
    return [json.loads(line) for line in result.out.splitlines()]


def test_good_csv_imports_people_and_notes(cli, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        HEADER + 'Margo Fairweather,Margo@Fairweather.example,Fairweather Ltd,+44 1,"vip, hurry",'
        "always in a hurry\n" + "Jim Hollis,,,,,\n",
    )
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert result.out == f"imported 2 people (1 note) from {path}\n"
    assert result.err == ""
    margo, jim = exported(cli)
    assert margo["email"] == "margo@fairweather.example"
    assert margo["tags"] == ["vip", "hurry"]
    assert [e["kind"] for e in margo["entries"]] == ["created", "note"]
    assert margo["entries"][1]["text"] == "always in a hurry"
    assert margo["entries"][1]["agent"] == "ana"
    assert jim["email"] is None and [e["kind"] for e in jim["entries"]] == ["created"]


def test_optional_profile_columns_are_imported(cli, tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        "name,internal,pace,channel,language,timezone,matters\n"
        "Ines,yes,unhurried,phone,pt,Europe/Lisbon,her garden\n",
    )
    assert cli("import", str(path)).code == 0
    (ines,) = exported(cli)
    assert ines["internal"] is True
    assert (ines["pace"], ines["channel"], ines["language"]) == ("unhurried", "phone", "pt")
    assert (ines["timezone"], ines["matters"]) == ("Europe/Lisbon", "her garden")


def test_one_bad_row_imports_nothing_and_reports_each_bad_row(cli, tmp_path):
    path = write(
        tmp_path,
        "people.csv",
        HEADER
        + "Good One,good@example.com,,,,\n"
        + ",nameless@example.com,,,,\n"
        + "Bad Email,not-an-email,,,,\n"
        + "Also Good,also@example.com,,,,\n",
    )
    result = cli("import", str(path))
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0] == f"{path}:3: name: a person needs a name"
    assert lines[1].startswith(f"{path}:4: email: ")
    assert lines[2].startswith("deskterm: nothing imported: 2 bad rows")
    assert len(lines) == 3 and result.out == ""
    assert exported(cli) == []


def test_every_bad_field_of_a_row_is_reported(cli, tmp_path):
    path = write(tmp_path, "p.csv", "name,email,pace,timezone\n ,x,slowish,Mars/Base\n")
    result = cli("import", str(path))
    problems = [line.split(": ", 2)[1] for line in result.err.splitlines()[:-1]]
    assert problems == ["name", "email", "pace", "timezone"]
    assert all(line.startswith(f"{path}:2: ") for line in result.err.splitlines()[:-1])


def test_skip_invalid_imports_good_rows_and_writes_exactly_the_bad_ones(cli, tmp_path):
    bad_rows = ',nameless@example.com,,,,"a ""quoted""\r\nnote"\r\n' + "Bad,nope,,,,\r\n"
    path = write(
        tmp_path,
        "people.csv",
        HEADER.replace("\n", "\r\n")
        + "Good One,good@example.com,,,,\r\n"
        + bad_rows
        + "Also Good,also@example.com,,,,\r\n",
    )
    result = cli("import", str(path), "--skip-invalid")
    assert result.code == 0, result.err
    rejected = tmp_path / "people.rejected.csv"
    assert result.out == (
        f"imported 2 people (0 notes) from {path}; skipped 2 bad rows; written to {rejected}\n"
    )
    assert rejected.read_bytes() == (HEADER.replace("\n", "\r\n") + bad_rows).encode()
    assert [p["name"] for p in exported(cli)] == ["Good One", "Also Good"]


def test_rejected_file_can_be_named(cli, tmp_path):
    path = write(tmp_path, "p.csv", HEADER + "Bad,nope,,,,\nFine,,,,,\n")
    target = tmp_path / "fix-me.csv"
    result = cli("import", str(path), "--skip-invalid", "--rejected", str(target))
    assert result.code == 0
    assert target.read_text(encoding="utf-8") == HEADER + "Bad,nope,,,,\n"
    assert not (tmp_path / "p.rejected.csv").exists()


def test_unknown_columns_are_a_warning_not_an_error(cli, tmp_path):
    path = write(tmp_path, "p.csv", "name,shoe size,email,\nZoë,42,zoe@example.com,\n")
    result = cli("import", str(path))
    assert result.code == 0
    assert result.err.startswith(f"{path}:1: warning: unknown column(s) ignored: 'shoe size'")
    assert "(unnamed column 4)" in result.err
    assert exported(cli)[0]["name"] == "Zoë"


def test_header_without_name_is_exit_2(cli, tmp_path):
    path = write(tmp_path, "p.csv", "email,company\nx@example.com,Acme\n")
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err == (
        f"deskterm: {path}:1: header: no 'name' column "
        "(expected columns name,email,company,phone,tags,notes)\n"
    )


def test_duplicate_emails_in_file_and_database(cli, tmp_path):
    first = write(tmp_path, "a.csv", HEADER + "Margo,margo@example.com,,,,\n")
    assert cli("import", str(first)).code == 0
    path = write(
        tmp_path,
        "b.csv",
        HEADER
        + "Jim,jim@example.com,,,,\nJimmy,JIM@example.com,,,,\nMargo 2,margo@example.com,,,,\n",
    )
    result = cli("import", str(path))
    assert result.code == 2
    lines = result.err.splitlines()
    assert lines[0] == f"{path}:3: email: jim@example.com is also on line 2"
    assert lines[1] == f"{path}:4: email: margo@example.com is already in the database"
    assert len(exported(cli)) == 1


def test_embedded_newlines_keep_line_numbers_right(cli, tmp_path):
    path = write(
        tmp_path,
        "p.csv",
        HEADER
        + 'Multi,multi@example.com,,,,"line one\nline two\nline three"\n'
        + "Bad,bad-email,,,,\n"
        + 'Other,,,,,"x\ny"\n'
        + ",,,,,orphan note\n",
    )
    result = cli("import", str(path))
    lines = result.err.splitlines()
    assert lines[0].startswith(f"{path}:5: email: ")
    assert lines[1] == f"{path}:8: name: a person needs a name"
    result = cli("import", str(path), "--skip-invalid")
    multi = exported(cli)[0]
    assert multi["entries"][1]["text"] == "line one\nline two\nline three"


def test_a_quote_that_never_closes_is_reported_where_it_opens(cli, tmp_path):
    """An unclosed quote would swallow the rest of the file into one note: it is a bad
    row named by the line it opens on, and nothing is imported."""
    path = write(tmp_path, "p.csv", HEADER + 'Ann,,,,,fine\nBo,,,,,"oops\nCy,,,,,\nDi,,,,,\n')
    result = cli("import", str(path))
    assert result.code == 2
    assert f"{path}:3: quote: a quoted field opened here is never closed" in result.err
    assert cli("export").out == ""


def test_a_stray_quote_inside_a_field_is_data(cli, tmp_path):
    """``5" screen`` is a value with a quote in it, not a broken file."""
    path = write(tmp_path, "p.csv", HEADER + 'Ann,,,,,wants a 5" screen\n')
    assert cli("import", str(path)).code == 0
    assert exported(cli)[0]["entries"][1]["text"] == 'wants a 5" screen'


def test_markup_and_control_characters_are_data(cli, tmp_path):
    names = ["[bold]x[/]", "[@click=app.quit]", "oops [/] here", "\x1b[31mred", "\x1b]0;pwned\x07"]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", "notes"])
    for name in names:
        writer.writerow([name, f"note for {name}\x07"])
    path = write(tmp_path, "p.csv", buffer.getvalue())
    result = cli("import", str(path))
    assert result.code == 0, result.err
    people = exported(cli)
    assert [p["name"] for p in people] == names
    assert people[4]["entries"][1]["text"] == "note for \x1b]0;pwned\x07\x07"


def test_not_utf8_is_one_clear_error(cli, tmp_path):
    path = write(tmp_path, "latin1.csv", HEADER.encode() + "Zoé,,,,,\n".encode("latin-1"))
    result = cli("import", str(path))
    assert result.code == 2
    assert result.err == (
        f"deskterm: {path}:2: not UTF-8 text (byte 0xe9 at offset {len(HEADER) + 2}); "
        "save the file as UTF-8 and try again\n"
    )


@pytest.mark.parametrize("content", ["", "\n\n", "   "])
def test_empty_file_is_exit_2(cli, tmp_path, content):
    path = write(tmp_path, "empty.csv", content)
    result = cli("import", str(path))
    assert result.code == 2
    assert "empty" in result.err and len(result.err.splitlines()) == 1


def test_header_only_imports_nobody(cli, tmp_path):
    path = write(tmp_path, "h.csv", HEADER)
    result = cli("import", str(path))
    assert (result.code, result.out) == (0, f"imported 0 people (0 notes) from {path}\n")


def test_missing_file_and_folder(cli, tmp_path):
    assert "no such file" in cli("import", str(tmp_path / "nope.csv")).err
    assert cli("import", str(tmp_path)).code == 2


def test_bom_tabs_and_too_many_fields(cli, tmp_path):
    path = write(tmp_path, "p.csv", "\ufeffname\temail\nAna\tana@example.com\nBo\tb@x.org\textra\n")
    result = cli("import", str(path))
    assert result.err.splitlines()[0] == f"{path}:3: columns: 3 fields, but the header has 2"


def test_ten_thousand_rows_import_quickly(cli, tmp_path):
    rows = "".join(
        f"Person {i},p{i}@example.com,Co {i % 50},+1 {i},a;b,note {i}\n" for i in range(10_000)
    )
    path = write(tmp_path, "big.csv", HEADER + rows)
    start = time.perf_counter()
    result = cli("import", str(path))
    assert result.code == 0, result.err
    assert result.out == f"imported 10,000 people (10,000 notes) from {path}\n"
    assert time.perf_counter() - start < 15
