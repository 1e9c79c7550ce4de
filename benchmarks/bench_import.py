"""Import rate and the cost of one ``deskterm search`` process.

``import_rate(docs, url)`` writes the people as the 6-column CSV (name, email, company,
phone, tags, notes) and times ``deskterm --db URL import FILE`` as a whole process —
parsing, checking, inserting, and bringing the saved search index and queue file up to
date — on a fresh database; people per second (an error if either file was not left).
``postgres_url()`` makes a throw-away schema (None when PostgreSQL is not reachable).
``search_cost(db)`` is the median wall time of ``deskterm search QUERY`` processes minus
that of ``deskterm --version``.
"""

from __future__ import annotations

import contextlib
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PG = os.environ.get("DESKTERM_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CONFIG = '[agent]\nname = "bench"\ntimezone = "Europe/Berlin"\n'


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESKTERM_")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _deskterm(config: Path, *argv: str) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "deskterm", "--config", str(config), *argv]
    return subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=3600)


def write_csv(docs: list[Any], path: Path) -> None:
    seen: set[str] = set()
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["name", "email", "company", "phone", "tags", "notes"])
        for d in docs:
            email = d.email.lower()
            if email in seen:
                email = email.replace("@", f"+{d.id}@", 1)
            seen.add(email)
            out.writerow([d.name, email, d.company, d.phone, d.tags, d.notes])


@contextlib.contextmanager
def postgres_url() -> Iterator[str | None]:
    """A URL whose search_path is a fresh schema, dropped afterwards with the search
    index an import saved for it in the cache folder (None: no server)."""
    import sqlalchemy as sa

    from deskterm.services.saved_index import path_for_url

    name = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    except sa.exc.OperationalError:
        admin.dispose()
        yield None
        return
    sep = "&" if "?" in PG else "?"
    url = f"{PG}{sep}options=-csearch_path%3D{name}"
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        admin.dispose()
        saved = path_for_url(sa.engine.make_url(url))  # the import's saved search index
        if saved is not None:
            saved.unlink(missing_ok=True)
            saved.with_suffix(".queue").unlink(missing_ok=True)  # and queue


def import_rate(docs: list[Any], url: str | None = None) -> float:
    """People per second of ``deskterm import`` of ``docs`` into a fresh database."""
    with tempfile.TemporaryDirectory(prefix="deskterm-import-") as tmp:
        folder = Path(tmp)
        config = folder / "config.toml"
        config.write_text(CONFIG, encoding="utf-8")
        people = folder / "people.csv"
        write_csv(docs, people)
        url = url or f"sqlite:///{folder / 'desk.db'}"
        _deskterm(config, "--db", url, "db", "upgrade")  # an empty desk, schema in place
        t0 = time.perf_counter()
        done = _deskterm(config, "--db", url, "import", str(people))
        seconds = time.perf_counter() - t0
        if done.returncode != 0:
            raise RuntimeError(done.stderr.strip().splitlines()[-1])
        _check_saved(url)
    return len(docs) / seconds


def _check_saved(url: str) -> None:
    """RuntimeError unless the import left the search index and the queue file."""
    import sqlalchemy as sa

    from deskterm.services.saved_index import path_for_url

    index = path_for_url(sa.engine.make_url(url))
    for path in (index, index.with_suffix(".queue")) if index is not None else ():
        if not path.is_file():
            raise RuntimeError(f"the import left no {path.name}")


def search_cost(db: Path, queries: tuple[str, ...], runs: int = 5) -> dict[str, float]:
    """Seconds of a ``deskterm search`` process, of ``--version``, and the difference."""
    with tempfile.TemporaryDirectory(prefix="deskterm-search-") as tmp:
        config = Path(tmp) / "config.toml"
        config.write_text(CONFIG, encoding="utf-8")
        url = f"sqlite:///{db}"
        _deskterm(config, "--db", url, "search", queries[0])  # warm: bytecode, index file

        def timed(*argv: str) -> float:
            t0 = time.perf_counter()
            done = _deskterm(config, *argv)
            if done.returncode != 0:
                raise RuntimeError(done.stderr.strip())
            return time.perf_counter() - t0

        search = [timed("--db", url, "search", queries[i % len(queries)]) for i in range(runs)]
        version = [timed("--version") for _ in range(runs)]
    s, v = statistics.median(search), statistics.median(version)
    return {"search_s": s, "version_s": v, "extra_s": s - v}
