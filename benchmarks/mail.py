"""The mail benchmark: ``mail receive --maildir`` into a big SQLite desk, and opening a
person with thousands of messages.

Run ``uv run python benchmarks/mail.py`` (100,000 people, 2,000 messages, a person with
5,000 messages; about two minutes on 2 cores) or choose the sizes:
``uv run python benchmarks/mail.py --people 10000 --messages 500 --thread 1000``.
Progress goes to stderr, the Markdown table to stdout. The columns:

- **maildir rate** — messages stored per second of wall time (in brackets: per second
  of this process's CPU time, which other load on the machine does not slow) by
  ``Mail.receive_maildir`` (what
  ``deskterm mail receive --maildir`` runs): each message parsed, its sender found (80%
  known people, 15% unknown senders who become new people, 5% without a sender),
  stored with its raw bytes and a timeline entry, the person's summary refreshed, one
  transaction per message, then filed under ``cur/``;
- **open a person** — the median of 20 openings of a person with ``--thread`` messages:
  the person view (``Desk.detail``: profile, moods, follow-ups, the first timeline
  page) and the first page of their messages (``Mail.messages``), as the desk loads
  them; older pages load only when scrolled to.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from random import Random

from deskterm.demo import generate_people
from deskterm.services import Desk
from deskterm.services.bulk import bulk_insert
from deskterm.services.mail import Mail
from deskterm.storage import open_engine

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BODY = (
    "Hello,\n\nmy order arrived but one of the three boxes is missing. Could you check "
    "with the carrier?\n\nThanks\n\nOn Mon, Support wrote:\n> Your order has shipped.\n"
)


def letter(i: int, sender: str | None, subject: str) -> bytes:
    msg = EmailMessage(policy=SMTP)
    if sender:
        msg["From"] = sender
    msg["To"] = "support@ourco.example"
    msg["Subject"] = subject
    msg["Date"] = "Tue, 01 Dec 2026 10:00:00 +0100"
    msg["Message-ID"] = f"<bench-{i}@mail.example>"
    msg.set_content(BODY)
    return msg.as_bytes()


def maildir(folder: Path, letters: list[bytes]) -> Path:
    for sub in ("new", "cur", "tmp"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for i, data in enumerate(letters):
        (folder / "new" / f"{1_700_000_000 + i}.M{i}P1.bench").write_bytes(data)
    return folder


def log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def run(people: int, messages: int, thread: int, root: Path) -> dict[str, float]:
    url = f"sqlite:///{root / 'desk.db'}"
    engine = open_engine(url)
    log(f"filling {people:,} people …")
    made = list(generate_people(people, now=NOW, history=False))
    bulk_insert(engine, made, agent="bench", now=NOW)
    emails = [p.profile["email"] for p in made if p.profile.get("email")]
    r = Random(7)
    letters = []
    for i in range(messages):
        x = r.random()
        if x < 0.80:
            sender = f"Customer <{r.choice(emails)}>"
        elif x < 0.95:
            sender = f"Newcomer {i} <new{i}@elsewhere.example>"
        else:
            sender = None
        letters.append(letter(i, sender, f"Order {i}: a box is missing"))
    box = Mail(Desk(engine, "bench", clock=lambda: NOW))
    log(f"receiving {messages:,} messages from a Maildir …")
    start, cpu = time.perf_counter(), time.process_time()
    result = box.receive_maildir(maildir(root / "in", letters))
    rate = result.stored / (time.perf_counter() - start)
    cpu_rate = result.stored / (time.process_time() - cpu)
    log(f"  {result.stored:,} stored at {rate:,.0f}/s ({cpu_rate:,.0f}/s of CPU time)")

    target = emails[0]
    log(f"giving {target} {thread:,} messages …")
    many = [letter(10_000_000 + i, f"One <{target}>", f"Follow-up {i}") for i in range(thread)]
    start = time.perf_counter()
    got = box.receive_maildir(maildir(root / "many", many))
    thread_rate = got.stored / (time.perf_counter() - start)
    desk = Desk(engine, "bench", clock=lambda: NOW)
    person = desk.find_person(target)
    reader = Mail(desk)
    times = []
    for _ in range(20):
        start = time.perf_counter()
        desk.detail(person.id)
        page = reader.messages(person.id)
        times.append(time.perf_counter() - start)
    assert len(page) == 50
    engine.dispose()
    return {
        "people": people,
        "messages": messages,
        "rate": rate,
        "cpu_rate": cpu_rate,
        "thread": thread,
        "thread_rate": thread_rate,
        "open_ms": 1000 * statistics.median(times),
    }


def table(row: dict[str, float]) -> str:
    head = (
        "people",
        "messages",
        "maildir rate (per CPU second)",
        "person's messages",
        "open a person",
    )
    cells = (
        f"{row['people']:,}",
        f"{row['messages']:,}",
        f"{row['rate']:,.0f} msg/s ({row['cpu_rate']:,.0f})",
        f"{row['thread']:,} (stored at {row['thread_rate']:,.0f} msg/s)",
        f"{row['open_ms']:.1f} ms",
    )
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join([*lines, "| " + " | ".join(cells) + " |"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=2_000)
    parser.add_argument("--thread", type=int, default=5_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="deskterm-mail-bench-") as folder:
        row = run(args.people, args.messages, args.thread, Path(folder))
    print(table(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
