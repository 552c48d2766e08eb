"""Session pages: only the case's mediators reach them; each does one thing through a service."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mediation.models import OutboxMessage
from scheduling.models import Rsvp, Session, SessionStatus
from scheduling.selectors import session_history
from tests.factories import CaseFactory
from tests.scheduling.conftest import at, parties_of

pytestmark = pytest.mark.django_db


def every_url(case, session, attendee) -> list[str]:
    on_session = ["detail", "reschedule", "cancel", "mark_held", "attendee_add"]
    return [
        reverse("scheduling:schedule", args=[case.pk]),
        reverse("scheduling:record", args=[case.pk]),
        *(reverse(f"scheduling:{name}", args=[case.pk, session.pk]) for name in on_session),
        reverse("scheduling:attendee_remove", args=[case.pk, session.pk, attendee.pk]),
    ]


def schedule_data(case, **overrides) -> dict:
    data = {
        "kind": "joint",
        "date": "2027-07-06",
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": "Stadhuis Utrecht\r\nKamer 2.14",
        "online_link": "",
        "accessibility_notes": "",
        "participations": [str(p.pk) for p in parties_of(case)],
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", ["outsider", "supervisor", "coordinator"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_supervisor_and_referrer_get_404_for_every_scheduling_url(
    client, personas, case, schedule, persona, method
):
    session = schedule(case)
    attendee = session.attendees.filter(participation__isnull=False).first()
    client.force_login(getattr(personas, persona))
    queued = OutboxMessage.objects.count()

    for url in every_url(case, session, attendee):
        response = getattr(client, method)(url, schedule_data(case))
        assert response.status_code == 404, url

    assert Session.objects.count() == 1 and OutboxMessage.objects.count() == queued
    session.refresh_from_db()
    assert session.status == SessionStatus.PLANNED


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login(client, case, schedule, method):
    session = schedule(case)
    attendee = session.attendees.first()
    for url in every_url(case, session, attendee):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_a_session_of_another_case_is_404_even_for_its_own_mediator(
    client, personas, case, schedule
):
    session = schedule(case)
    mine_too = CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    client.force_login(personas.mediator)

    url = reverse("scheduling:detail", args=[mine_too.pk, session.pk])
    assert client.get(url).status_code == 404


def test_the_lead_mediator_plans_a_session_through_the_form(client, personas, case):
    client.force_login(personas.mediator)
    url = reverse("scheduling:schedule", args=[case.pk])
    assert client.get(url).status_code == 200

    response = client.post(url, schedule_data(case))

    session = Session.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:detail", args=[case.pk, session.pk])
    assert session.starts_at == at(2027, 7, 6, 14)
    assert session.place == "Stadhuis Utrecht\r\nKamer 2.14"
    assert OutboxMessage.objects.filter(purpose="invite").count() == 4


def test_the_form_shows_the_dst_refusal_and_saves_nothing(client, personas, case):
    client.force_login(personas.comediator)

    response = client.post(
        reverse("scheduling:schedule", args=[case.pk]),
        schedule_data(case, date="2027-03-28", starts_at="02:30", ends_at="04:00"),
    )

    assert response.status_code == 200
    assert "does not exist in the Netherlands" in response.content.decode()
    assert not Session.objects.exists()


def test_the_session_page_lists_the_invitees_and_their_answers(client, personas, case, schedule):
    session = schedule(case)
    session.attendees.filter(participation__party__name="Jan de Vries").update(
        rsvp=Rsvp.DECLINED, responded_at=timezone.now()
    )
    client.force_login(personas.comediator)

    url = reverse("scheduling:detail", args=[case.pk, session.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Jan de Vries" in page and "Declined" in page
    assert "No email address: tell them yourself." in page  # the municipality has none


def test_reschedule_cancel_and_remove_through_the_pages(client, personas, case, schedule):
    session = schedule(case)
    client.force_login(personas.mediator)
    base = [case.pk, session.pk]

    page = client.get(reverse("scheduling:reschedule", args=base))
    assert 'value="2027-07-06"' in page.content.decode()
    client.post(
        reverse("scheduling:reschedule", args=base),
        {**schedule_data(case), "starts_at": "15:00", "ends_at": "17:00"},
    )
    session.refresh_from_db()
    assert session.sequence == 1 and session.starts_at == at(2027, 7, 6, 15)

    tolk = session.attendees.get(participation__party__name="Tolk Ahmed")
    assert (
        client.get(reverse("scheduling:attendee_remove", args=[*base, tolk.pk])).status_code == 200
    )
    client.post(reverse("scheduling:attendee_remove", args=[*base, tolk.pk]))
    tolk.refresh_from_db()
    assert tolk.removed_at is not None

    client.post(
        reverse("scheduling:attendee_add", args=base), {"participation": tolk.participation_id}
    )
    assert session.attendees.active().filter(participation=tolk.participation).exists()

    assert client.get(reverse("scheduling:cancel", args=base)).status_code == 200
    client.post(reverse("scheduling:cancel", args=base))
    session.refresh_from_db()
    assert session.status == SessionStatus.CANCELLED
    assert OutboxMessage.objects.filter(purpose="cancel").count() >= 4


def test_a_session_is_marked_held_only_once_it_has_started(client, personas, case, schedule):
    now = timezone.now()
    session = schedule(case, starts_at=now.replace(microsecond=0) + timezone.timedelta(hours=3))
    client.force_login(personas.mediator)
    url = reverse("scheduling:mark_held", args=[case.pk, session.pk])

    response = client.post(url, follow=True)
    assert "only once it has started" in response.content.decode()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - timezone.timedelta(hours=2), ends_at=now - timezone.timedelta(hours=1)
    )
    client.post(url, {"duration_minutes": "60"})
    session.refresh_from_db()
    assert session.status == SessionStatus.HELD


def test_the_sessions_partial_lists_upcoming_sessions(rf, personas, case, schedule):
    schedule(case)
    request = rf.get("/")
    request.user = personas.mediator
    html = render_to_string(
        "scheduling/partials/_sessions.html",
        {"case": case, "history": session_history(case=case), "can_schedule": True},
        request=request,
    )
    assert "Joint session" in html and "Plan a session" in html
