"""The fault benchmark: 8 writers × 1,000 notes while the database goes away 3 times.

Run ``uv run python benchmarks/faults.py`` (both backends, about a minute or two on 2
cores) or ``--backend sqlite`` / ``--backend postgresql``; ``--writers``, ``--notes``,
``--restarts`` and ``--hold`` change the load. Progress goes to stderr, the Markdown
table to stdout. Not a timed test: a smoke test runs it tiny.

Each writer is a thread with its own ``Desk`` on one engine. Every note gets a write id
when it is first tried (``deskterm.drafts.new_write_id``); a write that fails with
``Unavailable`` (unreachable, locked, full — or the answer to COMMIT lost) is retried
with the same id after a short pause, so a note whose first COMMIT did land is not
stored twice. While they write, the database "restarts" ``--restarts`` times, spread
over the run:

- **PostgreSQL**: a throw-away cluster (initdb/pg_ctl, as in the tests) is stopped
  (fast: every session is cut, open transactions roll back), stays down ``--hold``
  seconds and is started again;
- **SQLite**: another process holds an exclusive lock on the file for ``--hold``
  seconds; writers wait ``--busy-ms`` for it, then get ``Unavailable`` and retry.

The columns: **notes stored** (must be exactly writers × notes, each text once),
**duplicates** (stored twice: must be 0), **retries** (writes tried again), **longest
wait** (from a note's first try to its success), **elapsed** (the whole run).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any, Protocol

from sqlalchemy import text

from deskterm.drafts import new_write_id
from deskterm.errors import Unavailable
from deskterm.services import Desk
from deskterm.storage import open_engine

TESTS = Path(__file__).resolve().parents[1] / "tests"
HEADER = (
    "backend",
    "writers × notes",
    "restarts",
    "notes stored",
    "duplicates",
    "retries",
    "longest wait",
    "elapsed",
)
PEOPLE = 40
LOCKER = """
import sqlite3, sys, time
sys.stdin.readline()  # started ahead of time: lock the moment the outage is due
conn = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


class Outage(Protocol):
    """Something that takes the database away for a while and brings it back."""

    url: str

    def restart(self) -> None: ...


@dataclass
class Result:
    backend: str
    writers: int
    notes: int
    restarts: int
    stored: int = 0
    distinct: int = 0
    retries: int = 0
    longest: float = 0.0
    elapsed: float = 0.0
    failures: list[str] = field(default_factory=list)

    def row(self) -> list[str]:
        return [
            self.backend,
            f"{self.writers} × {self.notes:,}",
            str(self.restarts),
            f"{self.stored:,}" + ("" if self.stored == self.writers * self.notes else " (!)"),
            f"{self.stored - self.distinct:,}",
            f"{self.retries:,}",
            f"{self.longest:.2f} s",
            f"{self.elapsed:.1f} s",
        ]


class SqliteLock:
    """SQLite's "restart": another process holds an exclusive lock for ``hold`` seconds."""

    def __init__(self, path: Path, hold: float) -> None:
        self.path, self.hold = path, hold
        self.url = f"sqlite:///{path}"
        self._next: subprocess.Popen[str] | None = self._spawn()

    def _spawn(self) -> subprocess.Popen[str]:
        argv = [sys.executable, "-c", LOCKER, str(self.path), str(self.hold)]
        return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def restart(self) -> None:
        # The locker process is started one outage ahead, so the lock is taken the moment
        # the outage is due, not a Python start-up later (when few notes remain, the
        # writers could otherwise finish before the outage begins).
        proc, self._next = self._next or self._spawn(), self._spawn()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        proc.stdout.readline()  # "locked": the outage has begun
        proc.wait()

    def close(self) -> None:
        """Stop the locker waiting for an outage that will not come."""
        if self._next is not None:
            self._next.kill()
            self._next.wait()
            self._next = None


class ClusterRestart:
    """PostgreSQL's restart: stop (fast), ``hold`` seconds down, start."""

    def __init__(self, cluster: Any, hold: float) -> None:
        self.cluster, self.hold = cluster, hold
        self.url = cluster.url

    def restart(self) -> None:
        self.cluster.stop()
        time.sleep(self.hold)
        self.cluster.start()


class Run:
    """The writers and the outages of one backend."""

    def __init__(self, outage: Outage, result: Result, busy_ms: int) -> None:
        self.outage, self.result = outage, result
        self.engine = open_engine(outage.url, busy_timeout_ms=busy_ms)
        desk = Desk(self.engine, "setup")
        self.people = [desk.add_person({"name": f"Caller {n}"}).id for n in range(PEOPLE)]
        self.done = 0
        self.lock = threading.Lock()

    def writer(self, k: int) -> None:
        desk = Desk(self.engine, f"writer{k}")
        for i in range(self.result.notes):
            person = self.people[(k * 7 + i) % len(self.people)]
            self._store(desk, person, f"w{k} n{i}")
            with self.lock:
                self.done += 1

    def _store(self, desk: Desk, person: int, note: str) -> None:
        write_id, first, pause = new_write_id(), time.monotonic(), 0.02
        while True:
            try:
                desk.log_note(person, note, write_id=write_id)
                break
            except Unavailable:
                with self.lock:
                    self.result.retries += 1
                time.sleep(pause)
                pause = min(pause * 2, 0.5)
            except Exception as exc:  # a bug, not a fault: report it, do not hide it
                with self.lock:
                    self.result.failures.append(f"{note}: {type(exc).__name__}: {exc}")
                return
        waited = time.monotonic() - first
        with self.lock:
            self.result.longest = max(self.result.longest, waited)

    def outages(self, log: Callable[[str], None]) -> None:
        total = self.result.writers * self.result.notes
        for n in range(self.result.restarts):
            mark = total * (n + 1) // (self.result.restarts + 1)
            while self.done < mark and self.done < total:
                time.sleep(0.01)
            if self.done >= total:
                return
            log(f"  outage {n + 1} at {self.done:,} notes")
            self.outage.restart()

    def count(self) -> None:
        with self.engine.connect() as conn:
            self.result.stored, self.result.distinct = conn.execute(
                text("SELECT count(*), count(DISTINCT text) FROM entry WHERE kind = 'note'")
            ).one()
        self.engine.dispose()


def measure(
    backend: str,
    outage: Outage,
    *,
    writers: int = 8,
    notes: int = 1000,
    restarts: int = 3,
    busy_ms: int = 1000,
    log: Callable[[str], None] = lambda _: None,
) -> Result:
    """Run the writers against ``outage``'s database while it goes away; the result."""
    result = Result(backend, writers, notes, restarts)
    run = Run(outage, result, busy_ms)
    threads = [threading.Thread(target=run.writer, args=(k,)) for k in range(writers)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    try:
        run.outages(log)
    finally:
        for thread in threads:
            thread.join()
        close = getattr(outage, "close", None)
        if close is not None:
            close()
    result.elapsed = time.monotonic() - started
    run.count()
    return result


def table(results: list[Result]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(r.row()) + " |" for r in results]
    return "\n".join(lines)


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--notes", type=int, default=1000, help="notes per writer")
    parser.add_argument("--restarts", type=int, default=3)
    parser.add_argument("--hold", type=float, default=3.0, help="seconds each outage lasts")
    parser.add_argument("--busy-ms", type=int, default=1000, help="SQLite busy timeout")
    args = parser.parse_args(argv)
    options = {
        "writers": args.writers,
        "notes": args.notes,
        "restarts": args.restarts,
        "busy_ms": args.busy_ms,
        "log": _log,
    }
    results = []
    for backend in args.backend or ["sqlite", "postgresql"]:
        _log(f"{backend}: {args.writers} writers × {args.notes:,} notes, {args.restarts} outages")
        if backend == "sqlite":
            with TemporaryDirectory(prefix="deskterm-faultbench-") as folder:
                outage = SqliteLock(Path(folder) / "desk.db", args.hold)
                results.append(measure(backend, outage, **options))
        else:
            results.append(_on_cluster(args.hold, options))
        for failure in results[-1].failures[:10]:
            _log(f"  failed: {failure}")
    print(table(results))
    good = all(r.stored == r.distinct == r.writers * r.notes and not r.failures for r in results)
    return 0 if good else 1


def _on_cluster(hold: float, options: dict[str, Any]) -> Result:
    sys.path.insert(0, str(TESTS))
    from faults import PgCluster, PgTemplate, pg_bindir  # the tests' throw-away cluster

    bindir = pg_bindir()
    if bindir is None:
        raise SystemExit("no PostgreSQL server (initdb) under /usr/lib/postgresql")
    template = PgTemplate(bindir)
    cluster = PgCluster(template)
    try:
        cluster.start()
        return measure("postgresql", ClusterRestart(cluster, hold), **options)
    finally:
        cluster.remove()
        template.remove()


if __name__ == "__main__":
    raise SystemExit(main())
