"""Fetching from a real IMAP server (Dovecot, started by the test)."""

from __future__ import annotations

import imaplib

import pytest
from sqlalchemy import text

from deskterm.errors import StorageError
from deskterm.mail.imap import FetchError, ImapSource
from deskterm.services.mail import Mail
from deskterm.services.mail_fetch import fetch_once
from dovecot import PASSWORD, USER, dovecot_server
from mailmaker import mail as make_mail


@pytest.fixture
def imap():
    with dovecot_server() as server:
        yield server


def source(server, password_command=f"echo {PASSWORD}") -> ImapSource:
    return ImapSource("127.0.0.1", server.port, "none", USER, password_command, "INBOX")


def unseen(server) -> int:
    conn = imaplib.IMAP4("127.0.0.1", server.port)
    try:
        conn.login(USER, PASSWORD)
        conn.select("INBOX", readonly=True)
        _typ, data = conn.search(None, "UNSEEN")
        return len(data[0].split())
    finally:
        conn.logout()


def test_fetch_stores_unseen_mail_and_marks_it_seen_after(imap, desk):
    for i in range(3):
        imap.deliver(f"m{i}", make_mail(message_id=f"<imap{i}@x>", subject=f"Question {i}"))
    box = Mail(desk)
    assert unseen(imap) == 3
    assert fetch_once(box, source(imap)) == 3
    assert unseen(imap) == 0
    pid = box.message(1).message.person_id
    assert sorted(m.subject for m in box.messages(pid)) == [f"Question {i}" for i in range(3)]
    assert fetch_once(box, source(imap)) == 0  # nothing new, nothing twice


def test_a_message_whose_store_fails_stays_unseen(imap, desk, engine):
    imap.deliver("a", make_mail(message_id="<ok@x>", subject="fine"))
    imap.deliver("b", make_mail(message_id="<bad@x>", subject="poison"))
    with engine.begin() as conn:  # the database refuses one message, as a full disk would
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON message WHEN NEW.subject = 'poison' "
                    "BEGIN SELECT RAISE(ABORT, 'no space left'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    "IF NEW.subject = 'poison' THEN RAISE EXCEPTION 'no space left'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON message "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    box = Mail(desk)
    with pytest.raises(StorageError, match="no space left"):
        fetch_once(box, source(imap))
    assert unseen(imap) == 1
    with engine.begin() as conn:
        conn.execute(
            text("DROP TRIGGER refuse" + ("" if conn.dialect.name == "sqlite" else " ON message"))
        )
    assert fetch_once(box, source(imap)) == 1
    assert unseen(imap) == 0


def test_a_wrong_password_is_one_line_without_the_password(imap, desk):
    with pytest.raises(FetchError) as err:
        fetch_once(Mail(desk), source(imap, "echo wrong-pass"))
    assert "wrong-pass" not in str(err.value) and "\n" not in str(err.value)


def test_watching_picks_up_new_mail_without_a_restart(imap, desk):
    import threading
    import time

    box = Mail(desk)
    done = threading.Event()
    stored: list[int] = []
    errors: list[str] = []
    from deskterm.services.mail_fetch import watch

    worker = threading.Thread(
        target=watch,
        args=(box, source(imap)),
        kwargs={
            "stop": done.is_set,
            "poll_seconds": 30.0,
            "on_stored": stored.append,
            "on_error": errors.append,
        },
    )
    worker.start()
    try:
        time.sleep(1.0)  # watching (IDLE) before the mail arrives
        imap.deliver("late", make_mail(message_id="<late@x>", subject="late"))
        deadline = time.monotonic() + 20
        while not stored and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        done.set()
        worker.join(timeout=10)
    assert stored == [1] and errors == [] and not worker.is_alive()
    assert unseen(imap) == 0
