"""Forged and refused lifecycle steps, and probing for cases: visible in the trail (issue 17).

A refused step answers 409 with the case page and its message, changes nothing and is an
audit event; a signed-in user's 404 on a case page is an audit event, throttled per hour.
"""

from datetime import UTC, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from cases.models import Case, CaseStatus
from tests.cases.test_access import case_urls

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def step(client: Client, case, **data):
    return client.post(reverse("cases:transition", args=[case.pk]), data)


def refusals():
    return list(AuditEvent.objects.filter(action=AuditAction.STEP_REFUSED).order_by("sequence"))


@pytest.mark.parametrize(
    ("data", "refusal", "message"),
    [
        (
            {"name": "close_everything", "expected_status": "intake"},
            "not_allowed",
            "This step is not possible for you on a case that is &#x27;Intake&#x27;.",
        ),
        (
            {"name": "reach_agreement", "expected_status": "intake"},
            "not_allowed",
            "This step is not possible for you",
        ),
        (
            {"name": "accept", "expected_status": "referred"},
            "stale",
            "Someone else changed this case in the meantime",
        ),
        (
            {"name": "start_sessions", "expected_status": "intake"},
            "guard",
            "Record the consent (signed mediation agreement) of Jan de Vries.",
        ),
        (
            {"name": "x" * 500, "expected_status": "nonsense"},
            "unreadable",
            "That step could not be read.",
        ),
    ],
    ids=["forged-name", "wrong-state", "stale-page", "guard", "unreadable"],
)
def test_a_refused_step_answers_409_with_the_page_and_is_audited(
    in_intake, personas, data, refusal, message
):
    transitions = AuditEvent.objects.filter(action=AuditAction.CASE_TRANSITION).count()

    response = step(browser(personas.mediator), in_intake, **data)

    assert response.status_code == 409
    page = response.content.decode()
    assert message in page
    assert 'id="case-heading"' in page  # the case page itself, not a redirect
    assert Case.objects.get(pk=in_intake.pk).status == CaseStatus.INTAKE
    [event] = refusals()
    assert event.actor == personas.mediator
    assert event.target_id == str(in_intake.pk)
    assert event.details["refusal"] == refusal
    assert event.details["transition"] == data["name"][:64]
    assert event.details["status"] == "intake"
    # The refusal is not an activity of the case: it stays out of the case's own trail.
    assert event.case_id is None
    assert AuditEvent.objects.filter(action=AuditAction.CASE_TRANSITION).count() == transitions


def test_a_step_without_the_right_is_refused_with_409(in_intake, personas):
    # The referring coordinator sees the case but runs no steps.
    response = step(
        browser(personas.coordinator), in_intake, name="withdraw", expected_status="intake"
    )

    assert response.status_code == 409
    assert Case.objects.get(pk=in_intake.pk).status == CaseStatus.INTAKE
    [event] = refusals()
    assert (event.actor, event.details["refusal"]) == (personas.coordinator, "not_allowed")


def test_a_step_that_goes_through_still_goes_back_where_it_was_taken(in_intake, personas):
    response = step(
        browser(personas.mediator),
        in_intake,
        name="withdraw",
        expected_status="intake",
        reason="De partijen willen niet verder.",
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=in_intake.pk).status == CaseStatus.CLOSED
    assert refusals() == []


def not_found_events():
    return AuditEvent.objects.filter(
        action__in=[AuditAction.CASE_NOT_FOUND, AuditAction.CASE_NOT_FOUND_COUNT]
    ).order_by("sequence")


def test_an_outsiders_404_on_a_case_page_is_audited(assigned, personas):
    client = browser(personas.outsider)

    assert client.get(reverse("cases:detail", args=[assigned.pk])).status_code == 404

    [event] = not_found_events()
    assert event.action == AuditAction.CASE_NOT_FOUND
    assert event.actor == personas.outsider
    assert event.details == {"path": f"/cases/{assigned.pk}/", "case": str(assigned.pk)}
    assert event.case_id is None


def test_a_forged_step_on_a_case_one_may_not_see_is_a_404_and_audited(assigned, personas):
    response = step(browser(personas.outsider), assigned, name="accept", expected_status="referred")

    assert response.status_code == 404
    assert not_found_events().get().details["case"] == str(assigned.pk)
    assert refusals() == []


def test_every_case_url_of_every_app_is_covered(assigned, personas, settings):
    settings.TAFEL_NOT_FOUND_AUDIT_LIMIT = 20
    client = browser(personas.outsider)
    urls = [
        *case_urls(assigned).values(),
        reverse("scheduling:schedule", args=[assigned.pk]),
        reverse("agreements:agreement", args=[assigned.pk]),
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url

    assert [event.details["path"] for event in not_found_events()] == urls


def test_a_flood_of_404s_leaves_five_events_and_a_count_per_hour(assigned, personas):
    client = browser(personas.outsider)
    start = timezone.now().replace(minute=1, second=0, microsecond=0)

    with time_machine.travel(start, tick=False):
        for case_id in range(1000, 1200):
            assert client.get(reverse("cases:detail", args=[case_id])).status_code == 404
    events = list(not_found_events())

    assert [event.action for event in events] == [AuditAction.CASE_NOT_FOUND] * 5 + [
        AuditAction.CASE_NOT_FOUND_COUNT
    ]
    hour = start.astimezone(UTC).strftime("%Y-%m-%dT%H:00Z")
    assert events[-1].details == {"hour": hour, "count": 6, "final": False}

    # The next hour: the total of the last one, then five more events at most.
    with time_machine.travel(start + timedelta(hours=1), tick=False):
        # Signed in again: the idle timeout signed the first session out meanwhile.
        assert (
            browser(personas.outsider).get(reverse("cases:detail", args=[assigned.pk])).status_code
            == 404
        )
    later = list(not_found_events())[len(events) :]

    assert later[0].action == AuditAction.CASE_NOT_FOUND_COUNT
    assert later[0].details["count"] == 200
    assert later[0].details["final"] is True
    assert later[0].details["hour"] == hour
    assert later[1].action == AuditAction.CASE_NOT_FOUND
    assert len(later) == 2


def test_another_user_has_their_own_count(assigned, personas):
    for case_id in range(1000, 1010):
        browser(personas.outsider).get(reverse("cases:detail", args=[case_id]))
    browser(personas.coordinator).get(reverse("cases:detail", args=[999]))

    assert not_found_events().filter(actor=personas.coordinator).count() == 1
    assert not_found_events().filter(actor=personas.outsider).count() == 6


def test_a_404_without_signing_in_or_outside_case_pages_is_not_recorded(assigned, personas):
    Client().get(reverse("cases:detail", args=[assigned.pk]))
    browser(personas.outsider).get("/no-such-page/")

    assert not not_found_events().exists()
