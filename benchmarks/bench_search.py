"""Micro-benchmark of the people search: build time, memory, query p50/p95.

Run ``uv run python benchmarks/bench_search.py 100000`` (several sizes may be given).
Importable: ``measure(n)`` returns the numbers as a dict, ``make_corpus(n)`` the
deterministic people and ``QUERIES`` the fixed query set. Wall-clock times are noisy
on a shared machine, so CPU times (``time.process_time``) are reported alongside.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from typing import Any

import numpy as np

from deskterm.directory import INDEX_PART
from deskterm.search import SearchDoc, SearchIndex
from deskterm.search.corpus import synthetic_people

__all__ = ["QUERIES", "make_corpus", "measure"]

QUERIES: tuple[str, ...] = (
    # one and two letters: huge postings, prefix only
    "m",
    "a",
    "ma",
    "jo",
    # names, partial names, typos, several words
    "mar",
    "margo",
    "mrgo",
    "mrgo fair",
    "zoe muller",
    "muller",
    "schmidt",
    "schmdit",
    "sorensen",
    "alecai",
    "francois dubois",
    "garcia lopez",
    "lindqvist",
    "obrien",
    "kowalsky",
    "jonas beck",
    # companies, emails, phones, tags
    "fairweather",
    "fairwether",
    "margo@fair",
    "fairweather.co",
    "northwind",
    "555 0199",
    "5550199",
    "+49 30",
    "vip billing",
    # notes and what matters
    "refund",
    "invoice march",
    "the",
    "callback tomorrow",
    "renewal price",
    "escalated",
    # scripts
    "小明",
    "王",
    "дмитрий",
    "محمد",
    "민준",
    # nothing
    "qzxvw",
    "zzzzzzzzzzzz",
)


def make_corpus(n: int, seed: int = 7) -> list[SearchDoc]:
    """``n`` deterministic people (see ``deskterm.search.corpus``)."""
    return synthetic_people(n, seed)


def _rss() -> int:
    """Resident memory of this process in bytes (Linux), 0 elsewhere."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096
    except OSError:
        return 0


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(
    n: int,
    *,
    repeat: int = 5,
    queries: tuple[str, ...] = QUERIES,
    docs: list[SearchDoc] | None = None,
) -> dict[str, Any]:
    """Build an index of ``n`` people and time every query ``repeat`` times (ms)."""
    docs = make_corpus(n) if docs is None else docs
    gc.collect()
    rss0 = _rss()
    t0, c0 = time.perf_counter(), time.process_time()
    index = SearchIndex.build_in_parts(  # in parts, as the desk builds it
        docs[i : i + INDEX_PART] for i in range(0, len(docs), INDEX_PART)
    )
    build_s, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    gc.collect()
    rss1 = _rss()
    ranks = np.random.default_rng(1).permutation(n + 1)
    cold: dict[str, float] = {}
    wall: list[float] = []
    cpu: list[float] = []
    per_query: dict[str, list[float]] = {}
    totals: dict[str, int] = {}
    for r in range(repeat + 1):
        for q in queries:
            t, c = time.perf_counter(), time.process_time()
            result = index.search(q, limit=200, rank_by_id=ranks)
            dt, dc = (time.perf_counter() - t) * 1e3, (time.process_time() - c) * 1e3
            if r == 0:
                cold[q] = dt
                totals[q] = result.total
                continue
            wall.append(dt)
            cpu.append(dc)
            per_query.setdefault(q, []).append(dt)
    nbytes = sum(seg.nbytes() for seg in index._segments)
    return {
        "n": n,
        "build_s": build_s,
        "build_cpu_s": build_cpu,
        "index_mb": nbytes / 1e6,
        "rss_delta_mb": (rss1 - rss0) / 1e6,
        "p50_ms": _pct(wall, 50),
        "p95_ms": _pct(wall, 95),
        "max_ms": max(wall),
        "cpu_p50_ms": _pct(cpu, 50),
        "cpu_p95_ms": _pct(cpu, 95),
        "cold_max_ms": max(cold.values()),
        "per_query_ms": {q: statistics.median(v) for q, v in per_query.items()},
        "totals": totals,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--verbose", "-v", action="store_true", help="per-query medians")
    args = parser.parse_args()
    for n in args.sizes:
        docs = make_corpus(n)
        r = measure(n, repeat=args.repeat, docs=docs)
        print(
            f"n={n:,}: build {r['build_s']:.2f}s (cpu {r['build_cpu_s']:.2f}s), "
            f"index ~{r['index_mb']:.0f} MB (rss +{r['rss_delta_mb']:.0f} MB), "
            f"query p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, "
            f"max {r['max_ms']:.1f} ms (cpu p50 {r['cpu_p50_ms']:.1f}, "
            f"p95 {r['cpu_p95_ms']:.1f}), first-run max {r['cold_max_ms']:.1f} ms"
        )
        if args.verbose:
            for q, ms in sorted(r["per_query_ms"].items(), key=lambda kv: -kv[1]):
                print(f"  {ms:8.2f} ms  {r['totals'][q]:>9,}  {q}")


if __name__ == "__main__":
    main()
