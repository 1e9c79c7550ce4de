"""Typed-query latency of the real desk in a real terminal (tmux), and in-process.

Run ``uv run python benchmarks/typing_latency.py 100000`` (needs ``tmux``; several
sizes may be given; ``--rounds R`` repeats the query set, ``--in-process`` adds the
desk's own search timed inside one process, ``--no-terminal`` leaves tmux out,
``--polled`` looks at the screen the earlier way, below). Progress goes to stderr,
the Markdown table to stdout.

**In a terminal**: ``deskterm --config FILE --db sqlite:///…`` runs in a detached tmux
session of 120×40 on the cached benchmark database of N people (``app_start.database``:
built once, its search index and queue saved beside it). Once the full queue is on
screen and the index is ready, for every query of ``bench_search.QUERIES``: ``escape``
clears the search and we wait for the full queue ("most urgent first"); then "/" and
the query are sent as one write (``send-keys -l``, as a quick typist's keys arrive),
and the screen is looked at until the status line shows the result ("N matches")
with the whole query in the search box above it (the keys may reach the desk in two
reads: the results of the first part do not count). A query that matched nobody
counts when "0 matches" is on screen. The latency is from sending the keys until a
look saw that screen: tmux, Textual, the search worker and drawing.

How we look: one tmux control-mode client (``tmux -C``) sends the keys and takes each
look (``capture-pane``) over its connection, and looks again each time the pane has
written (tmux's ``%output``), as a terminal shows a frame when the program writes it.
With ``--polled``, a ``tmux`` process is started for the keys and for every look,
back to back (about 2.5 ms a look): that poller kept about 93% of a core busy, so on
a two-core machine the desk ran beside it on what was left (what the README's earlier
figures measured). The median cost of a look is printed.

**In-process**: ``Directory.search`` plus the queue rows of the results (what the
search worker does before it posts them), on the desk's saved index opened from the
file, after the same warm-up the desk does; 5 rounds; wall time, and the median CPU
time of the process per query (steadier on a shared machine); ``-v`` lists each query.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import app_start
from bench_search import QUERIES, make_corpus

Log = Callable[[str], None]
SIZE = (120, 40)
MATCHES = re.compile(r"\b[\d,]+ (of [\d,]+ )?match(es)?\b")  # the status after a search
READY = "most urgent first"  # the status line of the full queue (index ready: no "indexing")


def _log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Terminal:
    """A private tmux server running one command in a detached session."""

    def __init__(self, command: Sequence[str], env: dict[str, str]) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="deskterm-tmux-"))  # its socket
        self.socket = str(self.folder / "socket")
        width, height = SIZE
        self._tmux(
            "new-session", "-d", "-s", "desk", "-x", str(width), "-y", str(height),
            *(f"-e{k}={v}" for k, v in env.items()), " ".join(map(_quote, command)),
        )  # fmt: skip

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-S", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", "desk")

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", "desk", "-l", text)

    def key(self, name: str) -> None:
        self._tmux("send-keys", "-t", "desk", name)

    def wait_for(self, done: Callable[[str], bool], timeout: float = 60) -> tuple[float, str]:
        """Poll the screen until ``done(screen)``; the seconds it took and that screen."""
        t0 = time.perf_counter()
        while True:
            screen = self.screen()
            if done(screen):
                return time.perf_counter() - t0, screen
            if time.perf_counter() - t0 > timeout:
                raise TimeoutError(f"the screen did not change as expected:\n{screen}")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)
        shutil.rmtree(self.folder, ignore_errors=True)


class Watched(Terminal):
    """The same session, driven through one tmux control-mode client (``tmux -C``):
    keys and captures go over its connection, and a look at the screen is taken only
    when the pane has written something (tmux's ``%output``), as a terminal shows a
    frame when the program writes it. ``Terminal`` starts a tmux process per look,
    back to back: on two cores that poller takes much of a core from the desk."""

    def __init__(self, command: Sequence[str], env: dict[str, str]) -> None:
        super().__init__(command, env)
        self.client = subprocess.Popen(
            ["tmux", "-S", self.socket, "-C", "attach", "-t", "desk"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        assert self.client.stdin is not None and self.client.stdout is not None
        self._in, self._fd = self.client.stdin, self.client.stdout.fileno()
        self._buf = b""
        self.written = False  # the pane wrote since the last look
        self._command("list-sessions")  # past the greeting: the client answers

    def _line(self) -> str:
        """The client's next line (waiting for it)."""
        while b"\n" not in self._buf:
            self._read()
        line, self._buf = self._buf.split(b"\n", 1)
        text = line.decode("utf-8", "replace")
        if text.startswith("%output "):
            self.written = True
        return text

    def _read(self) -> None:
        chunk = os.read(self._fd, 1 << 16)
        if not chunk:
            raise RuntimeError("the tmux control client went away")
        self._buf += chunk

    def _command(self, command: str) -> str:
        self._in.write(command.encode("utf-8") + b"\n")
        self._in.flush()
        while True:  # the answer is the next block flagged 1 (from this client)
            line = self._line()
            if line.startswith("%begin "):
                out: list[str] = []
                while not (end := self._line()).startswith(("%end ", "%error ")):
                    out.append(end)
                if line.endswith(" 1"):
                    if end.startswith("%error "):
                        raise RuntimeError(f"tmux: {command}: {' '.join(out)}")
                    return "\n".join(out)

    def screen(self) -> str:
        self.written = False
        return self._command("capture-pane -p -t desk")

    def type(self, text: str) -> None:
        self._command(f"send-keys -t desk -l {_quote(text)}")

    def key(self, name: str) -> None:
        self._command(f"send-keys -t desk {name}")

    def wait_for(self, done: Callable[[str], bool], timeout: float = 60) -> tuple[float, str]:
        """Look at the screen, then again each time the pane has written, until
        ``done(screen)``; the seconds it took and that screen."""
        t0 = time.perf_counter()
        while True:
            screen = self.screen()
            if done(screen):
                return time.perf_counter() - t0, screen
            while not self.written:
                if time.perf_counter() - t0 > timeout:
                    raise TimeoutError(f"the screen did not change as expected:\n{screen}")
                if b"\n" in self._buf:
                    self._line()
                elif select.select([self._fd], [], [], 0.5)[0]:
                    self._read()

    def close(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._in.close()
        self.client.kill()
        self.client.wait()
        super().close()


def _quote(word: str) -> str:
    return "'" + word.replace("'", "'\\''") + "'"


def _status_says_matches(screen: str) -> bool:
    return MATCHES.search(screen) is not None


def _results_of(query: str) -> Callable[[str], bool]:
    """Whether a screen shows ``query``'s results: "N matches" on the status line and
    the whole query in the search box just above it. The keys can reach the desk in
    more than one read; the results of the first ones ("m" of "margo") are not these."""

    def shown(screen: str) -> bool:
        lines = screen.splitlines()
        return any(
            MATCHES.search(line) and i and query in lines[i - 1] for i, line in enumerate(lines)
        )

    return shown


def _full_queue(screen: str) -> bool:
    return READY in screen and "indexing" not in screen and not _status_says_matches(screen)


def in_terminal(db: Path, rounds: int, log: Log = _log, watched: bool = False) -> dict[str, Any]:
    """Seconds from keys sent to results on screen, per query and round (``watched``:
    through a tmux control-mode client instead of a tmux process per look)."""
    config = app_start.DATA / "bench-config.toml"
    config.write_text(app_start.CONFIG, encoding="utf-8")
    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"}
    cmd = [sys.executable, "-m", "deskterm", "--config", str(config), "--db", f"sqlite:///{db}"]
    term = (Watched if watched else Terminal)(cmd, env)
    try:
        started, _ = term.wait_for(_full_queue, timeout=300)
        log(f"  desk ready after {started:.1f} s; typing {len(QUERIES)} queries × {rounds}")
        capture = [term.wait_for(lambda _s: True)[0] for _ in range(20)]
        times: dict[str, list[float]] = {q: [] for q in QUERIES}
        for _ in range(rounds):
            for query in QUERIES:
                term.key("Escape")
                term.wait_for(_full_queue)
                t0 = time.perf_counter()
                term.type("/" + query)
                term.wait_for(_results_of(query))
                times[query].append(time.perf_counter() - t0)
        term.key("Escape")
        term.key("q")
    finally:
        term.close()
    return {
        **_spread(times),
        "max_ms": max(t for ts in times.values() for t in ts) * 1e3,
        "capture_ms": statistics.median(capture) * 1e3,
    }


def _spread(times: dict[str, list[float]]) -> dict[str, Any]:
    """p50 and p95 over every time, and each query's median, in milliseconds."""
    every = [t for ts in times.values() for t in ts]
    return {
        "p50_ms": statistics.median(every) * 1e3,
        "p95_ms": _p95(every) * 1e3,
        "per_query_ms": {q: statistics.median(ts) * 1e3 for q, ts in times.items()},
    }


def in_process(db: Path, rounds: int = 5, log: Log = _log) -> dict[str, Any]:
    """Milliseconds of the desk's search worker's work per query, on the saved index."""
    from zoneinfo import ZoneInfo

    from deskterm.directory import Directory
    from deskterm.services import Desk
    from deskterm.storage import open_engine

    engine = open_engine(f"sqlite:///{db}")
    try:
        directory = Directory(Desk(engine, "bench"), tz=ZoneInfo("Europe/Berlin"))
        t0 = time.perf_counter()
        directory.load()
        directory.build_index()  # opened from the saved file, warmed as in the desk
        log(f"  queue and index opened in-process in {time.perf_counter() - t0:.1f} s")
        times: dict[str, list[float]] = {q: [] for q in QUERIES}
        cpu: list[float] = []
        for _ in range(rounds):
            for query in QUERIES:
                t0, c0 = time.perf_counter(), time.process_time()
                result = directory.search(query, limit=200)
                directory.rows_for(result.ids)
                times[query].append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
    finally:
        engine.dispose()
    return {**_spread(times), "cpu_p50_ms": statistics.median(cpu) * 1e3}


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--rounds", type=int, default=3, help="times the query set is typed")
    parser.add_argument("--in-process", action="store_true", help="also time it in-process")
    parser.add_argument("--no-terminal", action="store_true", help="leave tmux out")
    parser.add_argument(
        "--polled",
        action="store_true",
        help="a tmux process for the keys and for every look, back to back (the old way)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="each query's in-process time")
    args = parser.parse_args(argv)
    if not args.no_terminal and shutil.which("tmux") is None:
        parser.error("tmux is not installed (or give --no-terminal)")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"load average at start {load}; looking at the screen "
        + (
            "with a tmux process per look"
            if args.polled
            else "through a tmux control client, when the pane writes"
        ),
        "",
        "| people | in a terminal p50 / p95 (max) | capture | in-process p50 / p95 (CPU p50) |",
        "| --- | --- | --- | --- |",
    ]
    for n in args.sizes:
        db = app_start.database(n, make_corpus(n), _log)
        _log(f"{n:,} people:")
        cells = [f"{n:,}", "not measured", "-", "not measured"]
        if not args.no_terminal:
            t = in_terminal(db, args.rounds, watched=not args.polled)
            cells[1] = f"{t['p50_ms']:.0f} / {t['p95_ms']:.0f} ms ({t['max_ms']:.0f})"
            cells[2] = f"{t['capture_ms']:.1f} ms"
        if args.in_process:
            p = in_process(db)
            cells[3] = f"{p['p50_ms']:.1f} / {p['p95_ms']:.1f} ms (CPU {p['cpu_p50_ms']:.1f})"
            if args.verbose:
                for query, ms in p["per_query_ms"].items():
                    _log(f"    {ms:7.1f} ms  {query}")
        lines.append("| " + " | ".join(cells) + " |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
