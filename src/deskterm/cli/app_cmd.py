"""``deskterm`` and ``deskterm --demo``: open the full-screen desk.

Textual is imported here, inside the functions, and nowhere else in the CLI: every
other command runs without loading it.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from deskterm.cli.context import Context
from deskterm.errors import DeskError, InvalidInput

if TYPE_CHECKING:
    from deskterm.config import Settings
    from deskterm.drafts import Drafts
    from deskterm.services import Desk


def open_app(ctx: Context) -> int:
    """The TUI on the configured database; drafts go to the user's state directory."""
    from deskterm.drafts import Drafts
    from deskterm.storage.engine import short_url

    settings = ctx.settings()
    drafts = Drafts.for_settings(settings, settings.database.url)
    _run_tui(ctx.desk(), settings, short_url(settings.database.url), drafts)
    return 0


def open_demo(ctx: Context) -> int:
    """The TUI on a fresh demo database in a temporary folder, removed on quit (drafts
    too: a demo leaves nothing behind)."""
    from deskterm.drafts import Drafts
    from deskterm.services import Desk
    from deskterm.storage import open_engine

    if ctx.args.db is not None:
        raise InvalidInput("--demo uses its own temporary database; leave out --db")
    settings = ctx.settings()
    folder = Path(tempfile.mkdtemp(prefix="deskterm-demo-"))
    _remove_on_hangup(folder)
    engine = None
    try:
        engine = open_engine(f"sqlite:///{folder / 'demo.db'}")
        _populate(engine, settings)
        drafts = Drafts(folder / "drafts", "demo")
        _run_tui(Desk(engine, settings.agent.name), settings, "demo", drafts)
    finally:
        if engine is not None:
            engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def _remove_on_hangup(folder: Path) -> None:
    """A closed terminal or a kill (SIGHUP, SIGTERM) must not leave the demo data behind."""

    def remove_and_die(signum: int, _frame: object) -> None:
        # Rename first: a worker thread still writing (a new -wal or -shm file) then
        # finds no folder to write in, instead of refilling the one being removed.
        doomed = folder.with_name(folder.name + "-removing")
        try:
            folder.rename(doomed)
        except OSError:
            doomed = folder
        for _ in range(5):
            shutil.rmtree(doomed, ignore_errors=True)
            if not doomed.exists():
                break
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)

    for name in ("SIGHUP", "SIGTERM"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), remove_and_die)


def _populate(engine: object, settings: Settings) -> None:
    try:
        from deskterm.demo import populate
    except ImportError as exc:
        raise DeskError(f"the demo data is not available in this build ({exc})") from None
    populate(engine)


def _run_tui(desk: Desk, settings: Settings, label: str, drafts: Drafts) -> None:
    from deskterm.directory import Directory

    directory = Directory.for_settings(desk, settings)
    directory.load_soon()  # the queue is read while Textual loads and builds the screen
    try:
        from deskterm.tui.app import run_app
    except ImportError as exc:
        raise DeskError(f"the full-screen app is not available in this build ({exc})") from None
    run_app(desk=desk, settings=settings, db_label=label, drafts=drafts, directory=directory)
