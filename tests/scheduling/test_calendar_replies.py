"""Answers pressed in calendar programs reach the session: iTIP REPLY read over real IMAP.

A real dovecot holds the organizer's mailbox (tests/imap.py); REPLY messages are built the way
Outlook, Gmail and Apple build them (reply_messages.py) from the invite each attendee received
over real SMTP, and put into the mailbox. One `inbox_fetch()` then reads them.
"""

import time
import uuid
from email.mime.text import MIMEText

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from mediation import inbox, jobs
from mediation.inbox import inbox_fetch
from mediation.models import InboxCursor, OutboxMessage
from scheduling.models import AnswerChannel, Rsvp
from scheduling.services import attendee_remove, session_cancel, session_reschedule
from tests.scheduling.conftest import FATIMA, JAN, at, deliver
from tests.scheduling.reply_messages import SHAPES, gmail_reply

pytestmark = pytest.mark.django_db

DONE = "Tafel processed"
REFUSED = "Tafel refused"
ANSWERS = [Rsvp.ACCEPTED, Rsvp.TENTATIVE, Rsvp.DECLINED]


def invites_to(smtp_server, address):
    """The invites (and cancellations) `address` received, oldest first."""
    return [r for r in smtp_server.to(address) if b"invite.ics" in r.raw]


def invite_event(smtp_server, address):
    """The VEVENT of the newest invite `address` received."""
    return invites_to(smtp_server, address)[-1].event()


def answer_of(session, name):
    return session.attendees.get(participation__party__name=name).rsvp


def put(mailbox, *messages: bytes) -> None:
    with mailbox.client() as client:
        for raw in messages:
            client.append("INBOX", raw)


def folder(mailbox, name) -> list[bytes]:
    """The messages in folder `name` (none if it does not exist), read without marking them."""
    with mailbox.client() as client:
        if not client.folder_exists(name):
            return []
        client.select_folder(name, readonly=True)
        fetched = client.fetch(client.search(["ALL"]), ["BODY.PEEK[]", "FLAGS"])
        return [data[b"BODY[]"] for _, data in sorted(fetched.items())]


def unseen_in_inbox(mailbox) -> int:
    with mailbox.client() as client:
        client.select_folder("INBOX", readonly=True)
        return len(client.search(["UNSEEN"]))


@pytest.fixture
def invited(case, schedule, smtp_server, mailbox):
    """A joint session; every invite sent over SMTP, with the mailbox as its organizer."""
    session = schedule(case)
    deliver()
    return session


def reply(shape, smtp_server, address, answer, **overrides):
    name = {JAN: "Jan de Vries", FATIMA: "Fatima el Amrani"}.get(address, "Iemand")
    event = invite_event(smtp_server, overrides.pop("invite_of", address))
    organizer = str(event["ORGANIZER"]).removeprefix("mailto:")
    return SHAPES[shape](
        event, address=address, name=name, answer=answer, organizer=organizer, **overrides
    )


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("answer", ANSWERS)
def test_an_answer_pressed_in_a_calendar_program_is_recorded_audited_and_filed(
    shape, answer, invited, smtp_server, mailbox, client, personas
):
    put(mailbox, reply(shape, smtp_server, JAN, answer))

    report = inbox_fetch()

    assert report.outcomes == {"answer recorded": 1}
    jan = invited.attendees.get(participation__party__name="Jan de Vries")
    assert jan.rsvp == answer
    assert jan.responded_via == AnswerChannel.CALENDAR
    fatima = invited.attendees.get(participation__party__name="Fatima el Amrani")
    assert fatima.rsvp == Rsvp.NEEDS_ACTION
    event = AuditEvent.objects.get(action="session.rsvp")
    assert event.details == {
        "session": invited.pk,
        "answer": answer,
        "sequence": invited.sequence,
        "via": "calendar",
    }
    assert event.actor_label == "invitee (calendar program)"
    # Filed: out of the inbox, into the done folder.
    assert len(folder(mailbox, "INBOX")) == 0
    assert len(folder(mailbox, DONE)) == 1
    # The mediators see it on the session page, and hear of a decline (lead and co-mediator).
    client.force_login(personas.mediator)
    page = client.get(reverse("scheduling:detail", args=[invited.case_id, invited.pk]))
    assert "their calendar program" in page.content.decode()
    declined_notices = OutboxMessage.objects.filter(purpose="notice.party_declined").count()
    assert declined_notices == (2 if answer == Rsvp.DECLINED else 0)


def test_one_round_reads_answers_of_several_attendees_and_programs(invited, smtp_server, mailbox):
    put(
        mailbox,
        reply("outlook", smtp_server, JAN, "declined"),
        reply("gmail", smtp_server, FATIMA, "accepted"),
    )

    report = inbox_fetch()

    assert report.outcomes == {"answer recorded": 2}
    answers = dict(invited.attendees.values_list("participation__party__name", "rsvp"))
    assert answers["Jan de Vries"] == Rsvp.DECLINED
    assert answers["Fatima el Amrani"] == Rsvp.ACCEPTED
    assert inbox_fetch().outcomes == {}, "a second round reads nothing again"


def test_a_reply_to_an_older_revision_changes_nothing_and_is_filed(
    invited, smtp_server, mailbox, personas
):
    old_invite = reply("outlook", smtp_server, JAN, "accepted")
    session_reschedule(
        session=invited,
        actor=personas.mediator,
        starts_at=at(2027, 7, 7, 14),
        ends_at=at(2027, 7, 7, 16),
    )
    put(mailbox, old_invite)

    report = inbox_fetch()

    assert report.outcomes == {"answer out of date, nothing changed": 1}
    assert answer_of(invited, "Jan de Vries") == Rsvp.NEEDS_ACTION
    assert not AuditEvent.objects.filter(action="session.rsvp").exists()
    assert len(folder(mailbox, DONE)) == 1


def test_a_reply_to_the_new_revision_after_a_change_is_recorded(
    invited, smtp_server, mailbox, personas
):
    invited = session_reschedule(
        session=invited,
        actor=personas.mediator,
        starts_at=at(2027, 7, 7, 14),
        ends_at=at(2027, 7, 7, 16),
    )
    deliver()
    put(mailbox, reply("apple", smtp_server, JAN, "tentative"))

    assert inbox_fetch().outcomes == {"answer recorded": 1}
    jan = invited.attendees.get(participation__party__name="Jan de Vries")
    assert (jan.rsvp, invited.sequence) == (Rsvp.TENTATIVE, 1)


def test_replies_for_cancelled_sessions_or_people_taken_off_change_nothing(
    case, schedule, smtp_server, mailbox, personas
):
    first = schedule(case)
    second = schedule(case, starts_at=at(2027, 7, 8, 10))
    deliver()
    answers = [
        reply("gmail", smtp_server, JAN, "accepted"),  # the second session's invite: newest
        reply("gmail", smtp_server, FATIMA, "accepted"),
    ]
    session_cancel(session=second, actor=personas.mediator)
    attendee_remove(
        attendee=first.attendees.get(participation__party__name="Fatima el Amrani"),
        actor=personas.mediator,
    )
    # Fatima's newest invite is the second session's too: answer the first one's.
    fatima_first = next(
        event
        for event in (r.event() for r in invites_to(smtp_server, FATIMA))
        if event["UID"] == f"{first.uid}@tafel"
    )
    answers[1] = gmail_reply(
        fatima_first, address=FATIMA, name="Fatima", answer="accepted", organizer=mailbox.user
    )
    put(mailbox, *answers)

    report = inbox_fetch()

    assert sum(report.outcomes.values()) == 2
    assert set(report.outcomes) <= {
        "answer out of date, nothing changed",
        "session no longer open to answers, nothing changed",
    }
    assert not AuditEvent.objects.filter(action="session.rsvp").exists()


def test_a_reply_from_someone_who_was_not_invited_changes_nothing_and_is_refused(
    invited, smtp_server, mailbox, caplog
):
    # A forwarded invite answered by its new reader.
    stranger = reply("outlook", smtp_server, "buurman@example.nl", "accepted", invite_of=JAN)
    put(mailbox, stranger)

    report = inbox_fetch()

    assert report.outcomes == {"calendar reply from someone who was not invited": 1}
    assert not AuditEvent.objects.filter(action="session.rsvp").exists()
    assert len(folder(mailbox, REFUSED)) == 1
    assert "not invited" in caplog.text
    assert "buurman" not in caplog.text, "the log names no address"


def test_a_reply_for_an_unknown_session_changes_nothing_and_is_refused(
    invited, smtp_server, mailbox
):
    forged = [
        reply("gmail", smtp_server, JAN, "declined", uid=f"{uuid.uuid4()}@tafel"),
        reply("gmail", smtp_server, JAN, "declined", uid="someone-elses-event@google.com"),
    ]
    put(mailbox, *forged)

    report = inbox_fetch()

    assert report.outcomes == {"calendar reply for an unknown session": 2}
    assert answer_of(invited, "Jan de Vries") == Rsvp.NEEDS_ACTION
    assert len(folder(mailbox, REFUSED)) == 2


def test_a_reply_in_an_attendees_name_from_another_sender_is_refused(invited, smtp_server, mailbox):
    put(mailbox, reply("outlook", smtp_server, JAN, "declined", sender="spoof@example.org"))

    report = inbox_fetch()

    assert report.outcomes == {"calendar reply sent by someone else than its attendee": 1}
    assert answer_of(invited, "Jan de Vries") == Rsvp.NEEDS_ACTION


def test_a_reply_for_a_revision_that_was_never_sent_is_refused(invited, smtp_server, mailbox):
    put(mailbox, reply("apple", smtp_server, JAN, "accepted", sequence=7))

    assert inbox_fetch().outcomes == {"calendar reply for a revision that was never sent": 1}
    assert answer_of(invited, "Jan de Vries") == Rsvp.NEEDS_ACTION


def test_a_malformed_reply_is_refused_and_changes_nothing(invited, mailbox):
    broken = MIMEText("BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nnonsense", "calendar")
    broken.set_param("method", "REPLY")
    broken["From"] = JAN
    broken["Subject"] = "Accepted"
    put(mailbox, broken.as_bytes())

    assert inbox_fetch().outcomes == {"calendar reply cannot be read": 1}
    assert not AuditEvent.objects.filter(action="session.rsvp").exists()
    assert len(folder(mailbox, REFUSED)) == 1


def test_other_mail_stays_in_the_inbox_unread_and_is_not_read_again(invited, smtp_server, mailbox):
    note = MIMEText("Beste mediator, ik kom iets later. Groet, Jan")
    note["From"] = JAN
    note["Subject"] = "Re: Uitnodiging"
    out_of_office = MIMEText("Ik ben afwezig tot maandag.")
    out_of_office["From"] = FATIMA
    out_of_office["Auto-Submitted"] = "auto-replied"
    # An invite someone forwarded to the mailbox is a REQUEST, not an answer.
    forwarded = invites_to(smtp_server, JAN)[0]
    put(mailbox, note.as_bytes(), out_of_office.as_bytes(), forwarded.raw)

    report = inbox_fetch()

    assert report.outcomes == {}
    assert report.left == 3
    assert unseen_in_inbox(mailbox) == 3, "still unread, for a person"
    assert not AuditEvent.objects.filter(action="session.rsvp").exists()
    again = inbox_fetch()
    assert again.left == 0, "the cursor keeps them from being downloaded on every round"
    assert len(folder(mailbox, "INBOX")) == 3


def test_a_renumbered_folder_is_read_again_from_the_start(invited, smtp_server, mailbox):
    put(mailbox, reply("gmail", smtp_server, JAN, "accepted"))
    InboxCursor.objects.update_or_create(
        mailbox=f"{mailbox.host}/{mailbox.user}/INBOX", defaults={"uidvalidity": 1, "last_uid": 99}
    )

    assert inbox_fetch().outcomes == {"answer recorded": 1}


def test_the_worker_reads_the_mailbox_and_fetch_mail_reads_it_once(
    invited, smtp_server, mailbox, monkeypatch
):
    put(mailbox, reply("outlook", smtp_server, JAN, "declined"))
    monkeypatch.setattr(jobs._jobs["mailbox"], "last_run", float("-inf"))

    call_command("run_worker", "--once")

    assert answer_of(invited, "Jan de Vries") == Rsvp.DECLINED
    put(mailbox, reply("outlook", smtp_server, FATIMA, "accepted"))
    call_command("fetch_mail")
    assert answer_of(invited, "Fatima el Amrani") == Rsvp.ACCEPTED


def test_a_mailbox_that_cannot_be_reached_is_said_in_one_line(settings, mailbox):
    settings.TAFEL_IMAP_PORT = 1  # nothing listens there
    started = time.monotonic()

    with pytest.raises(CommandError, match=r"cannot be read"):
        call_command("fetch_mail")

    assert time.monotonic() - started < settings.TAFEL_IMAP_TIMEOUT_SECONDS


def test_without_a_mailbox_configured_fetch_mail_says_so(settings):
    settings.TAFEL_IMAP_HOST = ""

    with pytest.raises(CommandError, match="TAFEL_IMAP_HOST is not set"):
        call_command("fetch_mail")


def test_invites_name_the_mailbox_as_organizer_and_the_mediator_as_its_name(
    invited, smtp_server, mailbox, personas
):
    event = invite_event(smtp_server, JAN)

    assert str(event["ORGANIZER"]) == f"mailto:{mailbox.user}"
    assert event["ORGANIZER"].params["CN"] == personas.mediator.get_full_name()


def test_an_answer_another_worker_handled_first_is_rolled_back_and_not_filed(
    invited, smtp_server, mailbox, monkeypatch
):
    put(mailbox, reply("gmail", smtp_server, JAN, "declined"))
    real = inbox._handlers["calendar replies"]

    def raced(message):
        handled = real(message)
        # Meanwhile another worker handled this message and moved the cursor past it.
        InboxCursor.objects.update(last_uid=10**6)
        return handled

    monkeypatch.setitem(inbox._handlers, "calendar replies", raced)

    report = inbox_fetch()

    assert report.outcomes == {}
    assert answer_of(invited, "Jan de Vries") == Rsvp.NEEDS_ACTION, "rolled back"
    assert not AuditEvent.objects.filter(action="session.rsvp").exists()
    assert len(folder(mailbox, "INBOX")) == 1, "not filed twice"
