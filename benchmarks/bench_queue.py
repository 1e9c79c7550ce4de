"""Time ``order_queue`` over N synthetic people.

Run: ``uv run python benchmarks/bench_queue.py [N ...]`` (default 100,000 and 1,000,000).
Importable: ``measure(n)`` returns the numbers as a dict (``benchmarks/run.py`` uses it).
"""

from __future__ import annotations

import sys
import time
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from deskterm.queue import Summary, SummaryTable, order_queue

NOW = 1_795_000_000
FIRST = ("Jim", "Margo", "Alecia", "Zoë", "Müller", "Anna", "Omar", "Li", "Priya", "Sven")
LAST = ("Smith", "García", "Nguyen", "Okafor", "Kowalski", "Tanaka", "Ivanova", "Haddad")


def synthetic(n: int, seed: int = 0) -> tuple[list, ...]:
    """Columns of N people with a mix of moods, follow-ups and contacts (None = missing)."""
    rng = np.random.default_rng(seed)
    day = 86_400

    def maybe(p: float, low: int, high: int) -> list[int | None]:
        vals = rng.integers(NOW + low, NOW + high, n)
        return [int(v) if keep else None for v, keep in zip(vals, rng.random(n) < p, strict=True)]

    names = [
        f"{FIRST[a]} {LAST[b]} {c}"
        for a, b, c in zip(
            rng.integers(0, 10, n), rng.integers(0, 8, n), rng.integers(0, n, n), strict=True
        )
    ]
    levels = [int(v) if v else None for v in rng.integers(0, 6, n)]
    opens = (rng.integers(0, 3, n) * (rng.random(n) < 0.4)).tolist()
    due = [d if k else None for d, k in zip(maybe(1, -20 * day, 60 * day), opens, strict=True)]
    return (
        list(range(1, n + 1)),
        names,
        levels,
        maybe(0.8, -90 * day, 0),
        due,
        opens,
        maybe(0.7, -60 * day, 0),
        maybe(0.3, -60 * day, 0),
        maybe(0.6, -60 * day, 0),
        maybe(0.9, -30 * day, 0),
    )


def measure(n: int, repeat: int = 5) -> dict[str, Any]:
    """Load, first (cold: builds the name index) and warm ordering times in seconds."""
    columns = synthetic(n)
    t0 = time.perf_counter()
    table = SummaryTable.from_columns(*columns)
    t1 = time.perf_counter()
    tz = ZoneInfo("Europe/Paris")
    order_queue(table, now=NOW, tz=tz)
    t2 = time.perf_counter()
    warm = []
    for i in range(repeat):
        table.upsert(Summary(i + 1, f"Renamed {i}", 1, NOW - 60, None, 0, NOW, None, NOW, NOW))
        start = time.perf_counter()
        queue = order_queue(table, now=NOW, tz=tz)
        warm.append(time.perf_counter() - start)
    return {
        "n": n,
        "load_s": t1 - t0,
        "first_s": t2 - t1,
        "best_s": min(warm),
        "median_s": sorted(warm)[len(warm) // 2],
        "reasons": [queue.reason(p) for p in range(min(50, len(queue)))],
    }


def bench(n: int, repeat: int = 5) -> None:
    """Print load, first (cold: builds the name index) and best warm ordering times."""
    r = measure(n, repeat)
    print(
        f"n={n:>9,}  from_columns {1e3 * r['load_s']:5.0f} ms"
        f"  first order {1e3 * r['first_s']:6.0f} ms"
        f"  order (after an upsert) best {1e3 * r['best_s']:6.1f} ms"
        f"  median {1e3 * r['median_s']:6.1f} ms  [{r['reasons'][0]}]"
    )


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["100000", "1000000"]:
        bench(int(arg))
