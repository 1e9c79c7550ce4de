"""Live desks: how soon a script's write is on an open desk, and what an idle desk costs.

Run ``uv run python benchmarks/live.py`` (about 5 minutes on 2 cores, most of it filling
the databases the first time), or pick: ``--backend sqlite``, ``--notes 40``,
``--latency-people 10000``, ``--idle-people 10000 100000``, ``--idle-seconds 20``.
Progress goes to stderr, two Markdown tables to stdout.

- **Latency** — a desk (``Directory`` loaded, search index built, the ``Watcher`` the TUI
  runs, in its own thread) is open on a database of N people; a *separate process* (a
  script) logs ``--notes`` notes on random people, one every 0.2–0.5 s, and notes the
  time each commit returned. The figure is from that commit to the desk's watcher
  having woken, synced the change feed, refreshed those people's summaries and search
  entries and ordered the queue again (what the screen then draws): median, p95, max.
  Both clocks are the machine's monotonic clock.
- **Idle CPU** — the real desk (``DeskApp``, headless, default settings: 10 s safety
  net, 12 s heartbeat) on a database of N people, left alone after the queue and the
  search index are ready: the process's CPU time over ``--idle-seconds``, as a share of
  one core. On SQLite that includes reading ``PRAGMA data_version`` ten times a second.

PostgreSQL is the test server (``DESKTERM_TEST_PG`` or 127.0.0.1:5432, database test),
each run in a throw-away schema; SQLite databases are cached in ``benchmarks/.data``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import app_start
from bench_search import make_corpus

PG_BASE = os.environ.get("DESKTERM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
HERE = Path(__file__).resolve()


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


# -- the databases ----------------------------------------------------------------------
@contextmanager
def database(backend: str, people: int) -> Iterator[str]:
    """A URL of a database with ``people`` benchmark people (PostgreSQL: dropped after)."""
    docs = make_corpus(people)
    if backend == "sqlite":
        yield f"sqlite:///{app_start.database(people, docs, log)}"
        return
    from sqlalchemy import create_engine

    from deskterm.services.bulk import bulk_insert
    from deskterm.storage import open_engine

    schema = f"bench_live_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_BASE)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = f"{PG_BASE}{'&' if '?' in PG_BASE else '?'}options=-csearch_path%3D{schema}"
    try:
        log(f"  filling PostgreSQL schema {schema} with {people:,} people…")
        engine = open_engine(url)
        now = datetime(2026, 12, 1, tzinfo=UTC)
        bulk_insert(engine, app_start._people(docs), agent="bench", now=now)
        engine.dispose()
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


# -- latency ----------------------------------------------------------------------------
def script(url: str, notes: int, seed: int) -> None:
    """The child process: log notes on random people; print (person, commit time)."""
    from sqlalchemy import func, select

    from deskterm.models import Person
    from deskterm.services import Desk
    from deskterm.storage import open_engine

    engine = open_engine(url)
    desk = Desk(engine, "script")
    with engine.connect() as conn:
        top = conn.execute(select(func.max(Person.id))).scalar_one()
    rng = random.Random(seed)
    done = []
    for i in range(notes):
        time.sleep(rng.uniform(0.2, 0.5))
        pid = rng.randint(1, top)
        desk.log_note(pid, f"live benchmark note {i}")
        done.append((pid, time.monotonic()))
    print(json.dumps(done))
    engine.dispose()


def latency(url: str, notes: int) -> list[float]:
    """Seconds from each script commit to the desk's queue being ready with it."""
    from deskterm.config import default_settings
    from deskterm.directory import Directory
    from deskterm.services import Desk
    from deskterm.services.live import CaughtUp, Watcher
    from deskterm.services.team import Team
    from deskterm.storage import open_engine

    engine = open_engine(url)
    desk = Desk(engine, "bench")
    directory = Directory.for_settings(desk, default_settings())
    directory.load()
    directory.build_index()
    seen: dict[int, float] = {}

    def caught_up(caught: CaughtUp) -> None:
        at = time.monotonic()
        for pid in caught.batch.changed:
            seen.setdefault(pid, at)

    watcher = Watcher(
        Team(engine, "bench"),
        directory,
        fallback=10.0,
        on_caught_up=caught_up,
        on_error=lambda err: log(f"  desk error: {err}"),
    )
    thread = threading.Thread(target=watcher.run)
    thread.start()
    time.sleep(1.0)
    child = subprocess.run(
        [sys.executable, str(HERE), "--script", url, str(notes)],
        capture_output=True,
        text=True,
        check=True,
    )
    time.sleep(1.0)
    watcher.stop()
    thread.join()
    engine.dispose()
    written = json.loads(child.stdout)
    return [seen[pid] - at for pid, at in written if pid in seen and seen[pid] >= at]


# -- idle CPU ---------------------------------------------------------------------------
def idle_child(url: str, seconds: float) -> None:
    """The child process: the real desk, headless; print its CPU share while idle."""
    import asyncio

    from deskterm.config import default_settings
    from deskterm.services import Desk
    from deskterm.storage import open_engine
    from deskterm.tui.app import DeskApp

    async def run() -> float:
        app = DeskApp(desk=Desk(open_engine(url), "bench"), settings=default_settings())
        async with app.run_test(headless=True, size=(120, 36)) as pilot:
            deadline = time.monotonic() + 600
            while not (app.directory.index_ready and getattr(app.screen, "watcher", None)):
                assert time.monotonic() < deadline, "the desk did not get ready"
                await pilot.pause(0.1)
            await asyncio.sleep(3.0)  # the first person's view, the first beat
            cpu, wall = time.process_time(), time.monotonic()
            await asyncio.sleep(seconds)
            return (time.process_time() - cpu) / (time.monotonic() - wall)

    print(json.dumps({"cpu": asyncio.run(run())}))


def idle(url: str, seconds: float) -> float:
    done = subprocess.run(
        [sys.executable, str(HERE), "--idle-child", url, str(seconds)],
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr else "failed")
    return json.loads(done.stdout.strip().splitlines()[-1])["cpu"]


# -- the tables -------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def tables(
    backends: tuple[str, ...], people: int, notes: int, idle_people: list[int], seconds: float
) -> str:
    """Both tables; each database is filled once and used for both measurements."""
    fast, slow = [], []
    for backend in backends:
        for size in sorted({people, *idle_people}):
            with database(backend, size) as url:
                if size == people:
                    log(f"latency on {backend}, {size:,} people, {notes} notes…")
                    ms = [1000 * s for s in latency(url, notes)]
                    fast.append(
                        f"| {backend} | {size:,} | {len(ms)}/{notes} | "
                        f"{statistics.median(ms):.0f} ms | {percentile(ms, 0.95):.0f} ms | "
                        f"{max(ms):.0f} ms |"
                    )
                if size in idle_people:
                    log(f"idle CPU on {backend}, {size:,} people, {seconds:.0f} s…")
                    share = idle(url, seconds)
                    slow.append(f"| {backend} | {size:,} | {100 * share:.2f} % of a core |")
    return "\n".join(
        [
            "| backend | people | notes seen | median | p95 | max |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            *fast,
            "",
            "| backend | people | idle desk CPU |",
            "| --- | ---: | ---: |",
            *slow,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--notes", type=int, default=40)
    parser.add_argument("--latency-people", type=int, default=10_000)
    parser.add_argument("--idle-people", type=int, nargs="*", default=[10_000, 100_000])
    parser.add_argument("--idle-seconds", type=float, default=20.0)
    parser.add_argument("--script", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--idle-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.script:
        script(args.script[0], int(args.script[1]), seed=11)
        return 0
    if args.idle_child:
        idle_child(args.idle_child[0], float(args.idle_child[1]))
        return 0
    backends = ("sqlite", "postgresql") if args.backend == "both" else (args.backend,)
    print(tables(backends, args.latency_people, args.notes, args.idle_people, args.idle_seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
