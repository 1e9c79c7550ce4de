"""The team view's opening time: ``Directory.team_report`` at 10k and 100k people.

Run ``uv run python benchmarks/bench_team.py`` (sizes 10000 100000) or give sizes:
``uv run python benchmarks/bench_team.py 10000``; ``--pg URL`` also measures on
PostgreSQL (a throw-away schema is made and dropped). The people are the demo's, with
their history (moods, follow-ups, contacts, notes, owners: about 5 follow-ups and 2
moods each), inserted once per size. Each column is the median of 5 runs after one
warm-up:

- **view opens** — what the team view waits for after ``t`` before it draws: the
  aggregate queries plus the at-risk list from the summaries the desk already holds
  (``Directory.team_report(history=False)``);
- **risk weeks** — the at-risk-per-week chart, drawn when it arrives
  (``Directory.risk_history``);
- **report (CLI)** — ``deskterm report``'s work: all of it, reading everyone's summary
  first (``services.report.team_report``);
- the rows behind it: moods, follow-ups and entries in the database.

Prints a Markdown table on stdout, progress on stderr.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, text

from deskterm.attention.order import QueueSettings
from deskterm.demo.people import generate_people
from deskterm.directory import Directory
from deskterm.services import Desk
from deskterm.services.bulk import bulk_insert
from deskterm.services.report import team_report
from deskterm.storage import open_engine

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
TZ = ZoneInfo("Europe/Berlin")
RUNS = 5


def _median_ms(fn: Callable[[], object]) -> float:
    fn()  # warm-up
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def measure(url: str, n: int) -> dict[str, float | int]:
    engine = open_engine(url)
    try:
        print(f"  filling {n:,} people…", file=sys.stderr)
        people = generate_people(n, now=NOW)
        bulk_insert(engine, people, agent="ana", now=NOW)
        desk = Desk(engine, "ana", clock=lambda: NOW)
        directory = Directory(desk, tz=TZ, queue_settings=QueueSettings(), clock=lambda: NOW)
        directory.load()
        with engine.connect() as conn:
            rows = {
                t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one()
                for t in ("mood", "follow_up", "entry")
            }
        report = directory.team_report()
        print(f"  {report.at_risk_total:,} at risk", file=sys.stderr)
        return {
            "report": _median_ms(lambda: directory.team_report(history=False)),
            "history": _median_ms(lambda: directory.risk_history(NOW)),
            "cli": _median_ms(
                lambda: team_report(desk, now_fn=lambda: NOW, tz=TZ, settings=QueueSettings())
            ),
            **rows,
        }
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 100_000])
    parser.add_argument("--pg", metavar="URL", help="also on PostgreSQL (a new schema)")
    args = parser.parse_args(argv)
    print(
        "| backend | people | moods | follow-ups | entries | view opens | risk weeks "
        "| report (CLI) |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as folder:
            print(f"SQLite, {n:,} people", file=sys.stderr)
            r = measure(f"sqlite:///{Path(folder) / 'team.db'}", n)
            _row("SQLite", n, r)
        if args.pg:
            print(f"PostgreSQL, {n:,} people", file=sys.stderr)
            schema = f"bench_{uuid.uuid4().hex[:10]}"
            admin = create_engine(args.pg)
            with admin.begin() as conn:
                conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            try:
                sep = "&" if "?" in args.pg else "?"
                r = measure(f"{args.pg}{sep}options=-csearch_path%3D{schema}", n)
                _row("PostgreSQL", n, r)
            finally:
                with admin.begin() as conn:
                    conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
                admin.dispose()


def _row(backend: str, n: int, r: dict[str, float | int]) -> None:
    print(
        f"| {backend} | {n:,} | {r['mood']:,} | {r['follow_up']:,} | {r['entry']:,} "
        f"| {r['report']:.0f} ms | {r['history']:.0f} ms | {r['cli']:.0f} ms |",
        flush=True,
    )


if __name__ == "__main__":
    main()
