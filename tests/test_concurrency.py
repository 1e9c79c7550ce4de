"""Several processes writing to one person at once: nothing is lost, on both backends.

Each worker is a separate Python process with its own engine on the same URL (the same
SQLite file, or the same PostgreSQL schema), as several agents' desks would be. They
wait for a start signal so that their writes really overlap.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, text

from conftest import PgSchema, require_pg
from deskterm.clock import to_epoch
from deskterm.models import Mood
from deskterm.services import Desk
from deskterm.storage import open_engine
from deskterm.storage.migrate import current_revision, head_revision

WORKERS = 4
WRITES = 25

# A worker serves jobs (one JSON line each) so the slow imports happen once per module.
WORKER = r"""
import json, os, sys, time
from datetime import timedelta
from deskterm.errors import Conflict, InvalidInput
from deskterm.services import Desk
from deskterm.storage import open_engine

def run(url, person_id, agent, mode, count, go):
    if mode == "open":  # all start on a database nobody has opened yet
        print("ready", flush=True)
        while not os.path.exists(go):
            time.sleep(0.002)
        open_engine(url).dispose()
        return 0
    engine = open_engine(url)
    desk = Desk(engine, agent)
    desk.get_person(person_id)  # connect before the start signal
    print("ready", flush=True)
    while not os.path.exists(go):
        time.sleep(0.002)
    conflicts = 0
    for i in range(count):
        if mode == "notes":
            desk.log_note(person_id, f"{agent} {i}")
        elif mode == "mixed":
            desk.log_mood(person_id, 1 + i % 5, f"{agent} mood {i}")
            desk.log_follow_up(person_id, desk.clock() + timedelta(hours=1 + i), f"{agent} {i}")
            if i % 5 == 4:
                desk.complete_follow_up(person_id, f"{agent} done {i}")
        elif mode == "email":  # everyone claims the same new emails at once
            try:
                desk.add_person({"name": f"{agent} {i}", "email": f"new{i}@example.com"})
            except InvalidInput:
                conflicts += 1
            spare = desk.add_person({"name": f"{agent} spare {i}"})
            try:
                desk.edit_person(spare.id, spare.version, {"email": f"same{i}@example.com"})
            except InvalidInput:
                conflicts += 1
        elif mode == "edit":
            while True:
                seen = desk.get_person(person_id)
                try:
                    desk.edit_person(person_id, seen.version, {"matters": seen.matters + agent})
                    break
                except Conflict:
                    conflicts += 1
    engine.dispose()
    return conflicts

for line in sys.stdin:
    try:
        print("done", run(**json.loads(line)), flush=True)
    except Exception as exc:  # report it and stay available for the next test
        print("failed", type(exc).__name__, str(exc).replace("\n", " "), flush=True)
"""


class Pool:
    """WORKERS long-lived Python processes, each called agent "a", "b", "c" or "d"."""

    def __init__(self) -> None:
        self.agents = [chr(ord("a") + n) for n in range(WORKERS)]
        self.procs = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in self.agents
        ]

    def run(self, url: str, person_id: int, mode: str, go: Path) -> list[int]:
        """Every worker does WRITES writes of ``mode``, all released together."""
        for agent, proc in zip(self.agents, self.procs, strict=True):
            job = dict(url=url, person_id=person_id, agent=agent, mode=mode, count=WRITES)
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({**job, "go": str(go)}) + "\n")
            proc.stdin.flush()
        for proc in self.procs:
            line = self._line(proc)
            assert line == "ready", line or "a worker died (see stderr)"
        go.touch()
        replies = [self._line(proc) for proc in self.procs]
        assert all(r.startswith("done ") for r in replies), replies
        return [int(r.split()[1]) for r in replies]

    @staticmethod
    def _line(proc: subprocess.Popen) -> str:
        assert proc.stdout is not None
        return proc.stdout.readline().strip()

    def close(self) -> None:
        for proc in self.procs:
            if proc.stdin:
                proc.stdin.close()
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def pool() -> Iterator[Pool]:
    workers = Pool()
    yield workers
    workers.close()


def rows(desk: Desk, sql: str, **params) -> list[tuple]:
    """Plain SQL, for checking what is really stored."""
    with desk.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


@pytest.fixture
def lead(engine) -> Desk:
    """A desk on the real clock, so its times mix sensibly with the workers'."""
    return Desk(engine, "lead")


def test_concurrent_notes_are_all_stored(pool, lead, db_url, tmp_path):
    """4 processes × 25 notes on one person: exactly 100 notes, summary and feed agree."""
    person = lead.add_person({"name": "Busy Person"})
    lead.poll_changes()
    pool.run(db_url, person.id, "notes", tmp_path / "go")
    agents = pool.agents

    notes = rows(
        lead, "SELECT agent, text FROM entry WHERE kind = 'note' AND person_id = :i", i=person.id
    )
    assert len(notes) == WORKERS * WRITES
    assert Counter(a for a, _ in notes) == dict.fromkeys(agents, WRITES)
    assert {t for _, t in notes} == {f"{a} {i}" for a in agents for i in range(WRITES)}

    newest = lead.timeline(person.id, limit=1)[0]
    (summary,) = lead.summary_rows([person.id])
    assert newest.kind == "note"
    assert summary[9] == to_epoch(newest.at)  # s_last_activity: the newest entry

    changes = rows(lead, "SELECT count(*) FROM change WHERE person_id = :i", i=person.id)
    assert changes[0][0] == 1 + WORKERS * WRITES
    assert lead.poll_changes().changed == {person.id}
    assert not lead.poll_changes()


def test_concurrent_moods_and_follow_ups_are_all_stored(pool, lead, db_url, tmp_path):
    """4 processes × 25 moods, 25 follow-ups and 5 completions: all stored, summary exact."""
    person = lead.add_person({"name": "Busy Person"})
    lead.poll_changes()
    pool.run(db_url, person.id, "mixed", tmp_path / "go")
    total, done = WORKERS * WRITES, WORKERS * (WRITES // 5)

    with lead.engine.connect() as conn:  # typed columns: times come back aware on SQLite too
        moods = conn.execute(
            select(Mood.level, Mood.at)
            .where(Mood.person_id == person.id)
            .order_by(Mood.at, Mood.id)
        ).all()
    follow_ups = lead.follow_ups(person.id)
    kinds = Counter(
        k for (k,) in rows(lead, "SELECT kind FROM entry WHERE person_id = :i", i=person.id)
    )
    assert len(moods) == total
    assert len(follow_ups) == total
    assert sum(1 for f in follow_ups if not f.is_open) == done
    assert kinds == {"created": 1, "mood": total, "follow_up": total, "done": done}

    detail = lead.detail(person.id)
    (summary,) = lead.summary_rows([person.id])
    _, _, mood_level, mood_at, next_due, open_count, _, last_done, _, _ = summary[:10]
    assert (mood_level, mood_at) == (moods[-1][0], to_epoch(moods[-1][1]))  # the latest row
    assert detail.mood is not None and detail.mood.level == mood_level
    assert open_count == total - done == len(detail.open_follow_ups)
    assert next_due == to_epoch(detail.open_follow_ups[0].due_at)
    assert last_done == to_epoch(max(f.done_at for f in follow_ups if f.done_at))

    changes = rows(lead, "SELECT count(*) FROM change WHERE person_id = :i", i=person.id)
    assert changes[0][0] == 1 + 2 * total + done
    assert lead.poll_changes().changed == {person.id}


def test_concurrent_edits_with_retry_lose_nothing(pool, lead, db_url, tmp_path):
    """4 processes × 25 read-modify-write edits retrying on Conflict: all 100 land."""
    person = lead.add_person({"name": "Busy Person"})
    pool.run(db_url, person.id, "edit", tmp_path / "go")
    agents = pool.agents
    final = lead.get_person(person.id)
    assert len(final.matters) == WORKERS * WRITES
    assert Counter(final.matters) == dict.fromkeys(agents, WRITES)
    assert final.version == 1 + WORKERS * WRITES
    edits = rows(
        lead,
        "SELECT count(*) FROM entry WHERE person_id = :i AND kind = 'edit'",
        i=person.id,
    )
    assert edits[0][0] == WORKERS * WRITES


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_desks_starting_together_on_a_new_database(pool, backend, tmp_path):
    """4 desks opening a brand-new database at once all succeed (3 rounds, fresh each time)."""
    for round_ in range(3):
        schema = None
        if backend == "sqlite":
            url = f"sqlite:///{tmp_path / f'new{round_}.db'}"
        else:
            require_pg()
            schema = PgSchema()
            url = schema.url
        try:
            pool.run(url, 0, "open", tmp_path / f"go{round_}")
            engine = open_engine(url)
            assert current_revision(engine) == head_revision()
            assert Desk(engine, "lead").add_person({"name": "First"}).id == 1
            engine.dispose()
        finally:
            if schema is not None:
                schema.drop()


def test_concurrent_claims_on_one_email_never_crash(pool, lead, db_url, tmp_path):
    """4 processes adding people with, and editing people to, the same emails at once:
    each email ends up with exactly one person; the others get InvalidInput, not a crash."""
    anyone = lead.add_person({"name": "Anyone"})
    losses = pool.run(db_url, anyone.id, "email", tmp_path / "go")
    assert sum(losses) == 2 * (WORKERS - 1) * WRITES
    for prefix in ("new", "same"):
        owners = rows(
            lead,
            "SELECT email, count(*) FROM person WHERE email LIKE :p GROUP BY email",
            p=prefix + "%",
        )
        assert sorted(owners) == sorted((f"{prefix}{i}@example.com", 1) for i in range(WRITES))
