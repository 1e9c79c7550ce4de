"""The one error boundary: interrupts, broken pipes, surprises; and the progress bar."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest

from deskterm.cli import logging_cmds
from deskterm.cli.main import main
from deskterm.cli.progress import ImportProgress
from deskterm.cli.safe import shown


@pytest.fixture
def argv(tmp_path, clean_env):
    config = tmp_path / "config.toml"
    config.write_text('[agent]\nname = "ana"\n', encoding="utf-8")
    return ["--config", str(config), "--db", f"sqlite:///{tmp_path / 'd.db'}"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


@pytest.mark.parametrize(
    ("error", "code", "message"),
    [
        (KeyboardInterrupt(), 130, "deskterm: interrupted\n"),
        (RuntimeError("boom\nsecond line"), 1, "internal error (RuntimeError: boom)"),
        (PermissionError(13, "Permission denied", "/x/y"), 1, "deskterm: /x/y: Permission denied"),
    ],
)
def test_everything_ends_as_one_line(capsys, monkeypatch, argv, error, code, message):
    def explode(ctx):
        raise error

    monkeypatch.setattr(logging_cmds, "note", explode)
    got, out, err = run(capsys, *argv, "note", "1", "x")
    assert got == code and out == ""
    assert message in err and len(err.splitlines()) == 1


def test_broken_pipe_on_export_exits_quietly_in_one_line(capsys, tmp_path, argv):
    csv = tmp_path / "p.csv"
    csv.write_text("name\n" + "".join(f"Person {i}\n" for i in range(1000)), encoding="utf-8")
    assert run(capsys, *argv, "import", str(csv))[0] == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    command = [sys.executable, "-m", "deskterm", *argv]
    proc = subprocess.Popen(
        [*command, "export"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_safe_makes_controls_visible():
    assert shown("\x1b]0;pwned\x07") == "␛]0;pwned␇"
    assert shown("a\nb") == "a⏎ b"
    assert shown("left\u202eright") == "left<U+202E>right"
    assert shown("[bold]Zoë[/] 山田") == "[bold]Zoë[/] 山田"


def test_progress_bar_only_when_asked(monkeypatch, capsys):
    with ImportProgress("checking [bold]x.csv", enabled=False) as progress:
        progress.update(10)
    assert capsys.readouterr() == ("", "")
    with ImportProgress("saving", total=5, enabled=True) as progress:
        for done in range(6):
            progress.update(done)
    assert capsys.readouterr().out == ""


def test_rejected_file_may_not_overwrite_the_input(capsys, argv, tmp_path):
    source = tmp_path / "p.csv"
    source.write_text("name,email\nBad,nope\n", encoding="utf-8")
    code, _, err = run(
        capsys, *argv, "import", str(source), "--skip-invalid", "--rejected", str(source)
    )
    assert code == 2 and "being imported" in err
    assert source.read_text(encoding="utf-8") == "name,email\nBad,nope\n"


def test_no_rich_and_no_textual_for_scripts(tmp_path, argv):
    code = (
        "import sys\n"
        "from deskterm.cli.main import run\n"
        f"rc = run({[*argv, 'note', 'x', 'y']!r})\n"
        "print(rc, any(m.split('.')[0] in ('rich', 'textual') for m in sys.modules))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["2", "False"], done.stderr


def test_text_sink_for_streams_without_buffer(capsys, argv, monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stdout", stream)
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "export"])
    assert exit_.value.code == 0 and stream.getvalue() == ""
