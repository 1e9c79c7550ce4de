"""The benchmark: search, queue and start-up of deskterm at 10k, 100k and 1M people.

Run ``uv run python benchmarks/run.py`` (sizes 10000 100000 1000000, about 15 minutes
on 2 cores, most of it ``fzf`` and filling the 1M database the first time) or give the
sizes: ``uv run python benchmarks/run.py 10000 100000``. ``--no-fzf`` / ``--no-app``
leave those columns out, ``-v`` adds every query's time. Progress goes to stderr, the
Markdown table to stdout.

Every size uses the same deterministic people (``deskterm.search.corpus``: names in
Latin with accents, Cyrillic, Chinese, Japanese, Korean, Arabic and Greek scripts,
emails, phones, companies, tags, notes). The columns:

- **index build** — ``SearchIndex.build`` over everyone in-process (index size);
- **query p50 / p95** — in-process, over ``bench_search.QUERIES`` (prefix, typo, email
  fragment, company, phone digits, two words, non-Latin, no match), 5 warm rounds;
- **queue order** — ``order_queue`` over ``bench_queue``'s synthetic summaries: the
  first order (builds its name index) / the median after a write;
- **start → queue** — a fresh process running the ``deskterm`` command line on a SQLite
  database of these people (``app_start``), until the main screen has drawn a frame
  with the queue; **→ search** — until typed searches are answered (from the first
  part of the index, 250,000 people) / until the whole index is ready (median of 3 starts,
  1 at a million, after one discarded warm-up start that compiles the bytecode);
- **app RSS** — resident memory of that desk process holding the queue and the index
  (its peak in brackets);
- **import SQLite / PG** — people per second of ``deskterm import`` of these people as
  the 6-column CSV into a fresh database, as a whole process (parse, check, insert,
  and the saved search index brought up to date) (``bench_import``);
- **deskterm search − --version** — a ``deskterm search`` process on that database
  (the saved index opened from its file) minus a ``deskterm --version`` process, the
  median of 5 (the whole search process in brackets);
- **fzf** — ``fzf --filter QUERY < corpus`` as a whole process for the same queries on
  the same people (one line each: name, email, company, phone, tags, what matters,
  notes): the median over queries of each query's median (3 runs, 1 at a million), and
  that divided by our p50. "fzf not installed" when it is not on PATH.

A second table (``bench_quality``): per class of query (exact, prefix, one edit, two
edits, abbreviation, transliteration, nickname, no match), the share whose person is
in the top 10, for deskterm and ``fzf --filter`` on the same people in the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import app_start
import bench_import
import bench_quality
import bench_queue
from bench_search import QUERIES, make_corpus, measure

from deskterm.directory import INDEX_PART

SIZES = (10_000, 100_000, 1_000_000)
HEADER = (
    "people",
    "index build",
    "query p50 / p95",
    "queue order",
    "start → queue",
    "→ search",
    "app RSS (peak)",
    "import SQLite / PG",
    "deskterm search − --version",
    "fzf p50 (× our p50)",
)
Log = Callable[[str], None]


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def corpus_lines(docs: Sequence[Any]) -> str:
    """The people as text, one line each, the way an agent would feed them to fzf."""
    fields = ("name", "email", "company", "phone", "tags", "matters", "notes")
    lines = (
        " | ".join(" ".join(str(getattr(d, f)).split()) for f in fields if getattr(d, f))
        for d in docs
    )
    return "\n".join(lines) + "\n"


def fzf_times(corpus: Path, queries: Sequence[str], repeat: int) -> dict[str, float]:
    """Each query's median seconds of ``fzf --filter QUERY < corpus`` as a process."""
    env = {**os.environ, "FZF_DEFAULT_OPTS": "", "FZF_DEFAULT_COMMAND": ""}
    out: dict[str, float] = {}
    for q in queries:
        runs = []
        for _ in range(repeat):
            with corpus.open("rb") as stdin:
                t0 = time.perf_counter()
                subprocess.run(
                    ["fzf", "--filter", q], stdin=stdin, stdout=subprocess.DEVNULL, env=env
                )
                runs.append(time.perf_counter() - t0)
        out[q] = statistics.median(runs)
    return out


def measure_size(
    n: int,
    *,
    fzf: bool = True,
    app: bool = True,
    repeat: int = 5,
    starts: int | None = None,
    quality: int = 0,
    fzf_quality: int | None = None,
    imports: bool = True,
    log: Log = _log,
) -> dict[str, Any]:
    """Every number of one row (seconds, MB, ms as named); ``starts`` of the desk;
    ``quality`` queries per class for the search-quality table (0: none), fzf on the
    first ``fzf_quality`` of them (all: None)."""
    big = n > 100_000
    starts = (1 if big else 3) if starts is None else starts
    t0 = time.perf_counter()
    docs = make_corpus(n)
    log(f"{n:,} people made in {time.perf_counter() - t0:.0f} s; searching…")
    r: dict[str, Any] = {"n": n, "search": measure(n, repeat=repeat, docs=docs)}
    log("  ordering the queue…")
    r["queue"] = bench_queue.measure(n)
    if app:
        try:
            db = app_start.database(n, docs, log)
            log("  starting the desk…")
            # A warm-up start: the first compiles bytecode, and a database the desk has
            # never opened has no queue file yet (the first desk saves it, as an import
            # does): neither is what an agent waits for every morning.
            app_start.start(db)
            runs = [app_start.start(db) for _ in range(starts)]
            r["app"] = {k: statistics.median(s[k] for s in runs) for k in runs[0]}
            log("  deskterm search processes…")
            r["cli"] = bench_import.search_cost(db, ("margo fairweather", "mrg frwthr", "qzxvw"))
        except Exception as exc:  # shown in the table, never a silent gap
            r["app_error"] = f"failed: {exc}"
    if imports:
        r["import"] = _imports(docs, log)
    if quality:
        log(f"  search quality ({quality} queries a class)…")
        r["quality"] = bench_quality.measure(
            n, quality, fzf=fzf, fzf_per_class=fzf_quality, log=log
        )
    if fzf and shutil.which("fzf"):
        log("  fzf on the same people…")
        with tempfile.TemporaryDirectory(prefix="deskterm-bench-") as tmp:
            corpus = Path(tmp) / "people.txt"
            corpus.write_text(corpus_lines(docs), encoding="utf-8")
            r["fzf"] = fzf_times(corpus, QUERIES, 1 if big else 3)
    elif fzf:
        r["fzf_error"] = "fzf not installed"
    return r


def _imports(docs: list[Any], log: Log) -> dict[str, str]:
    """People per second of ``deskterm import`` into SQLite and PostgreSQL (or why not)."""
    out: dict[str, str] = {}
    log("  importing into SQLite…")
    try:
        out["sqlite"] = f"{bench_import.import_rate(docs):,.0f}/s"
    except Exception as exc:
        out["sqlite"] = f"failed: {exc}"
    with bench_import.postgres_url() as url:
        if url is None:
            out["pg"] = "no PostgreSQL"
        else:
            log("  importing into PostgreSQL…")
            try:
                out["pg"] = f"{bench_import.import_rate(docs, url):,.0f}/s"
            except Exception as exc:
                out["pg"] = f"failed: {exc}"
    return out


def _ms(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds >= 1 else f"{seconds * 1e3:.0f} ms"


def cells(r: dict[str, Any]) -> list[str]:
    """One table row."""
    s, q = r["search"], r["queue"]
    row = [
        f"{r['n']:,}",
        f"{s['build_s']:.1f} s ({s['index_mb']:.0f} MB)",
        f"{s['p50_ms']:.1f} / {s['p95_ms']:.1f} ms",
        f"{_ms(q['first_s'])} / {q['median_s'] * 1e3:.0f} ms",
    ]
    if "app" in r:
        a = r["app"]
        search = f"{a['index_s']:.1f} s"
        if r["n"] > INDEX_PART:  # searchable from the first part, then whole
            search = f"{a.get('search_s', a['index_s']):.1f} / {search}"
        row += [f"{a['queue_s']:.2f} s", search]
        row.append(f"{a['rss_mb']:.0f} MB ({a['peak_mb']:.0f})")
    else:
        row += [r.get("app_error", "not measured")] * 3
    i = r.get("import")
    row.append(f"{i['sqlite']} / {i['pg']}" if i else "not measured")
    c = r.get("cli")
    row.append(f"{_ms(c['extra_s'])} ({_ms(c['search_s'])})" if c else "not measured")
    if "fzf" in r:
        p50 = statistics.median(r["fzf"].values())
        row.append(f"{_ms(p50)} (×{p50 * 1e3 / s['p50_ms']:.0f})")
    else:
        row.append(r.get("fzf_error", "not measured"))
    return row


def table(results: Sequence[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + " --- |" * len(HEADER)]
    lines += ["| " + " | ".join(cells(r)) + " |" for r in results]
    return "\n".join(lines)


def per_query(r: dict[str, Any]) -> str:
    """Each query: hits, our median, fzf's median (``-v``)."""
    ours, fzf = r["search"]["per_query_ms"], r.get("fzf", {})
    lines = [f"\n{r['n']:,} people, per query:", "| query | hits | ours | fzf |"]
    lines.append("|" + " --- |" * 4)
    for q in QUERIES:
        theirs = f"{fzf[q] * 1e3:.0f} ms" if q in fzf else "-"
        lines.append(f"| `{q}` | {r['search']['totals'][q]:,} | {ours[q]:.1f} ms | {theirs} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{datetime.now():%Y-%m-%d %H:%M}, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, load average at start {load}"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=list(SIZES))
    parser.add_argument("--no-fzf", action="store_true", help="leave out the fzf column")
    parser.add_argument("--no-app", action="store_true", help="leave out the desk start-up")
    parser.add_argument("-v", "--verbose", action="store_true", help="every query's time")
    parser.add_argument(
        "--quality", type=int, default=None, metavar="N",
        help="queries per class for the search-quality table (default 100 up to 10k "
        "people, 40 above: fzf reads everyone for each query; 0 leaves it out)",
    )  # fmt: skip
    parser.add_argument(
        "--fzf-quality", type=int, default=None, metavar="N",
        help="run fzf on only the first N quality queries of each class (a million "
        "people: about 15-30 s a query)",
    )  # fmt: skip
    parser.add_argument("--no-import", action="store_true", help="leave out the import rates")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    header = machine()
    results = []
    for n in args.sizes:
        per_class = args.quality if args.quality is not None else (100 if n <= 10_000 else 40)
        results.append(
            measure_size(
                n, fzf=not args.no_fzf, app=not args.no_app, quality=per_class,
                fzf_quality=args.fzf_quality, imports=not args.no_import,
            )
        )  # fmt: skip
    print(f"{header}; took {(time.perf_counter() - started) / 60:.0f} min\n")
    print(table(results))
    quality = [r["quality"] for r in results if "quality" in r]
    if quality:
        print("\nSearch quality: share of queries whose person is in the top 10\n")
        print(bench_quality.table(quality))
    if args.verbose:
        for r in results:
            print(per_query(r))


if __name__ == "__main__":
    main()
