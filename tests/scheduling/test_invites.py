"""Invites as a real SMTP server receives them: one private message per person, valid iCalendar."""

import re

import pytest
from icalendar import Calendar

from cases.models import NoteKind
from cases.services import note_write
from scheduling.invites import invite_calendar, one_line, plain_text
from scheduling.models import Attendee
from scheduling.services import (
    attendee_add,
    attendee_remove,
    session_cancel,
    session_reschedule,
)
from scheduling.services.sessions import load_attendees
from tests.scheduling.conftest import FATIMA, JAN, TOLK, at, deliver

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Kamer 1;2,3 \\ C:\\Nieuw\r\nEND:VEVENT\nBEGIN:VEVENT\rSUMMARY:gekaapt 🎉🙂 "
    + "lange tekst " * 20
)[:200]


def invites(smtp_server, address):
    return [r for r in smtp_server.to(address) if "invite.ics" in r.raw.decode("ascii", "replace")]


def test_each_recipient_gets_one_private_message_with_text_html_calendar_and_attachment(
    case, schedule, smtp_server, personas
):
    schedule(case)
    deliver()

    for address in (JAN, FATIMA, TOLK, personas.comediator.email):
        (received,) = invites(smtp_server, address)
        assert received.rcpt_tos == [address]
        message = received.message
        assert message["To"] == address
        types = [part.get_content_type() for part in message.walk()]
        assert types[:5] == [
            "multipart/mixed",
            "multipart/alternative",
            "text/plain",
            "text/html",
            "text/calendar",
        ]
        calendar_part = received.calendar_part()
        assert calendar_part.get_param("method") == "REQUEST"
        assert calendar_part.get_content_charset() == "utf-8"
        assert received.ics().decode() == calendar_part.get_content().replace("\r\n", "\n").replace(
            "\n", "\r\n"
        )
        calendar = received.calendar()
        assert calendar["METHOD"] == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        attendee = event["ATTENDEE"]
        assert not isinstance(attendee, list), "exactly one ATTENDEE: the recipient"
        assert str(attendee) == f"mailto:{address}"
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert str(event["ORGANIZER"]) == "mailto:tafel@localhost"
        assert event["ORGANIZER"].params["CN"] == personas.mediator.get_full_name()
        assert event["STATUS"] == "CONFIRMED"
        assert event["SEQUENCE"] == 0
        assert "DTSTAMP" in event
        (timezone,) = calendar.walk("VTIMEZONE")
        assert timezone["TZID"] == "Europe/Amsterdam"


def test_the_lead_mediator_organises_and_gets_no_invite(case, schedule, smtp_server, personas):
    schedule(case)
    deliver()

    assert invites(smtp_server, personas.mediator.email) == []


def test_no_message_carries_another_partys_address_or_any_note_text(
    case, schedule, smtp_server, personas
):
    note_write(
        case=case,
        author=personas.mediator,
        kind=NoteKind.WORKING,
        title="Geheime notitie XQZ",
        body="Wat Jan vertelde over de buren: XQZ-VERTROUWELIJK",
    )
    session = schedule(case, accessibility_notes="Ingang aan de zijkant.")
    session_reschedule(session=session, actor=personas.mediator, place="Wijkcentrum De Bron")
    session_cancel(session=session, actor=personas.mediator)
    deliver()

    addresses = {JAN, FATIMA, TOLK, personas.comediator.email, personas.coordinator.email}
    received = [r for r in smtp_server.received if "invite.ics" in r.raw.decode("ascii", "replace")]
    assert len(received) == 4 * 3
    for message in received:
        (own,) = message.rcpt_tos
        decoded = (
            b"".join(part.get_payload(decode=True) or b"" for part in message.message.walk())
            + message.raw
        )
        for other in addresses - {own}:
            assert other.encode() not in decoded, (own, other)
        assert b"XQZ" not in decoded
        for header, value in message.message.items():
            for other in addresses - {own}:
                assert other not in str(value), header


def test_hostile_place_text_gives_one_event_with_the_text_intact(case, schedule, smtp_server):
    schedule(case, place=HOSTILE, accessibility_notes=HOSTILE)
    deliver()

    (received,) = invites(smtp_server, JAN)
    ics = received.ics()
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    # Line breaks of any kind come back as one: "\n" (iCalendar has no other).
    expected = HOSTILE.replace("\r\n", "\n").replace("\r", "\n")
    assert str(event["LOCATION"]) == expected
    assert expected in str(event["DESCRIPTION"])
    lines = ics.split(b"\r\n")
    # The typed "END:VEVENT" stays inside its (escaped, folded) value: never a line of its own.
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VEVENT") == 1
    assert lines[-1] == b"" and b"\n" not in ics.replace(b"\r\n", b"")
    assert b"\r" not in ics.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    # The subject never carries typed text.
    assert "END:VEVENT" not in received.message["Subject"]
    assert "Kamer" not in received.message["Subject"]


def test_a_line_break_in_the_place_never_reaches_a_header(case, schedule, smtp_server):
    schedule(case, place="Stadhuis\r\nBcc: spion@example.com\r\nX-Injected: ja")
    deliver()

    for received in smtp_server.received:
        assert "spion@example.com" not in received.rcpt_tos
        assert received.message["Bcc"] is None
        assert received.message["X-Injected"] is None


def test_sessions_in_july_and_january_carry_summer_and_winter_offsets(case, schedule):
    summer = schedule(case, starts_at=at(2027, 7, 6, 14))
    winter = schedule(case, starts_at=at(2028, 1, 11, 14))
    jan = Attendee.objects.get(session=summer, participation__party__name="Jan de Vries")

    for session, offset in ((summer, "+02:00"), (winter, "+01:00")):
        attendee = session.attendees.get(participation=jan.participation)
        event = Calendar.from_ical(
            invite_calendar(session=session, attendee=attendee, method="REQUEST")
        ).walk("VEVENT")[0]
        start = event.decoded("DTSTART")
        assert start.isoformat().endswith(offset)
        assert start.hour == 14
        assert str(start.tzinfo) == "Europe/Amsterdam"


def test_reschedule_keeps_the_uid_and_raises_the_sequence(case, schedule, smtp_server, personas):
    session = schedule(case)
    session_reschedule(
        session=session,
        actor=personas.mediator,
        starts_at=at(2027, 7, 7, 10),
        ends_at=at(2027, 7, 7, 12),
    )
    deliver()

    first, second = invites(smtp_server, JAN)
    assert first.event()["UID"] == second.event()["UID"] == f"{session.uid}@tafel"
    assert (first.event()["SEQUENCE"], second.event()["SEQUENCE"]) == (0, 1)
    assert second.calendar()["METHOD"] == "REQUEST"
    assert second.event().decoded("DTSTART").hour == 10
    assert second.message["Subject"].startswith("Gewijzigd:")  # Jan reads Dutch


def test_cancel_sends_method_cancel_with_the_same_uid_and_a_higher_sequence(
    case, schedule, smtp_server, personas
):
    session = schedule(case)
    session_cancel(session=session, actor=personas.mediator)
    deliver()

    for address in (JAN, FATIMA, TOLK):
        request, cancel = invites(smtp_server, address)
        assert cancel.calendar()["METHOD"] == "CANCEL"
        assert cancel.calendar_part().get_param("method") == "CANCEL"
        assert cancel.event()["STATUS"] == "CANCELLED"
        assert cancel.event()["UID"] == request.event()["UID"]
        assert cancel.event()["SEQUENCE"] > request.event()["SEQUENCE"]
        assert "/invite/" not in cancel.message.get_body(("plain",)).get_content()


def test_removing_an_attendee_cancels_for_them_only(case, schedule, smtp_server, personas):
    session = schedule(case)
    tolk = session.attendees.get(participation__party__name="Tolk Ahmed")
    attendee_remove(attendee=tolk, actor=personas.mediator)
    deliver()

    request, cancel = invites(smtp_server, TOLK)
    assert cancel.calendar()["METHOD"] == "CANCEL"
    assert cancel.event()["SEQUENCE"] > request.event()["SEQUENCE"]
    # The session goes ahead: no STATUS:CANCELLED (RFC 5546 3.2.5), and the email says so.
    assert "STATUS" not in cancel.event()
    assert cancel.message["Subject"].startswith(
        "Niet meer verwacht:"
    )  # the interpreter reads Dutch
    text = cancel.message.get_body(("plain",)).get_content()
    assert "niet meer verwacht" in text and "geannuleerd" not in text
    assert len(invites(smtp_server, JAN)) == 1
    session.refresh_from_db()
    assert session.sequence == 0  # the others' answer links keep working


def test_someone_taken_off_and_invited_again_gets_a_later_sequence_and_dtstamp(
    case, schedule, smtp_server, personas
):
    session = schedule(case)
    tolk = session.attendees.get(participation__party__name="Tolk Ahmed")
    attendee_remove(attendee=tolk, actor=personas.mediator)
    attendee_add(session=session, participation=tolk.participation, actor=personas.mediator)
    attendee_remove(
        attendee=session.attendees.active().get(participation=tolk.participation),
        actor=personas.mediator,
    )
    attendee_add(session=session, participation=tolk.participation, actor=personas.mediator)
    deliver()

    messages = invites(smtp_server, TOLK)
    assert [m.calendar()["METHOD"] for m in messages] == [
        "REQUEST",
        "CANCEL",
        "REQUEST",
        "CANCEL",
        "REQUEST",
    ]
    sequences = [m.event()["SEQUENCE"] for m in messages]
    stamps = [m.event().decoded("DTSTAMP") for m in messages]
    # All within a second or two: the stamps still rise, as the sequences do.
    assert sequences == sorted(set(sequences))
    assert stamps == sorted(set(stamps))


def test_invites_speak_the_recipients_language_and_name_needs_in_plain_words(
    case, schedule, smtp_server
):
    schedule(case, step_free_access=True, kind="intake")
    deliver()

    (english,) = invites(smtp_server, FATIMA)
    (dutch,) = invites(smtp_server, JAN)
    assert english.event()["SUMMARY"] == f"Individual intake, case {case.reference}"
    assert "An interpreter is present." in english.event()["DESCRIPTION"]
    assert "The place has step-free access." in english.event()["DESCRIPTION"]
    assert re.search(r"(?i)tuesday|july", english.message["Subject"])
    # Dutch dates for the Dutch reader (the Dutch words arrive with the translations).
    assert re.search(r"dinsdag 6 juli 2027", dutch.message["Subject"])


@pytest.mark.parametrize(
    ("typed", "line", "text"),
    [
        ("Stadhuis, kamer 2.14", "Stadhuis, kamer 2.14", "Stadhuis, kamer 2.14"),
        (" Stadhuis  kamer ", "Stadhuis kamer", " Stadhuis  kamer "),
        ("Jan\u00a0de\u2028Vries", "Jan de Vries", "Jan\u00a0de\u2028Vries"),
        ("Zaal\r\n1\r2\n3\t4", "Zaal 1 2 3 4", "Zaal\n1\n2\n3\t4"),
        ("Bel\x07 aan\x1b[31m", "Bel aan [31m", "Bel aan[31m"),
        ("Zacht\u00adafbreken", "Zacht afbreken", "Zacht\u00adafbreken"),
    ],
)
def test_typed_text_is_cleaned_the_same_with_or_without_controls(typed, line, text):
    assert one_line(typed) == line
    assert plain_text(typed) == text


def test_the_attendees_and_their_addresses_load_in_one_query(
    case, schedule, django_assert_num_queries
):
    session = schedule(case)
    with django_assert_num_queries(1):
        load_attendees(session)
        addresses = {attendee.email for attendee in session.attendees.all()}

    assert "jan.devries@example.nl" in addresses
