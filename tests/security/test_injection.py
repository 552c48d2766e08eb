"""Header and calendar injection: line breaks in names and addresses (issue 17, points 7, 9).

A line break in an email address or a name could add recipients or headers to a message, or
properties to a calendar file. Where it is stored, it is refused with a clear message; an
address that got into the database before (legacy data, a command) cannot stop a step: the
message it breaks is marked failed on the case page while the step commits.
"""

from datetime import timedelta

import icalendar
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, CaseStatus
from mediation.models import OutboxMessage, OutboxStatus
from mediation.outbox import outbox_drain, outbox_open
from parties.contact import contact_seal
from parties.models import Party
from parties.services import party_create, party_update
from scheduling.services.sessions import session_schedule
from tests.case_fixtures import consent_all, declare_all
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOSTILE_ADDRESSES = [
    "jan@example.nl\r\nBcc: everyone@example.org",
    "jan@example.nl\nBcc: everyone@example.org",
    "jan@example.nl\r",
    "jan@exam\rple.nl",
]


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_a_party_address_with_a_line_break_is_refused_by_the_service(personas, address):
    with pytest.raises(ValidationError) as refused:
        party_create(actor=personas.mediator, kind="person", name="Jan", email=address)

    assert "An email address is one line" in str(refused.value.message_dict["email"])


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_a_party_address_with_a_line_break_is_refused_on_change(in_intake, personas, address):
    party = in_intake.participations.get(party__kind="person").party

    with pytest.raises(ValidationError):
        party_update(party=party, actor=personas.mediator, case=in_intake, email=address)


def test_the_party_form_refuses_a_line_break_with_a_message(in_intake, personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.mediator)

    response = client.post(
        reverse("parties:add", args=[in_intake.pk]),
        {
            "role": "party",
            "kind": "person",
            "name": "Piet Jansen",
            "email": "piet@example.nl\r\nBcc: everyone@example.org",
        },
    )

    assert response.status_code == 200
    assert "An email address is one line" in response.content.decode()
    assert not in_intake.participations.filter(party__name="Piet Jansen").exists()


@pytest.mark.parametrize("name", ["Jan\r\nBcc: everyone@example.org", "Jan\nATTENDEE:mailto:x@y"])
def test_a_party_name_with_a_line_break_is_refused(personas, name):
    with pytest.raises(ValidationError):
        party_create(actor=personas.mediator, kind="person", name=name)


@pytest.mark.parametrize("address", HOSTILE_ADDRESSES)
def test_a_user_address_with_a_line_break_is_refused_where_users_are_stored(address):
    user = UserFactory.build(username="nieuw", email=address)

    with pytest.raises(ValidationError) as refused:
        user.full_clean()

    assert "An email address is one line" in str(refused.value.message_dict["email"])


def test_the_admin_refuses_a_user_address_with_a_line_break(personas):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(admin)
    user = personas.outsider
    url = reverse("admin:auth_user_change", args=[user.pk])

    response = client.post(
        url,
        {
            "username": user.username,
            "email": "outsider@example.nl\rBcc: everyone@example.org",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    # Django's admin form checks the address first ("Enter a valid email address."); the
    # model's own check (ours) stands behind it for every other way in.
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    user.refresh_from_db()
    assert "\r" not in user.email


def test_a_stored_user_address_with_a_line_break_does_not_stop_a_step(assigned, personas):
    # Legacy data: straight into the table, past every check.
    get_user_model().objects.filter(pk=personas.coordinator.pk).update(
        email="coordinator@example.nl\r\nBcc: everyone@example.org"
    )
    declare_all(assigned, personas)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:transition", args=[assigned.pk]),
        {"name": "accept", "expected_status": "referred"},
    )

    # The step committed; the referrer's status message is stored as failed, empty.
    assert response.status_code == 302
    assert Case.objects.get(pk=assigned.pk).status == CaseStatus.INTAKE
    failed = OutboxMessage.objects.get(case_id=assigned.pk, purpose="status")
    assert failed.status == OutboxStatus.FAILED
    assert failed.cannot_be_built
    assert outbox_open(failed).recipients() == []
    # The worker leaves it alone, the case page says so, and sending again is not offered.
    outbox_drain()
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, 0)
    supervisor = Client(HTTP_ACCEPT_LANGUAGE="en")
    supervisor.force_login(personas.supervisor)
    page = supervisor.get(reverse("cases:detail", args=[assigned.pk])).content.decode()
    assert "it could not be made: check the email address of the recipient" in page
    assert reverse("cases:outbox_resend", args=[assigned.pk, failed.pk]) not in page
    resend = supervisor.post(reverse("cases:outbox_resend", args=[assigned.pk, failed.pk]))
    assert resend.status_code == 302
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.FAILED


def test_a_stored_party_address_with_a_line_break_does_not_stop_scheduling(in_intake, personas):
    consent_all(in_intake, personas.mediator)
    party = in_intake.participations.get(party__kind="person").party
    # Legacy data: sealed straight into the record, past the service's check.
    contact_seal(
        party, email="jan@example.nl\r\nBcc: everyone@example.org", phone="", postal_address=""
    )
    party.save(update_fields=["sealed_contact", "email_index"])
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)

    session = session_schedule(
        case=in_intake,
        kind="joint",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        actor=personas.mediator,
        place="Stadhuis",
        participations=list(in_intake.participations.active()),
    )

    assert session.pk is not None
    messages = OutboxMessage.objects.filter(case_id=in_intake.pk, purpose="invite")
    failed = [message for message in messages if message.status == OutboxStatus.FAILED]
    assert len(failed) == 1 and failed[0].cannot_be_built
    assert outbox_drain().failed == 0
    assert mail.outbox and all(
        "everyone@example.org" not in " ".join(sent.recipients()) for sent in mail.outbox
    )
    # Nothing built from the hostile address went anywhere: no stored message names it.
    for message in messages:
        assert b"everyone@example.org" not in outbox_open(message).raw


def test_a_stored_name_with_a_line_break_adds_nothing_to_the_calendar(in_intake, personas):
    consent_all(in_intake, personas.mediator)
    participation = in_intake.participations.get(party__kind="person")
    # Legacy data: a name with a line break and a calendar property after it.
    Party.objects.filter(pk=participation.party_id).update(
        name="Jan\r\nATTENDEE;RSVP=TRUE:mailto:everyone@example.org\r\nX-INJECTED:yes"
    )
    start = timezone.now().replace(microsecond=0) + timedelta(days=3)

    session_schedule(
        case=in_intake,
        kind="joint",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        actor=personas.mediator,
        place="Stadhuis",
        participations=list(in_intake.participations.active()),
    )

    invites = OutboxMessage.objects.filter(case_id=in_intake.pk, purpose="invite")
    assert invites.exists()
    calendars = [
        part.get_content()
        for invite in invites
        for part in outbox_open(invite).parsed.walk()
        if part.get_content_type() == "text/calendar"
    ]
    assert calendars
    for text in calendars:
        event = next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))
        attendees = event.get("ATTENDEE")
        attendees = attendees if isinstance(attendees, list) else [attendees]
        # The name stays inside one property's CN value: no property or attendee was added.
        assert "X-INJECTED" not in event
        assert all(str(address).lower() != "mailto:everyone@example.org" for address in attendees)
        assert len(attendees) == 1
        # The headers of the email itself hold no trace of it either.
    for invite in invites:
        headers = outbox_open(invite).raw.split(b"\r\n\r\n", 1)[0]
        assert b"X-INJECTED" not in headers and b"everyone@" not in headers
