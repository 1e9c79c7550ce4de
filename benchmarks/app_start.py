"""Headless start-to-first-frame of the real desk on a SQLite database of N people.

``database(n, docs)`` fills (once) ``benchmarks/.data/people-N-vV.db`` through the
project's bulk path (``services.bulk.bulk_insert``, the one ``deskterm import`` and the
demo use) with the benchmark's people: their profile, their notes as a note entry, and
for some of them a follow-up, a mood or a contact, so the queue has every category.

``start(db)`` starts ``python benchmarks/app_start.py --child URL`` — which runs the
``deskterm --config FILE --db URL`` command line itself, with only the final
``DeskApp.run()`` swapped for a headless ``run_test`` (patched in when the command
line imports the app, so everything loads in the order it does for a user) — and
returns the seconds from process start until the main screen has drawn a frame with
the queue in it, until the search index was ready, and the process's resident memory
(now and peak) at that point. The child imports nothing but the standard library
before the CLI does. It may write bytecode caches (``PYTHONDONTWRITEBYTECODE`` is
dropped), and the caller discards a first warm-up start, so the numbers are those of
every start after the first one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / ".data"
VERSION = 2  # bump when the data written below changes: cached databases are rebuilt
CONFIG = '[agent]\nname = "bench"\ntimezone = "Europe/Berlin"\n'
DAY = 86_400


def _people(docs: list[Any]) -> Any:
    """``NewPerson``s for the benchmark docs; duplicate emails get ``+id`` (unique)."""
    from datetime import UTC, datetime, timedelta

    from deskterm.services.bulk import NewEntry, NewFollowUp, NewMood, NewPerson

    now = datetime(2026, 12, 1, 9, tzinfo=UTC)
    seen: set[str] = set()
    for d in docs:
        email = d.email.lower()
        if email in seen:
            email = email.replace("@", f"+{d.id}@", 1)
        seen.add(email)
        profile = {
            "name": d.name,
            "email": email,
            "company": d.company,
            "phone": d.phone,
            "tags": [t.strip() for t in d.tags.split(",") if t.strip()],
            "matters": d.matters,
        }
        spread = (d.id * 7919) % 45
        ago = now - timedelta(days=spread, hours=d.id % 24)
        entries = [NewEntry(ago, "note", d.notes)] if d.notes else []
        if d.id % 5 == 1:
            entries.append(NewEntry(ago, "contact", "called back", channel="phone"))
        follow_ups, moods = [], []
        if d.id % 10 == 3:  # open: from 20 days overdue to 25 days ahead
            follow_ups.append(NewFollowUp(now + timedelta(days=spread - 20), "call back"))
        elif d.id % 10 == 7:
            follow_ups.append(NewFollowUp(ago, "send the quote", done_at=ago, outcome="sent"))
        if d.id % 8 == 1:
            moods.append(NewMood(1 + (d.id * 31) % 5, ago, "after the call"))
        yield NewPerson(profile, entries, follow_ups, moods, created_at=ago - timedelta(days=90))


def database(n: int, docs: list[Any], log: Any = print) -> Path:
    """The cached database of the first ``n`` benchmark people (built if missing)."""
    path = DATA / f"people-{n}-v{VERSION}.db"
    if path.exists():
        return path
    from datetime import UTC, datetime

    from deskterm.services.bulk import bulk_insert
    from deskterm.storage import open_engine
    from deskterm.transfer import importer

    DATA.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(".part")
    for leftover in DATA.glob(f"{part.name}*"):
        leftover.unlink()
    log(f"  filling {path.name} (cached for later runs)…")
    t0 = time.perf_counter()
    engine = open_engine(f"sqlite:///{part}")
    try:
        bulk_insert(engine, _people(docs), agent="bench", now=datetime(2026, 12, 1, tzinfo=UTC))
        importer.refresh_search_index(engine, "bench")  # as ``deskterm import`` leaves it
        with engine.connect() as conn:  # fold the WAL back in: one self-contained file
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
    part.rename(path)
    index = part.with_name(part.name + ".search")
    if index.exists():
        index.rename(path.with_name(path.name + ".search"))
    log(f"  filled {n:,} people in {time.perf_counter() - t0:.0f} s")
    return path


def start(db: Path, *, timeout: float = 900) -> dict[str, float]:
    """Start the desk on ``db`` in a child process; seconds to queue shown, index ready."""
    DATA.mkdir(parents=True, exist_ok=True)
    config = DATA / "bench-config.toml"
    config.write_text(CONFIG, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start as a user's second start: compiled
    cmd = [sys.executable, __file__, "--child", str(config), f"sqlite:///{db}"]
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, env=env, text=True)
    out: dict[str, float] = {}
    assert child.stdout is not None
    try:
        for line in child.stdout:
            key, _, value = line.strip().partition(" ")
            if key == "queue":
                out["queue_s"] = time.perf_counter() - t0
            elif key == "searchable":
                out["search_s"] = time.perf_counter() - t0
            elif key == "index":
                out["index_s"] = time.perf_counter() - t0
                out.update(json.loads(value))
        child.wait(timeout=timeout)
    finally:
        if child.poll() is None:
            child.kill()
    if "index_s" not in out:
        raise RuntimeError(f"the desk did not show the queue (exit code {child.returncode})")
    return out


def _memory() -> dict[str, float]:
    """Resident and peak resident memory of this process in MB (Linux)."""
    with open("/proc/self/statm") as f:
        rss = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    peak = 0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    return {"rss_mb": rss / 1e6, "peak_mb": peak / 1e6}


def _child(config: str, url: str) -> int:
    """Run the real command line; report when the queue is on screen, then the index."""
    import asyncio

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    async def probe(app: Any) -> None:
        async with app.run_test(size=(120, 40)):
            while not _queue_shown(app):
                await asyncio.sleep(0.005)
            frame = asyncio.get_running_loop().create_future()
            app.screen.call_after_refresh(frame.set_result, None)
            await frame  # the first frame with people in the queue has been drawn
            say("queue")
            while not app.directory.searchable:  # the first part of the index
                await asyncio.sleep(0.02)
            say("searchable")
            while not app.directory.index_ready:
                await asyncio.sleep(0.02)
            say("index " + json.dumps(_memory()))
            app.exit()

    def headless(tui: Any) -> None:
        def run_app(*, desk: Any, settings: Any, db_label: str, **more: Any) -> None:
            app = tui.DeskApp(desk=desk, settings=settings, db_label=db_label, **more)
            asyncio.run(probe(app))

        tui.run_app = run_app

    _when_imported("deskterm.tui.app", headless)  # imported when the CLI gets there
    from deskterm.cli.main import run

    return run(["--config", config, "--db", url])


def _when_imported(name: str, then: Any) -> None:
    """Call ``then(module)`` right after ``name`` is first imported (not importing it
    now: the command line imports the app when it gets there, as it does for users)."""
    import importlib.abc
    import importlib.util

    class Finder(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
            if fullname != name:
                return None
            sys.meta_path.remove(self)
            spec = importlib.util.find_spec(fullname)
            assert spec is not None and spec.loader is not None
            run_module = spec.loader.exec_module

            def exec_module(module: Any) -> None:
                run_module(module)
                then(module)

            spec.loader.exec_module = exec_module  # type: ignore[method-assign]
            return spec

    sys.meta_path.insert(0, Finder())


def _queue_shown(app: Any) -> bool:
    """The main screen holds the queue and its list has rows."""
    screen = app.screen
    if getattr(screen, "queue", None) is None:
        return False
    return len(screen.queue_list.source) > 0


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    sys.exit(_child(sys.argv[2], sys.argv[3]))
