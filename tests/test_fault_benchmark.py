"""The fault benchmark still runs (tiny: 2 writers, one short outage).

Only that it works and stores every note exactly once — no timing is asserted; the
figures are in the README.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "faults.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fault_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def check(bench: ModuleType, result, notes: int = 15) -> None:
    assert result.failures == []
    assert result.stored == result.distinct == 2 * notes
    lines = bench.table([result]).splitlines()
    assert lines[0] == "| " + " | ".join(bench.HEADER) + " |"
    row = [cell.strip() for cell in lines[2].strip("|").split("|")]
    assert row[:5] == [result.backend, f"2 × {notes}", "1", f"{2 * notes:,}", "0"]


def test_fault_benchmark_on_sqlite(bench: ModuleType, tmp_path: Path) -> None:
    outage = bench.SqliteLock(tmp_path / "desk.db", hold=0.6)
    # Enough notes that the writers are still writing when the outage starts halfway
    # (with fewer, a fast machine finished them before the lock was taken).
    result = bench.measure("sqlite", outage, writers=2, notes=150, restarts=1, busy_ms=100)
    check(bench, result, notes=150)
    assert result.retries > 0  # the lock outlasted the busy timeout: writers retried


def test_fault_benchmark_on_a_restarted_cluster(bench: ModuleType, pg_cluster) -> None:
    outage = bench.ClusterRestart(pg_cluster, hold=0.3)
    result = bench.measure("postgresql", outage, writers=2, notes=15, restarts=1)
    check(bench, result)
