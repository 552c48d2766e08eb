"""A mediator's private calendar feed: secret, revocable, cheap to poll, without personal data."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.http import parse_http_date
from icalendar import Calendar, Event

from audit.models import AuditEvent
from cases.services import case_assign
from parties.services import participation_remove
from scheduling import invites
from scheduling.feed import feed_calendar, feed_name
from scheduling.models import CalendarFeed, CalendarFeedCopy, Session, SessionStatus
from scheduling.selectors import feed_sessions
from scheduling.services import (
    attendee_add,
    attendee_remove,
    case_sessions_cancel,
    feed_create,
    feed_revoke,
    feed_stamps_move,
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


# The feed is made with icalendar, from plain rows (selectors.feed_sessions): each event must be
# the one `invites.session_event` makes from the session itself, as for an invite.

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


def invite_event(session) -> Event:
    """The event as the invites make it from the session (the feed's description), written
    and read back."""
    session = Session.objects.select_related("case", "organizer").get(pk=session.pk)
    title = invites.session_title(session)
    event = invites.session_event(
        session,
        title=title,
        description=title,
        sequence=session.sequence,
        cancelled=False,
        stamp=session.updated_at,
    )
    return Event.from_ical(event.to_ical())


def test_each_feed_event_is_the_event_the_invites_make_for_the_session(
    client, personas, case, schedule
):
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
        expected = invite_event(session)
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


def test_invites_and_feeds_share_one_vtimezone(client, personas, case, schedule):
    session = schedule(case)
    token = feed_create(user=personas.mediator)
    attendee = session.attendees.exclude(user=personas.mediator).first()

    feed = Calendar.from_ical(client.get(feed_url(token)).content)
    invite = Calendar.from_ical(
        invites.invite_calendar(session=session, attendee=attendee, method="REQUEST")
    )

    (in_feed,) = feed.walk("VTIMEZONE")
    (in_invite,) = invite.walk("VTIMEZONE")
    assert in_feed["TZID"] == "Europe/Amsterdam"
    assert in_feed.to_ical() == in_invite.to_ical()


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
    first = client.get(feed_url(token))

    # In the admin: no service moves the stamp, the stored copy's recipe notices the name.
    personas.mediator.last_name = "Yilmaz-de Boer"
    personas.mediator.save()
    changed = client.get(feed_url(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert changed.status_code == 200
    assert b"Yilmaz-de Boer" in changed.content
    assert changed["Last-Modified"] != first["Last-Modified"]
    assert client.get(feed_url(token), HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


# The stored copy and its version stamp (scheduling.services.feeds).


def fresh_feed(user, language: str = "en") -> bytes:
    """The feed written now from the database, bypassing the stored copy."""
    with translation.override(language):
        return feed_calendar(sessions=feed_sessions(user=user), name=feed_name(user))


def _reschedule(**fields):
    def change(session, personas, case, schedule):
        session_reschedule(session=session, actor=personas.mediator, **fields)

    return change


def _cancel(session, personas, case, schedule):
    session_cancel(session=session, actor=personas.mediator)


def _mark_held(session, personas, case, schedule):
    session_mark_held(session=session, actor=personas.mediator)


def _add_session(session, personas, case, schedule):
    schedule(case, starts_at=at(2027, 7, 9, 10))


def _take_off_party(session, personas, case, schedule):
    attendee = session.attendees.get(participation__party__name="Tolk Ahmed")
    attendee_remove(attendee=attendee, actor=personas.mediator)


def _take_off_comediator(session, personas, case, schedule):
    attendee = session.attendees.get(user=personas.comediator)
    attendee_remove(attendee=attendee, actor=personas.mediator)


def _invite_comediator(session, personas, case, schedule):
    attendee_add(session=session, user=personas.comediator, actor=personas.mediator)


def _party_leaves_case(session, personas, case, schedule):
    tolk = session.attendees.get(participation__party__name="Tolk Ahmed").participation
    participation_remove(participation=tolk, actor=personas.mediator)


def _comediator_leaves_case(session, personas, case, schedule):
    case_assign(case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)


def _lead_leaves_case(session, personas, case, schedule):
    # Still the organizer of the session, but no longer on the case.
    case_assign(case=case, lead=personas.comediator, co_mediators=[], actor=personas.supervisor)


def _close_case(session, personas, case, schedule):
    case_sessions_cancel(case=case, actor=personas.mediator)


@dataclass(frozen=True)
class FeedChange:
    change: Callable
    before: Callable | None = None  # done before the feed is first read
    watcher: str = "comediator"  # whose feed is read
    # Parties are not in the feed, nor is "held" (only its DTSTAMP, to the second): the stamp
    # moves all the same, at the cost of writing the same text again.
    text_changes: bool = True


FEED_CHANGES = {
    "time": FeedChange(_reschedule(starts_at=at(2027, 3, 3, 11), ends_at=at(2027, 3, 3, 13))),
    "place": FeedChange(_reschedule(place="Wijkcentrum De Leeuw")),
    "online link": FeedChange(_reschedule(online_link=LINK)),
    "kind": FeedChange(_reschedule(kind="group")),
    "cancelled": FeedChange(_cancel),
    "held": FeedChange(_mark_held, text_changes=False),
    "session added": FeedChange(_add_session),
    "party attendee removed": FeedChange(_take_off_party, text_changes=False),
    "party taken off the case": FeedChange(_party_leaves_case, text_changes=False),
    "mediator taken off the session": FeedChange(_take_off_comediator),
    "mediator invited again": FeedChange(_invite_comediator, before=_take_off_comediator),
    "mediator taken off the case": FeedChange(_comediator_leaves_case),
    # No planned session left to take them off: only the case's assignment moves the stamp.
    "mediator taken off the case after the session": FeedChange(
        _comediator_leaves_case, before=_mark_held
    ),
    "lead taken off the case": FeedChange(_lead_leaves_case, watcher="mediator"),
    "lead's session changed": FeedChange(_reschedule(place="Zaal 5"), watcher="mediator"),
    "case closed": FeedChange(_close_case),
}


@pytest.mark.parametrize("case_change", FEED_CHANGES.values(), ids=FEED_CHANGES.keys())
def test_every_change_the_feed_shows_moves_its_etag_and_last_modified(
    client, personas, case, schedule, case_change
):
    # A session that has started, so that it can also be marked as held.
    session = schedule(case, starts_at=at(2026, 3, 3, 10))
    if case_change.before:
        case_change.before(session, personas, case, schedule)
    watcher = getattr(personas, case_change.watcher)
    token = feed_create(user=watcher)
    before = client.get(feed_url(token))
    assert client.get(feed_url(token)).content == before.content  # from the stored copy

    case_change.change(session, personas, case, schedule)  # most likely in the same second
    after = client.get(feed_url(token))

    if case_change.text_changes:
        assert after.content != before.content
    assert after["ETag"] != before["ETag"]
    assert parse_http_date(after["Last-Modified"]) > parse_http_date(before["Last-Modified"])
    for stale in (
        {"HTTP_IF_NONE_MATCH": before["ETag"]},
        {"HTTP_IF_MODIFIED_SINCE": before["Last-Modified"]},
    ):
        assert client.get(feed_url(token), **stale).status_code == 200
    assert after.content == fresh_feed(watcher)
    assert client.get(feed_url(token)).content == after.content  # stored again


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_served_feed_parses_and_is_what_a_fresh_build_gives(
    client, personas, case, schedule, language
):
    sessions = [
        schedule(case),
        schedule(case, starts_at=at(2027, 7, 9, 10), place="", online_link=LINK),
    ]
    token = feed_create(user=personas.comediator)
    client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE=language)
    session_reschedule(session=sessions[0], actor=personas.mediator, place="Zaal 3")
    client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE=language)

    repeat = client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE=language)

    calendar = Calendar.from_ical(repeat.content)
    assert [str(e["UID"]) for e in calendar.walk("VEVENT")] == [f"{s.uid}@tafel" for s in sessions]
    assert [str(e["LOCATION"]) for e in calendar.walk("VEVENT")] == ["Zaal 3", LINK]
    assert repeat.content == fresh_feed(personas.comediator, language)
    copy = CalendarFeedCopy.objects.get(feed__user=personas.comediator, language=language)
    assert bytes(copy.body) == repeat.content


def test_the_feed_is_stored_per_language_with_its_own_etag(client, personas, case, schedule):
    schedule(case)
    token = feed_create(user=personas.comediator)

    english = client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE="en")
    dutch = client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE="nl")

    assert b"Joint session" in english.content and b"Gezamenlijk gesprek" in dutch.content
    assert english["ETag"] != dutch["ETag"]
    assert client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE="en").content == english.content
    assert client.get(feed_url(token), HTTP_ACCEPT_LANGUAGE="nl").content == dutch.content
    assert CalendarFeedCopy.objects.filter(feed__user=personas.comediator).count() == 2


def test_a_repeat_request_is_served_from_the_database_in_three_queries(
    client, personas, case, schedule, django_assert_max_num_queries
):
    for day in range(6, 12):
        schedule(case, starts_at=at(2027, 7, day, 10))
    token = feed_create(user=personas.comediator)
    first = client.get(feed_url(token))

    # The copy is in the database, not in this process: what is stored there is served.
    CalendarFeedCopy.objects.update(body=first.content.replace(b"Joint session", b"Stored copy"))
    with django_assert_max_num_queries(3):  # the feed and its user, the copy, the organizers
        repeat = client.get(feed_url(token))
    with django_assert_max_num_queries(3):
        conditional = client.get(feed_url(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert repeat.status_code == 200 and b"Stored copy" in repeat.content
    assert repeat["ETag"] == first["ETag"]
    assert repeat["Last-Modified"] == first["Last-Modified"]
    assert conditional.status_code == 304


def test_a_copy_for_an_older_version_is_never_served(client, personas, case, schedule):
    session = schedule(case)
    token = feed_create(user=personas.comediator)
    client.get(feed_url(token))
    session_reschedule(session=session, actor=personas.mediator, place="Zaal 4")
    feed = CalendarFeed.objects.get(user=personas.comediator)
    # A slow request, written for the version before, stores its copy after the change.
    CalendarFeedCopy.objects.update(version=feed.version - 1, body=b"old")

    response = client.get(feed_url(token))

    assert response.content == fresh_feed(personas.comediator)
    assert CalendarFeedCopy.objects.get().version == feed.version


def test_the_stamp_moves_only_for_the_case_s_mediators(client, personas, case, schedule):
    schedule(case)
    tokens = {user: feed_create(user=user) for user in (personas.comediator, personas.outsider)}
    etags = {user: client.get(feed_url(token))["ETag"] for user, token in tokens.items()}

    schedule(case, starts_at=at(2027, 7, 9, 10))

    assert client.get(feed_url(tokens[personas.comediator]))["ETag"] != etags[personas.comediator]
    assert client.get(feed_url(tokens[personas.outsider]))["ETag"] == etags[personas.outsider]


def test_last_modified_rises_a_second_per_change_even_within_one_second(personas):
    feed_create(user=personas.mediator)
    start = CalendarFeed.objects.get(user=personas.mediator).changed_at

    for _ in range(3):
        feed_stamps_move(user_ids=[personas.mediator.pk, None])

    feed = CalendarFeed.objects.get(user=personas.mediator)
    assert feed.version == 3
    assert feed.changed_at >= start + timedelta(seconds=3)
    assert feed.changed_at.microsecond == 0
