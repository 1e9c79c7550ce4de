"""The benchmark command still runs (tiny size, no fzf): its table has the header and a row.

Only that it works — no timing is asserted here; the numbers are in the README.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    run = importlib.import_module("run")
    monkeypatch.setattr(run.app_start, "DATA", tmp_path)
    yield run
    for name in ("run", "app_start", "bench_queue", "bench_search"):
        sys.modules.pop(name, None)


def test_benchmark_table_has_the_header_and_one_row(bench) -> None:
    result = bench.measure_size(300, fzf=False, repeat=1, starts=1, log=lambda _: None)
    lines = bench.table([result]).splitlines()
    assert lines[0] == "| " + " | ".join(bench.HEADER) + " |"
    assert len(lines) == 3
    row = [cell.strip() for cell in lines[2].strip("|").split("|")]
    assert row[0] == "300"
    assert len(row) == len(bench.HEADER)
    assert "failed" not in lines[2], lines[2]
    assert row[-1] == "not measured"
    assert set(bench.QUERIES) <= set(result["search"]["per_query_ms"])


def test_live_benchmark_prints_both_tables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """benchmarks/live.py at a tiny size on SQLite: a latency row and an idle-CPU row."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    live = importlib.import_module("live")
    monkeypatch.setattr(live.app_start, "DATA", tmp_path)
    try:
        text = live.tables(("sqlite",), 300, 3, [300], 1.0)
    finally:
        for name in ("live", "app_start", "bench_search"):
            sys.modules.pop(name, None)
    lines = text.splitlines()
    assert lines[2].startswith("| sqlite | 300 | 3/3 | ")
    assert lines[-1].startswith("| sqlite | 300 | ") and "% of a core" in lines[-1]
