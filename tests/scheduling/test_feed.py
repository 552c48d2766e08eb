"""A mediator's private calendar feed: secret, revocable, cheap to poll, without personal data."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from audit.models import AuditEvent
from scheduling.models import CalendarFeed
from scheduling.services import feed_create, feed_revoke, session_cancel
from tests.scheduling.conftest import FATIMA, JAN, TOLK, at

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
