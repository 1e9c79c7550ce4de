"""``deskterm`` and ``deskterm --demo`` hand the right desk to the TUI (faked here)."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

from deskterm.cli.main import main


@pytest.fixture
def config(tmp_path, clean_env):
    path = tmp_path / "config.toml"
    path.write_text('[agent]\nname = "ana"\ntimezone = "UTC"\n', encoding="utf-8")
    return path


@pytest.fixture
def opened(monkeypatch):
    """Replace the TUI with a recorder; returns what each run was given."""
    calls: list[dict] = []

    def run_app(*, desk, settings, db_label, drafts, directory):
        url = desk.engine.url.database
        calls.append(
            {
                "queued": len(directory.load()),  # read while the app would load
                "agent": desk.agent,
                "label": db_label,
                "people": len(desk.summary_rows()),
                "db_file": Path(url) if url else None,
                "settings": settings,
                "drafts": drafts.folder,
            }
        )

    fake = types.ModuleType("deskterm.tui.app")
    fake.run_app = run_app  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "deskterm.tui.app", fake)
    return calls


def run(capsys, *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    out, err = capsys.readouterr()
    return exit_.value.code, out, err


def test_no_command_opens_the_configured_database(capsys, config, tmp_path, opened):
    db = tmp_path / "desk.db"
    code, _, err = run(capsys, "--config", str(config), "--db", f"sqlite:///{db}")
    assert code == 0, err
    (call,) = opened
    assert call["agent"] == "ana"
    assert call["db_file"] == db and str(db) in call["label"]
    # Drafts are kept per database, in the agent's state directory.
    assert call["drafts"].parent.name == "drafts"
    assert call["drafts"].parent.parent.name == "deskterm"


def test_demo_uses_a_fresh_temporary_database(capsys, config, tmp_path, opened):
    code, _, err = run(capsys, "--config", str(config), "--demo")
    assert code == 0, err
    (call,) = opened
    assert call["people"] > 100
    assert call["queued"] == call["people"]  # the queue, read before the screen asks
    assert call["label"].startswith("demo")
    assert not call["db_file"].exists()  # removed when the app closes
    assert not call["db_file"].parent.exists()
    assert call["drafts"].parent == call["db_file"].parent  # gone with the demo
    assert not (tmp_path / "desk.db").exists()


def test_demo_refuses_db(capsys, config, tmp_path, opened):
    code, _, err = run(capsys, "--config", str(config), "--db", "sqlite:///x.db", "--demo")
    assert code == 2 and "--demo" in err and opened == []


def test_missing_tui_is_one_line(capsys, config, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "deskterm.tui.app", None)  # import fails
    code, out, err = run(capsys, "--config", str(config), "--db", f"sqlite:///{tmp_path / 'd.db'}")
    assert code == 1 and out == ""
    assert err.startswith("deskterm: the full-screen app is not available")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGHUP"])
def test_a_killed_demo_leaves_no_demo_data_behind(tmp_path, config, signame):
    """The real desk in a pseudo-terminal, killed as a closed SSH session would kill it:
    its temporary demo folder is gone afterwards."""
    import pty
    import signal
    import subprocess
    import time

    master, slave = pty.openpty()
    env = {**os.environ, "TMPDIR": str(tmp_path), "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "deskterm", "--config", str(config), "--demo"],
        stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
    )  # fmt: skip
    os.close(slave)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("deskterm-demo-*/demo.db")):
            assert time.monotonic() < deadline, "the demo never started"
            assert proc.poll() is None, "the demo exited early"
            time.sleep(0.1)
        time.sleep(1.0)  # the demo data is being written / the desk is starting
        proc.send_signal(getattr(signal, signame))
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert list(tmp_path.glob("deskterm-demo-*")) == []
