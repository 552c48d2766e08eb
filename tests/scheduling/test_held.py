"""Marking a session held records who attended and how long it took."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from mediation.models import OutboxMessage
from scheduling.forms import SessionHeldForm
from scheduling.models import Rsvp, SessionStatus
from scheduling.services import session_mark_held
from tests.scheduling.conftest import parties_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(case, schedule):
    """A joint session that began an hour ago and was planned for two hours."""
    start = timezone.now().replace(microsecond=0) - timedelta(hours=1)
    return schedule(case, starts_at=start, ends_at=start + timedelta(hours=2))


def named(session, name):
    return session.attendees.get(participation__party__name=name)


def test_the_form_proposes_everyone_who_did_not_decline_and_the_planned_length(started):
    jan = named(started, "Jan de Vries")
    jan.rsvp = Rsvp.DECLINED
    jan.save()

    form = SessionHeldForm(session=started)

    choices = set(form.fields["attended"].queryset.values_list("pk", flat=True))
    assert choices == set(started.attendees.active().values_list("pk", flat=True))
    assert set(form.initial["attended"]) == choices - {jan.pk}
    assert form.initial["duration_minutes"] == 120


@pytest.mark.parametrize(
    ("duration", "message"),
    [
        ("0", "at least 1 minute"),
        ("1441", "at most 1440 minutes"),
        ("", "Give the duration in minutes"),
        ("een uur", "whole number of minutes"),
    ],
)
def test_the_duration_must_be_one_minute_to_a_day(started, duration, message):
    form = SessionHeldForm({"duration_minutes": duration}, session=started)

    assert not form.is_valid()
    assert message in " ".join(form.errors["duration_minutes"])


def test_the_service_also_refuses_a_duration_beyond_a_day(started, personas):
    with pytest.raises(ValidationError) as caught:
        session_mark_held(session=started, actor=personas.mediator, duration_minutes=24 * 60 + 1)

    assert "between 1 and 1440 minutes" in " ".join(caught.value.messages)
    started.refresh_from_db()
    assert started.status == SessionStatus.PLANNED


def test_marking_held_stores_attendance_and_duration_and_audits_them(client, personas, started):
    jan, fatima = named(started, "Jan de Vries"), named(started, "Fatima el Amrani")
    lead = started.attendees.get(user=personas.mediator)
    client.force_login(personas.mediator)
    before = OutboxMessage.objects.count()

    response = client.post(
        reverse("scheduling:mark_held", args=[started.case_id, started.pk]),
        {"attended": [jan.pk, lead.pk], "duration_minutes": "95"},
    )

    assert response.status_code == 302
    started.refresh_from_db()
    assert started.status == SessionStatus.HELD and started.duration_minutes == 95
    attended = dict(started.attendees.active().values_list("pk", "attended"))
    assert attended.pop(jan.pk) is True and attended.pop(lead.pk) is True
    assert attended[fatima.pk] is False and set(attended.values()) == {False}
    event = AuditEvent.objects.get(action="session.held")
    assert event.details == {"attended": sorted([jan.pk, lead.pk]), "duration_minutes": 95}
    assert OutboxMessage.objects.count() == before  # nobody is emailed

    page = client.get(reverse("scheduling:detail", args=[started.case_id, started.pk]))
    content = page.content.decode()
    assert "1 h 35 min" in content and '<th scope="col">Attended</th>' in content


def test_a_wrong_duration_shows_the_form_again_with_the_message(client, personas, started):
    client.force_login(personas.mediator)

    response = client.post(
        reverse("scheduling:mark_held", args=[started.case_id, started.pk]),
        {"duration_minutes": "2000"},
    )

    assert response.status_code == 400
    assert "at most 1440 minutes" in response.content.decode()
    started.refresh_from_db()
    assert started.status == SessionStatus.PLANNED


def test_someone_from_another_session_cannot_be_marked_as_attended(
    personas, case, schedule, started
):
    other = schedule(case)
    stranger = other.attendees.filter(participation__isnull=False).first()

    with pytest.raises(ValidationError) as caught:
        session_mark_held(session=started, actor=personas.mediator, attended=[stranger])

    assert "only people who were invited" in " ".join(caught.value.messages)


def test_by_default_the_service_counts_everyone_who_did_not_decline(personas, case, started):
    jan = named(started, "Jan de Vries")
    jan.rsvp = Rsvp.DECLINED
    jan.save()

    session_mark_held(session=started, actor=personas.mediator)

    assert named(started, "Jan de Vries").attended is False
    others = started.attendees.active().exclude(pk=jan.pk)
    assert set(others.values_list("attended", flat=True)) == {True}
    assert len(parties_of(case)) == 4


def test_the_session_page_offers_the_held_form_only_once_started(
    client, personas, case, schedule, started
):
    client.force_login(personas.mediator)
    ahead = schedule(case)

    future_page = client.get(reverse("scheduling:detail", args=[case.pk, ahead.pk]))
    started_page = client.get(reverse("scheduling:detail", args=[case.pk, started.pk]))

    assert "Who attended" not in future_page.content.decode()
    assert "Who attended" in started_page.content.decode()
