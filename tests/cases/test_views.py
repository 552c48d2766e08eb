import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.models import Case, CaseStatus, ConflictOfInterestDeclaration
from cases.services import case_transition
from tests.case_fixtures import declare_all

pytestmark = pytest.mark.django_db

REFERRAL = {
    "kind": "",
    "title": "Onrust rond de opvanglocatie",
    "referring_organisation": "Gemeente Amersfoort",
    "referral_reason": "Omwonenden en gemeente staan lijnrecht tegenover elkaar.",
    "urgency": "high",
    "safety_concern": "on",
    "woo_note": "",
    "party-TOTAL_FORMS": "3",
    "party-INITIAL_FORMS": "0",
    "party-MIN_NUM_FORMS": "0",
    "party-MAX_NUM_FORMS": "10",
    "party-0-kind": "group",
    "party-0-name": "Bewonersgroep De Hoef",
    "party-0-organisation": "",
    "party-0-email": "",
    "party-1-kind": "government",
    "party-1-name": "Gemeente Amersfoort",
    "party-1-organisation": "Team Opvang",
    "party-1-email": "opvang@amersfoort.example",
    "party-2-kind": "person",
    "party-2-name": "",
    "party-2-organisation": "",
    "party-2-email": "",
}


def referral(kind, **changes):
    return {**REFERRAL, "kind": str(kind.pk), **changes}


def test_coordinator_refers_a_conflict_with_its_parties(client, personas, kind):
    client.force_login(personas.coordinator)

    response = client.post(reverse("parties:refer"), referral(kind))

    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.pk])
    assert case.safety_concern and case.urgency == "high"
    assert case.participations.count() == 2


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"title": "regel\r\nSet-Cookie: a=b"}, "Use one line of ordinary text"),
        ({"party-0-name": "", "party-1-name": ""}, "Name at least one party of the conflict."),
        ({"party-0-name": "<b>x</b>\nY"}, "Use one line of ordinary text"),
    ],
)
def test_a_bad_referral_is_explained_and_nothing_is_saved(client, personas, kind, changes, message):
    client.force_login(personas.coordinator)

    response = client.post(
        reverse("parties:refer"), referral(kind, **changes), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Case.objects.exists()


def test_html_in_a_title_is_shown_escaped(client, personas, kind):
    client.force_login(personas.coordinator)
    client.post(reverse("parties:refer"), referral(kind, title="<script>alert(1)</script> & co"))

    content = client.get(reverse("cases:detail", args=[Case.objects.get().pk])).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in content


def test_only_coordinators_open_the_referral_form(client, personas):
    client.force_login(personas.mediator)

    assert client.get(reverse("parties:refer")).status_code == 403


def test_supervisor_sees_conflict_matches_before_confirming_the_assignment(
    client, personas, refer, assigned
):
    # The mediator already works on a case with "Jan de Vries"; a new case names "J. de Vries".
    new = refer(parties=[{"kind": "person", "name": "J. de Vries"}])
    client.force_login(personas.supervisor)
    url = reverse("cases:assign", args=[new.pk])

    check = client.post(url, {"lead": personas.mediator.pk}, HTTP_ACCEPT_LANGUAGE="en")
    confirm = client.post(url, {"lead": personas.mediator.pk, "confirmed": "True"})

    content = check.content.decode()
    assert (
        "J. de Vries" in content and assigned.reference in content and "a similar name" in content
    )
    assert Case.objects.get(pk=new.pk).lead_mediator == personas.mediator
    assert confirm["Location"] == reverse("cases:detail", args=[new.pk])


def test_lead_cannot_also_be_co_mediator(client, personas, refer):
    case = refer()
    client.force_login(personas.supervisor)

    response = client.post(
        reverse("cases:assign", args=[case.pk]),
        {"lead": personas.mediator.pk, "co_mediators": [personas.mediator.pk], "confirmed": "True"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "The lead mediator cannot also be a co-mediator." in response.content.decode()
    assert Case.objects.get(pk=case.pk).lead_mediator is None


def test_mediator_declares_after_seeing_the_matches(client, personas, assigned):
    client.force_login(personas.mediator)
    url = reverse("cases:declare", args=[assigned.pk])

    missing = client.post(url, {"declaration": "disclosed"}, HTTP_ACCEPT_LANGUAGE="en")
    done = client.post(url, {"declaration": "no_conflict"})

    assert "Describe the conflict of interest you disclose." in missing.content.decode()
    assert done.status_code == 302
    declaration = ConflictOfInterestDeclaration.objects.get(mediator=personas.mediator)
    assert declaration.declaration == "no_conflict"
    assert AuditEvent.objects.filter(action=AuditAction.CONFLICT_DECLARED).count() == 1


def test_the_case_page_lists_what_blocks_a_step(client, personas, assigned):
    client.force_login(personas.mediator)

    content = client.get(
        reverse("cases:detail", args=[assigned.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()

    assert "Before you can: Accept the case" in content
    assert "has not yet declared whether they have a conflict of interest." in content


def test_a_step_through_the_page_moves_the_case_and_says_so(client, personas, assigned):
    declare_all(assigned, personas)
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:transition", args=[assigned.pk]),
        {"name": "accept", "expected_status": "referred"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert Case.objects.get(pk=assigned.pk).status == CaseStatus.INTAKE
    assert "The case was updated: it is now &#x27;Intake&#x27;." in response.content.decode()


def test_a_refused_step_through_the_page_says_what_is_missing(client, personas, in_intake):
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:transition", args=[in_intake.pk]),
        {"name": "start_sessions", "expected_status": "intake"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Record the consent (signed mediation agreement) of Jan de Vries." in (
        response.content.decode()
    )
    assert Case.objects.get(pk=in_intake.pk).status == CaseStatus.INTAKE


def test_a_step_from_a_stale_page_gets_the_conflict_message(client, personas, in_intake):
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:transition", args=[in_intake.pk]),
        {"name": "accept", "expected_status": "referred"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Someone else changed this case in the meantime" in response.content.decode()


def test_the_case_trail_lists_the_case_events(client, personas, in_intake):
    client.force_login(personas.mediator)

    response = client.get(reverse("cases:trail", args=[in_intake.pk]))

    actions = {event.action for event in response.context["page"].object_list}
    assert {AuditAction.CASE_REFERRED, AuditAction.CASE_TRANSITION} <= actions
    assert all(event.case_id == in_intake.pk for event in response.context["page"].object_list)


def test_assigning_a_closed_case_is_refused_with_a_message(client, personas, refer):
    case = refer()
    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Niet passend.")
    client.force_login(personas.supervisor)

    response = client.post(
        reverse("cases:assign", args=[case.pk]),
        {"lead": personas.mediator.pk, "confirmed": "True"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "A closed case cannot be assigned." in response.content.decode()
    assert Case.objects.get(pk=case.pk).lead_mediator is None
