"""Demo data: deterministic, varied, pleasant, and never near the user's real database."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from deskterm.demo import OUR_COMPANY, demo_database, essay_people, generate_people, populate
from deskterm.demo import people as people_module
from deskterm.demo.essays import ALECIA_MOOD_NOTE, EMAILS, MARGO_FOLLOW_UP
from deskterm.directory import Directory
from deskterm.services import Desk
from deskterm.services.bulk import NewPerson
from deskterm.storage import open_engine

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
EMAIL = re.compile(r"^[a-z0-9._-]+@[a-z0-9.-]+\.example$")


def timeline_size(p: NewPerson) -> int:
    """Entries as stored: given ones plus the mood, follow-up and done entries derived."""
    done = sum(f.done_at is not None for f in p.follow_ups)
    return len(p.entries) + len(p.moods) + len(p.follow_ups) + done


def all_texts(p: NewPerson) -> list[str]:
    prof = p.profile
    out = [str(prof[k] or "") for k in prof if k not in ("tags", "internal")] + prof["tags"]
    out += [e.text for e in p.entries] + [m.note for m in p.moods]
    out += [f.note for f in p.follow_ups] + [f.outcome or "" for f in p.follow_ups]
    return out


@pytest.fixture(scope="module")
def crowd() -> list[NewPerson]:
    return list(generate_people(2000, seed=7, now=NOW))


# -- determinism ------------------------------------------------------------------------
def test_same_seed_same_people_different_seed_different_people():
    first = list(generate_people(300, seed=7, now=NOW))
    assert first == list(generate_people(300, seed=7, now=NOW))
    other = list(generate_people(300, seed=8, now=NOW))
    assert first != other
    names = [p.profile["name"] for p in first]
    assert sum(a != p.profile["name"] for a, p in zip(names, other, strict=True)) > 200


def test_now_must_be_timezone_aware():
    with pytest.raises(ValueError, match="timezone-aware"):
        next(generate_people(1, now=datetime(2026, 1, 1)))
    with pytest.raises(ValueError, match="timezone-aware"):
        essay_people(datetime(2026, 1, 1))


# -- Jim, Margo and Alecia --------------------------------------------------------------
def test_the_essay_people_are_as_described():
    jim, margo, alecia = essay_people(NOW)
    for p in (jim, margo, alecia):
        assert p.profile["matters"]
        assert 5 <= timeline_size(p) <= 10
        agents = {e.agent for e in p.entries} | {m.agent for m in p.moods}
        assert len(agents | {f.agent for f in p.follow_ups}) >= 3

    assert jim.profile["pace"] == "unhurried" and jim.profile["channel"] == "email"
    assert all(m.level >= 3 for m in jim.moods)  # calm
    (jim_open,) = [f for f in jim.follow_ups if f.done_at is None]
    assert timedelta(days=6) < jim_open.due_at - NOW < timedelta(days=8)

    assert margo.profile["pace"] == "brisk" and margo.profile["channel"] == "phone"
    assert margo.profile["company"] == "Fairweather Ltd"
    latest = max(margo.moods, key=lambda m: m.at)
    assert latest.level == 2 and "deadline" in latest.note
    (margo_open,) = [f for f in margo.follow_ups if f.done_at is None]
    assert margo_open.note == MARGO_FOLLOW_UP and margo_open.due_at < NOW

    latest = max(alecia.moods, key=lambda m: m.at)
    assert latest.level <= 2 and latest.note == ALECIA_MOOD_NOTE
    assert latest.at.date() == NOW.date()
    (alecia_open,) = [f for f in alecia.follow_ups if f.done_at is None]
    assert NOW < alecia_open.due_at < NOW + timedelta(days=2)


# -- the mix ----------------------------------------------------------------------------
def scripts_of(names: list[str]) -> set[str]:
    found = set()
    for name in names:
        for ch in name:
            if ch.isalpha():
                word = unicodedata.name(ch, "?").split()[0]
                if word == "LATIN" and "WITH" in unicodedata.name(ch):
                    word = "LATIN ACCENTED"
                found.add({"CJK": "HAN", "HIRAGANA": "KANA", "KATAKANA": "KANA"}.get(word, word))
    return found


def test_names_come_from_many_scripts_and_stay_pleasant(crowd):
    names = [p.profile["name"] for p in crowd]
    assert {
        "LATIN",
        "LATIN ACCENTED",
        "HAN",
        "HANGUL",
        "CYRILLIC",
        "ARABIC",
        "DEVANAGARI",
        "GREEK",
        "HEBREW",
    } <= scripts_of(names)
    assert {"Zoë Müller", "王小明", "Дмитрий Иванов", "Łukasz Wójcik"} <= set(names)
    assert names.count("[bold]Eve[/] Markup") == 1
    texts = [t for p in crowd for t in all_texts(p)]
    assert sum("[@click=app.quit]" in t for t in texts) == 1
    assert not [t for t in texts if any(unicodedata.category(c) == "Cc" for c in t)]


def test_profiles_are_consistent(crowd):
    internal = [p for p in crowd if p.profile["internal"]]
    assert 0.08 < len(internal) / len(crowd) < 0.25
    assert all(p.profile["company"] == OUR_COMPANY and p.profile["tags"] for p in internal)
    for p in crowd:
        prof = p.profile
        ZoneInfo(prof["timezone"])
        assert prof["pace"] in ("unhurried", "normal", "brisk")
        assert prof["channel"] in ("phone", "email", "chat", "in person", "video")
        assert prof["phone"] == "" or prof["phone"][0] == "+" or prof["phone"].startswith("ext.")
    phones = {p.profile["phone"].split()[0] for p in crowd if p.profile["phone"]}
    assert {"+1", "+44", "+49", "+33", "+81", "+86", "+7"} <= phones
    assert Counter(p.profile["language"] for p in crowd).most_common(1)[0][0] == "English"
    assert sum(1 for p in crowd if p.profile["matters"]) > len(crowd) / 2
    assert sum(1 for p in crowd if p.profile["email"] is None) > 0


def check_times(people: list[NewPerson], now: datetime) -> None:
    """Everything happened at or before ``now``, in order; only open follow-ups lie ahead."""
    for p in people:
        assert p.created_at <= now
        for e in p.entries:
            assert p.created_at <= e.at <= now, (p.profile["name"], e)
        for m in p.moods:
            assert p.created_at <= m.at <= now
        for f in p.follow_ups:
            assert p.created_at <= f.created_at <= now
            if f.done_at is not None:
                assert f.created_at <= f.done_at <= now and f.due_at <= now


def test_histories_are_small_varied_and_never_in_the_future(crowd):
    check_times(crowd, NOW)
    check_times(essay_people(NOW), NOW)
    sizes = [timeline_size(p) for p in crowd]
    assert min(sizes) >= 1 and max(sizes) <= 8
    assert 3 <= sum(sizes) / len(sizes) <= 6
    channels = {e.channel for p in crowd for e in p.entries if e.kind == "contact"}
    assert channels == {"phone", "email", "chat", "in person", "video"}
    agents = {e.agent for p in crowd for e in p.entries}
    assert {"ana", "bo", "chidi", "dara"} <= agents
    done = [f for p in crowd for f in p.follow_ups if f.done_at is not None]
    assert sum(bool(f.outcome) for f in done) > 0.8 * len(done)
    trends = Counter()
    for p in crowd:
        levels = [m.level for m in sorted(p.moods, key=lambda m: m.at)]
        if len(levels) > 1:
            trends[(levels[-1] > levels[0]) - (levels[-1] < levels[0])] += 1
    assert trends[1] > 10 and trends[-1] > 10  # some improving, some worsening


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 11, 23, 0, 0, 5, tzinfo=UTC),
        datetime(2026, 11, 23, 23, 59, 50, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=ZoneInfo("Europe/Berlin")),  # DST starts
        datetime(2026, 6, 1, 17, 45, tzinfo=ZoneInfo("Asia/Kolkata")),
    ],
)
def test_awkward_clocks_keep_the_rules(now):
    people = essay_people(now) + list(generate_people(400, seed=3, now=now))
    check_times(people, now)
    end_of_day = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    end_of_day = end_of_day.replace(tzinfo=now.tzinfo)
    due = [f.due_at for p in people for f in p.follow_ups if f.done_at is None]
    assert any(d < now for d in due) and any(now <= d < end_of_day for d in due)


def test_emails_are_unique_and_plausible_at_20k():
    crowd = list(generate_people(20_000, now=NOW, history=False))
    assert not any(p.entries or p.moods or p.follow_ups for p in crowd)  # profiles only
    emails = [p.profile["email"] for p in crowd]
    present = [e for e in emails if e is not None]
    assert 0.85 * len(emails) < len(present) < len(emails)
    assert len(set(present)) == len(present)
    assert not set(present) & set(EMAILS)
    assert all(EMAIL.match(e) for e in present)
    assert sum(not re.search(r"\d@", e) for e in present) > len(present) / 2  # most plain


def test_emails_stay_unique_past_the_memory_cap(monkeypatch):
    monkeypatch.setattr(people_module, "SEEN_CAP", 50)
    emails = [p.profile["email"] for p in generate_people(3000, now=NOW, history=False)]
    present = [e for e in emails if e is not None]
    assert len(set(present)) == len(present)


# -- in a database ----------------------------------------------------------------------
def test_populate_stores_everyone_with_their_history(db_url):
    engine = open_engine(db_url)
    try:
        progress: list[int] = []
        assert populate(engine, count=40, now=NOW, on_progress=progress.append) == 43
        assert progress[-1] == 43
        expected = essay_people(NOW) + list(generate_people(40, now=NOW))
        with engine.connect() as conn:
            count = {
                t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar()
                for t in ("person", "entry", "mood", "follow_up", "message", "message_raw")
            }
        assert count["message"] == count["message_raw"] == 5  # Margo and four quiet people
        del count["message"], count["message_raw"]
        assert count == {
            "person": 43,
            "entry": sum(timeline_size(p) for p in expected) + 5,  # a "message" entry each
            "mood": sum(len(p.moods) for p in expected),
            "follow_up": sum(len(p.follow_ups) for p in expected),
        }
        desk = Desk(engine, "ana", clock=lambda: NOW)
        names = [desk.get_person(i).name for i in (1, 2, 3)]
        assert names == ["Jim Okafor", "Margo Fairweather", "Alecia Brandt"]
        margo = desk.detail(2)
        assert [f.note for f in margo.open_follow_ups] == [MARGO_FOLLOW_UP]
        assert desk.detail(3).mood.note == ALECIA_MOOD_NOTE
    finally:
        engine.dispose()


def test_the_queue_has_every_kind_of_person(sqlite_url):
    engine = open_engine(sqlite_url)
    try:
        populate(engine, now=NOW)
        desk = Desk(engine, "ana", clock=lambda: NOW)
        queue = Directory(desk, tz=ZoneInfo("UTC"), clock=lambda: NOW).load()
    finally:
        engine.dispose()
    counts = queue.counts
    assert len(queue) == 303
    assert counts["overdue"] >= 8 and counts["due_today"] >= 4
    assert counts["bad_mood"] >= 5 and counts["at_risk"] >= 8
    assert counts["rest"] > 150
    reasons = [queue.reason(i) for i in range(len(queue)) if queue.category(i) == "at_risk"]
    assert any("quiet" in r for r in reasons) and any("no follow-up" in r for r in reasons)
    assert counts["waiting"] == 3  # two people wrote, one sent HTML; the autoreply waits not
    waiting = [queue.reason(i) for i in range(len(queue)) if queue.category(i) == "waiting"]
    assert waiting[0] == "wrote 1d ago · waiting" and waiting[-1] == "wrote 18m ago · waiting"
    assert queue.category(queue.position_of(2)) == "overdue"  # Margo (her mail waits too)
    assert queue.category(queue.position_of(3)) == "bad_mood"  # Alecia


def test_demo_database_is_new_and_outside_the_users_data(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    first, second = demo_database(NOW), demo_database(NOW)
    assert first != second
    for url in (first, second):
        path = Path(url.removeprefix("sqlite:///"))
        assert path.is_file() and path.parent.parent == tmp_path / "tmp"
        assert path.parent.name.startswith("deskterm-demo-")
    assert not (tmp_path / "data").exists() and not (tmp_path / "home").exists()
    engine = open_engine(first)
    try:
        assert Desk(engine, "ana").count_people() == 303
    finally:
        engine.dispose()
