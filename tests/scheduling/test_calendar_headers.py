"""What calendar programs and mail servers read besides the events: the feed's refresh and
privacy properties, its 304, and the headers of every email (issue 16, points 5 and 6)."""

import email
import email.policy
import re

import pytest
from django.core.mail import EmailMessage
from icalendar import Calendar

from mediation.models import OutboxMessage
from mediation.outbox import outbox_enqueue, outbox_open
from scheduling import invites
from scheduling.services import feed_create
from tests.scheduling.test_feed import feed_url

pytestmark = pytest.mark.django_db


def test_the_feed_names_itself_and_says_how_often_to_refresh(client, personas, case, schedule):
    schedule(case)
    token = feed_create(user=personas.mediator)

    calendar = Calendar.from_ical(client.get(feed_url(token)).content)

    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"])
    assert "Tafel" in str(calendar["NAME"])
    assert calendar["REFRESH-INTERVAL"].to_ical() == b"PT15M"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar["X-PUBLISHED-TTL"].to_ical() == b"PT15M"


def test_every_event_is_private_in_feeds_and_invites(client, personas, case, schedule):
    session = schedule(case)
    token = feed_create(user=personas.mediator)
    attendee = session.attendees.filter(participation__isnull=False).first()

    feed = Calendar.from_ical(client.get(feed_url(token)).content)
    invite = Calendar.from_ical(
        invites.invite_calendar(session=session, attendee=attendee, method="REQUEST")
    )

    for calendar in (feed, invite):
        (event,) = calendar.walk("VEVENT")
        assert event["CLASS"] == "PRIVATE"


def test_a_304_keeps_the_validators_and_the_cache_rules(client, personas, case, schedule):
    schedule(case)
    token = feed_create(user=personas.mediator)
    first = client.get(feed_url(token))

    again = client.get(feed_url(token), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again["Last-Modified"] == first["Last-Modified"]
    assert again["Cache-Control"] == first["Cache-Control"]
    assert "private" in again["Cache-Control"]
    assert again.content == b""
    # Not "0": a 304 may only name the length of the representation the client holds.
    assert again["Content-Length"] == str(len(first.content))
    assert not again.has_header("Content-Type")


def test_every_email_says_it_was_sent_automatically_under_the_sites_domain(settings):
    settings.DEFAULT_FROM_EMAIL = "afspraken@utrecht.example"
    settings.TAFEL_MAIL_DOMAIN = "utrecht.example"
    message = EmailMessage(
        subject="Uitnodiging", body="Tekst", from_email="afspraken@utrecht.example", to=["a@b.nl"]
    )

    outbox_enqueue(message=message, purpose="test")

    stored = outbox_open(OutboxMessage.objects.get())
    parsed = email.message_from_bytes(stored.raw, policy=email.policy.default)
    assert re.fullmatch(r"<[^@>]+@utrecht\.example>", parsed["Message-ID"])
    assert parsed["Auto-Submitted"] == "auto-generated"
    # Dutch time with its offset, winter or summer.
    assert parsed["Date"].endswith(("+0100", "+0200"))


def test_invites_carry_the_same_headers(personas, case, schedule):
    schedule(case)

    for outgoing in OutboxMessage.objects.all():
        parsed = email.message_from_bytes(outbox_open(outgoing).raw, policy=email.policy.default)
        assert parsed["Auto-Submitted"] == "auto-generated"
        assert parsed["Message-ID"].endswith("@localhost>")
        assert "tafel.local" not in parsed["Message-ID"]
