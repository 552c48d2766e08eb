"""A mediator's private calendar feed: secret, revocable, cheap to poll, without personal data."""

from datetime import UTC

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar, Event

from audit.models import AuditEvent
from cases.services import case_assign
from scheduling import invites
from scheduling.feed import fold
from scheduling.models import CalendarFeed, Session, SessionStatus
from scheduling.services import (
    feed_create,
    feed_revoke,
    session_cancel,
    session_mark_held,
    session_reschedule,
)
from tests.scheduling.conftest import FATIMA, JAN, TOLK, at

LINK = "https://meet.example/tafel-kamer?id=1,2;3"

pytestmark = pytest.mark.django_db


def feed_url(token: str) -> str:
    return reverse("scheduling:feed", args=[token])


def test_the_feed_serves_the_mediators_sessions_without_addresses_or_notes(
    client, personas, case, schedule
):
    planned = schedule(case, accessibility_notes="Ingang aan de zijkant XQZ")
    cancelled = schedule(case, starts_at=at(2027, 7, 9, 10))
    session_cancel(session=cancelled, actor=personas.mediator)
    token = feed_create(user=personas.comediator)

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    calendar = Calendar.from_ical(body)
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"{planned.uid}@tafel"
    assert "ATTENDEE" not in event
    for secret in (JAN, FATIMA, TOLK, "XQZ", "Jan de Vries", "Fatima"):
        assert secret.encode() not in body, secret


def test_a_repeat_request_answers_304_until_a_session_changes(client, personas, case, schedule):
    session = schedule(case)
    token = feed_create(user=personas.mediator)
    first = client.get(feed_url(token))
    etag, modified = first["ETag"], first["Last-Modified"]

    assert client.get(feed_url(token), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(feed_url(token), HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    session_cancel(session=session, actor=personas.mediator)
    changed = client.get(feed_url(token), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert Calendar.from_ical(changed.content).walk("VEVENT") == []


def test_a_regenerated_or_revoked_token_stops_working(client, personas):
    old = feed_create(user=personas.mediator)
    new = feed_create(user=personas.mediator)

    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    feed_revoke(user=personas.mediator)
    assert client.get(feed_url(new)).status_code == 404
    assert client.get(feed_url("made-up")).status_code == 404
    assert AuditEvent.objects.filter(action="feed.created").count() == 2
    assert AuditEvent.objects.filter(action="feed.revoked").count() == 1


def test_only_the_tokens_hash_is_stored(personas):
    token = feed_create(user=personas.mediator)

    stored = CalendarFeed.objects.get(user=personas.mediator)
    assert token not in stored.token_hash and len(stored.token_hash) == 64


def test_the_feed_page_shows_a_new_address_once_and_revokes_it(client, personas):
    client.force_login(personas.mediator)
    url = reverse("scheduling:feed_settings")
    assert client.get(url).status_code == 200

    made = client.post(url, {"action": "create"}).content.decode()
    assert "/calendar/" in made and ".ics" in made
    assert ".ics" not in client.get(url).content.decode()

    client.post(url, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=personas.mediator).exists()


def test_people_without_the_mediator_role_have_no_feed_page(client, personas):
    for user in (personas.coordinator, personas.supervisor):
        client.force_login(user)
        assert client.get(reverse("scheduling:feed_settings")).status_code == 403


# The feed is written as text (scheduling.feed), not with icalendar: it must say the same.

HOSTILE = (
    "Kamer 1;2,3 \\ C:\\Nieuw\r\nEND:VEVENT\nBEGIN:VEVENT\rSUMMARY:gekaapt 🎉🙂 é "
    + "lange tekst " * 20
)[:200]
FEED_PROPERTIES = (
    "UID",
    "SEQUENCE",
    "DTSTAMP",
    "LAST-MODIFIED",
    "DTSTART",
    "DTEND",
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "URL",
    "STATUS",
    "TRANSP",
    "ORGANIZER",
)


def icalendar_event(session) -> Event:
    """The event as `invites` builds it with icalendar (the feed's description), written and
    read back."""
    session = Session.objects.select_related("case", "organizer").get(pk=session.pk)
    event = invites._event(
        session,
        sequence=session.sequence,
        cancelled=False,
        stamp=session.updated_at.astimezone(UTC),
        description=invites.session_title(session),
    )
    return Event.from_ical(event.to_ical())


def test_each_feed_event_says_what_icalendar_says_for_the_session(client, personas, case, schedule):
    personas.mediator.first_name, personas.mediator.last_name = 'Mehmet "Memo"', "Yilmaz; Öztürk"
    personas.mediator.save()
    sessions = [
        schedule(case, place=HOSTILE),
        schedule(case, starts_at=at(2028, 1, 11, 14), place="", online_link=LINK),
        schedule(case, starts_at=at(2027, 10, 31, 10), place="Wijkbureau Oost, zaal 1"),
    ]
    session_reschedule(session=sessions[2], actor=personas.mediator, place="Zaal 2")
    token = feed_create(user=personas.comediator)

    body = client.get(feed_url(token)).content
    events = {str(e["UID"]): e for e in Calendar.from_ical(body).walk("VEVENT")}

    assert len(events) == 3
    for session in sessions:
        expected = icalendar_event(session)
        event = events[f"{session.uid}@tafel"]
        for name in FEED_PROPERTIES:
            assert (name in event) == (name in expected), name
            if name in expected:
                assert event.decoded(name) == expected.decoded(name), name
        assert event["ORGANIZER"].params["CN"] == expected["ORGANIZER"].params["CN"]
    assert str(events[f"{sessions[0].uid}@tafel"]["LOCATION"]) == HOSTILE.replace(
        "\r\n", "\n"
    ).replace("\r", "\n")


def test_the_feed_has_one_line_per_property_and_none_longer_than_75_octets(
    client, personas, case, schedule
):
    schedule(case, place=HOSTILE)
    token = feed_create(user=personas.comediator)

    body = client.get(feed_url(token)).content
    lines = body.split(b"\r\n")

    # The typed "END:VEVENT" stays inside its (escaped, folded) value: never a line of its own.
    assert lines.count(b"BEGIN:VEVENT") == 1 and lines.count(b"END:VEVENT") == 1
    assert lines[-1] == b"" and b"\n" not in body.replace(b"\r\n", b"")
    assert b"\r" not in body.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode()  # never folded inside a character
    (timezone,) = Calendar.from_ical(body).walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Amsterdam"


@pytest.mark.parametrize(
    "line",
    [
        "SUMMARY:" + "a" * 67,  # exactly 75 octets: not folded
        "SUMMARY:" + "a" * 68,
        "LOCATION:" + "é" * 80,
        "LOCATION:" + "🎉" * 40,
        "LOCATION:" + "ab\\," * 40,
    ],
)
def test_folding_keeps_the_text_and_lines_of_at_most_75_octets(line):
    folded = fold(line)

    assert folded.replace("\r\n ", "") == line
    physical = folded.encode().split(b"\r\n")
    assert all(len(part) <= 75 for part in physical)
    assert len(physical) == 1 or len(line.encode()) > 75
    for part in physical:
        part.decode()  # never inside a character
        assert not part.endswith(b"\\") or part.endswith(b"\\\\")  # nor after a lone backslash


def test_the_feed_takes_as_many_queries_for_many_sessions_as_for_one(
    client, personas, case, schedule
):
    schedule(case)
    token = feed_create(user=personas.comediator)
    with CaptureQueriesContext(connection) as one:
        client.get(feed_url(token))
    for day in range(7, 12):
        schedule(case, starts_at=at(2027, 7, day, 10))

    with CaptureQueriesContext(connection) as six:
        response = client.get(feed_url(token))

    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


def test_the_feed_shows_planned_and_held_sessions_and_no_cancelled_ones(
    client, personas, case, schedule
):
    # feed_sessions excludes cancelled sessions rather than naming the other two statuses.
    assert set(SessionStatus.values) == {"planned", "held", "cancelled"}
    held = schedule(case, starts_at=at(2026, 3, 3, 10))
    session_mark_held(session=held, actor=personas.mediator)
    planned = schedule(case)
    cancelled = schedule(case, starts_at=at(2027, 7, 9, 10))
    session_cancel(session=cancelled, actor=personas.mediator)
    token = feed_create(user=personas.mediator)

    events = Calendar.from_ical(client.get(feed_url(token)).content).walk("VEVENT")

    assert {str(e["UID"]) for e in events} == {f"{held.uid}@tafel", f"{planned.uid}@tafel"}


def test_a_lead_mediator_taken_off_the_case_loses_the_sessions_they_organised(
    client, personas, case, schedule
):
    schedule(case)
    token = feed_create(user=personas.mediator)
    assert len(Calendar.from_ical(client.get(feed_url(token)).content).walk("VEVENT")) == 1

    # Still the organizer of the session, but no longer on the case.
    case_assign(case=case, lead=personas.comediator, co_mediators=[], actor=personas.supervisor)

    assert Calendar.from_ical(client.get(feed_url(token)).content).walk("VEVENT") == []


def test_a_new_organizer_name_changes_the_feed_and_its_etag(client, personas, case, schedule):
    schedule(case)
    token = feed_create(user=personas.comediator)
    etag = client.get(feed_url(token))["ETag"]

    personas.mediator.last_name = "Yilmaz-de Boer"
    personas.mediator.save()
    changed = client.get(feed_url(token), HTTP_IF_NONE_MATCH=etag)

    assert changed.status_code == 200
    assert b"Yilmaz-de Boer" in changed.content
