"""The mail service on both backends: receive, read, reply, queue, file, merge, erase."""

from __future__ import annotations

import pytest

from deskterm.config.settings import MailSection, ServerSection
from deskterm.errors import InvalidInput, NotFound
from deskterm.services.mail import Compose, Mail
from mailmaker import mail as make_mail

SETTINGS = MailSection(
    "Support <support@desk.example>",
    "Ana\nThe support team",
    ServerSection("", 0, "starttls", "", ""),
    ServerSection("", 0, "tls", "", ""),
)


@pytest.fixture
def box(desk):
    return Mail(desk, SETTINGS)


def test_incoming_mail_lands_on_the_sender_by_email_any_case(box, desk):
    jim = desk.add_person({"name": "Jim", "email": "jim@example.com"})
    got = box.receive(make_mail(sender="Jim B <JIM@Example.COM>"))
    assert got.message.person_id == jim.id and not got.new_person and not got.duplicate
    assert desk.timeline(jim.id)[0].kind == "message"
    assert desk.timeline(jim.id)[0].data["message"] == got.message.id


def test_unknown_sender_becomes_a_new_person_tagged_new(box, desk):
    got = box.receive(make_mail(sender="=?utf-8?q?Zo=C3=AB_M=C3=BCller?= <zoe@example.com>"))
    person = desk.get_person(got.message.person_id)
    assert got.new_person and person.name == "Zoë Müller" and person.tags == ("new",)
    assert person.email == "zoe@example.com"


def test_same_message_twice_is_stored_once(box, desk):
    first = box.receive(make_mail())
    again = box.receive(make_mail())
    assert again.duplicate and again.message.id == first.message.id
    assert len(box.messages(first.message.person_id)) == 1


def test_without_message_id_the_same_bytes_are_stored_once(box):
    data = make_mail(message_id=None)
    first, again = box.receive(data), box.receive(data)
    assert again.duplicate and again.message.id == first.message.id
    other = box.receive(make_mail(message_id=None, body="something else\n"))
    assert not other.duplicate


def test_raw_bytes_come_back_exactly(box):
    data = make_mail(body="caf\u00e9 \u2603\n") + b"\r\n\xff\xfe trailing junk"
    got = box.receive(data)
    assert box.raw(got.message.id) == data


def test_no_usable_sender_is_unsorted_until_filed(box, desk):
    got = box.receive(make_mail(sender="", message_id="<lost@x>"))
    assert got.message.person_id is None
    assert [m.id for m in box.unsorted()] == [got.message.id]
    jim = desk.add_person({"name": "Jim"})
    filed = box.file_unsorted(got.message.id, jim.id)
    assert filed.person_id == jim.id and box.unsorted() == []
    assert desk.summary_rows([jim.id])[0][-1] is not None  # now waiting


def test_reply_template_threads_and_never_stacks_re(box, desk):
    got = box.receive(
        make_mail(
            subject="RE: Aw: Re: refund",
            message_id="<m2@example.com>",
            headers={"References": "<m0@example.com> <m1@example.com>"},
        )
    )
    reply = box.reply_template(got.message.person_id)
    assert reply.subject == "Re: refund"
    assert reply.in_reply_to == "<m2@example.com>"
    assert reply.references == ("<m0@example.com>", "<m1@example.com>", "<m2@example.com>")
    assert reply.to == "Jim Baxter <jim@example.com>"
    above, _, below = reply.text.partition("-- \n")
    assert above.strip() == "" and "Ana" in below
    assert "> Hello, my order has not arrived." in below


def test_queue_stores_once_per_write_id_with_a_fixed_message_id(box, desk):
    jim = desk.add_person({"name": "Jim", "email": "jim@example.com"})
    compose = Compose(to="jim@example.com", subject="Hello", text="Hi Jim")
    first = box.queue_message(jim.id, compose, write_id="w-1")
    again = box.queue_message(jim.id, compose, write_id="w-1")
    assert again.id == first.id and first.status == "queued"
    assert first.message_id.endswith("@desk.example>")
    assert b"Message-ID: " + first.message_id.encode() in box.raw(first.id)
    assert [m.id for m in box.outbox()] == [first.id]


def test_queue_needs_a_sender_and_a_recipient(desk):
    jim = desk.add_person({"name": "Jim"})
    with pytest.raises(InvalidInput, match="from"):
        Mail(desk).queue_message(jim.id, Compose("jim@example.com", "s", "t"))
    with pytest.raises(InvalidInput, match="no mail address"):
        Mail(desk, SETTINGS).queue_message(jim.id, Compose("nobody", "s", "t"))


def test_thread_collects_the_conversation(box, desk):
    a = box.receive(make_mail(message_id="<a@x>"))
    b = box.receive(
        make_mail(message_id="<b@x>", headers={"In-Reply-To": "<a@x>", "References": "<a@x>"})
    )
    box.receive(make_mail(message_id="<c@x>", subject="something else"))
    assert [m.id for m in box.thread(b.message.id)] == [a.message.id, b.message.id]


def test_messages_page_newest_first(box, desk, clock):
    ids = []
    for i in range(5):
        clock.advance(minutes=1)
        ids.append(box.receive(make_mail(message_id=f"<p{i}@x>")).message.id)
    pid = box.message(ids[0]).message.person_id
    first = box.messages(pid, limit=3)
    rest = box.messages(pid, before=first[-1], limit=3)
    assert [m.id for m in first + rest] == ids[::-1]


def test_merge_moves_messages_and_erase_removes_them_with_raw(box, desk):
    jim = box.receive(make_mail()).message
    other = box.receive(make_mail(sender="j@other.example", message_id="<o@x>")).message
    desk.merge(jim.person_id, other.person_id)
    assert {m.id for m in box.messages(jim.person_id)} == {jim.id, other.id}
    desk.erase(jim.person_id)
    with pytest.raises(NotFound):
        box.raw(jim.id)
    with pytest.raises(NotFound):
        box.message(other.id)


def test_the_quick_summary_of_new_mail_matches_a_full_recount(box, desk, clock, engine):
    """Receiving updates waiting and subjects without re-reading the person; the result
    is what ``refresh_summary`` computes from the rows."""
    from sqlmodel import Session

    from deskterm.models import Person
    from deskterm.services.summary import refresh_summary

    def recount(pid: int) -> tuple:
        with Session(engine) as session:
            person = session.get(Person, pid)
            refresh_summary(session, person)
            return (person.s_subjects, person.s_waiting_since, person.s_last_activity)

    jim = box.receive(make_mail(message_id="<q1@x>", subject="First")).message.person_id
    as_stored = desk.search_rows([jim])[0][-1], *desk.summary_rows([jim])[0][-1:]
    assert (*as_stored, desk.summary_rows([jim])[0][9]) == recount(jim)  # a new person
    clock.advance(minutes=5)
    desk.log_contact(jim, "phone", "called back")
    clock.advance(minutes=5)
    box.receive(make_mail(message_id="<q2@x>", subject="Re: Second"))
    clock.advance(minutes=5)
    box.receive(make_mail(message_id="<q3@x>", subject="Away", headers={"Precedence": "bulk"}))
    quick = desk.search_rows([jim])[0][-1], desk.summary_rows([jim])[0][-1]
    with Session(engine) as session:
        person = session.get(Person, jim)
        refresh_summary(session, person)
        full = person.s_subjects, person.s_waiting_since
    assert quick == full
    assert full[1] is not None and full[0] == "Away Second First"


def test_a_reply_goes_to_the_reply_to_the_sender_asked_for(box):
    got = box.receive(make_mail(headers={"Reply-To": "Jim at home <jim@home.example>"}))
    assert box.reply_template(got.message.person_id).to == "Jim at home <jim@home.example>"


def test_mail_from_our_own_address_is_not_a_customer(box, desk):
    copy = box.receive(make_mail(sender="Support <SUPPORT@desk.example>", message_id="<own@x>"))
    assert copy.message.person_id is None and not copy.new_person
    assert [p.id for p in box.unsorted()] == [copy.message.id]


def test_a_copy_of_our_own_answer_coming_back_is_already_stored(box, desk):
    jim = desk.add_person({"name": "Jim", "email": "jim@example.com"})
    sent = box.queue_message(jim.id, Compose("jim@example.com", "Hello", "Hi Jim"))
    back = box.receive(box.raw(sent.id))  # a BCC or the server's Sent copy
    assert back.duplicate and back.message.id == sent.id
