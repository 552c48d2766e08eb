"""Referrals through the API: the referral form's checks, its service, and its queue."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiReferral, ApiScope
from audit.models import AuditAction, AuditEvent
from cases.models import Case, CaseKind
from cases.selectors import referral_queue
from tests.api.conftest import REFERRALS, referral_body, referral_url
from tests.cases.test_views import referral as form_referral

pytestmark = pytest.mark.django_db


def test_a_referral_joins_the_supervisors_queue_like_a_form_referral(
    caller, personas, kind, client
):
    response = caller.post(REFERRALS, referral_body(kind, safety_concern=True))
    client.force_login(personas.coordinator)
    client.post(reverse("parties:refer"), form_referral(kind))

    assert response.status_code == 201
    by_api, by_form = Case.objects.order_by("pk")
    # Same safety concern and urgency, same day: the queue keeps them in the order they came.
    assert list(referral_queue()) == [by_api, by_form]
    for case in (by_api, by_form):
        assert case.status == "referred" and case.referred_by == personas.coordinator
        assert case.safety_concern and case.urgency == "high"
        assert case.participations.count() == 2
        assert AuditEvent.objects.filter(action=AuditAction.CASE_REFERRED, case_id=case.pk)
    assert by_api.referring_organisation == caller.client.organisation
    supervisor = Client(HTTP_ACCEPT_LANGUAGE="en")
    supervisor.force_login(personas.supervisor)
    home = supervisor.get(reverse("home")).content.decode()
    assert by_api.reference in home and by_form.reference in home


def test_the_answer_is_the_new_referral_with_its_address(caller, kind):
    response = caller.post(REFERRALS, referral_body(kind, external_reference="Z-2026-17"))

    body = response.json()
    case = Case.objects.get()
    assert response["Location"] == referral_url(case.pk)
    assert body == {
        "id": case.pk,
        "reference": case.reference,
        "external_reference": "Z-2026-17",
        "kind": kind.code,
        "status": "referred",
        "referred_on": case.referred_on.isoformat(),
        "outcome": None,
        "ended_on": None,
        "status_history": [],
    }


def test_the_coordinator_reads_the_api_referral_in_the_web_interface(caller, kind, client):
    caller.post(REFERRALS, referral_body(kind))
    case = Case.objects.get()
    client.force_login(caller.client.acts_as)

    page = client.get(reverse("cases:detail", args=[case.pk]))

    assert page.status_code == 200
    assert "Gemeente Utrecht" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "may not be blank"),
        ({"title": "x" * 201}, "title", "no more than 200 characters"),
        ({"title": "regel\r\nSet-Cookie: a=b"}, "title", "Use one line of ordinary text"),
        ({"referral_reason": "a\x00b"}, "referral_reason", "Null characters are not allowed"),
        ({"referral_reason": "a\x07b"}, "referral_reason", "control characters"),
        ({"urgency": "asap"}, "urgency", "is not a valid choice"),
        ({"kind": "no_such_kind"}, "kind", "no active kind of conflict"),
        ({"parties": []}, "parties", "Name at least one party of the conflict."),
        ({"parties": [{"name": "A"}] * 13}, "parties", "A referral names at most 12 parties."),
        ({"parties": [{"name": "<b>x</b>\nY"}]}, "parties", "Use one line of ordinary text"),
        ({"parties": [{"name": "A", "email": "no-address"}]}, "parties", "valid email"),
        ({"parties": [{"name": "A", "kind": "robot"}]}, "parties", "not a valid choice"),
        ({"safety_concern": "perhaps"}, "safety_concern", "Must be a valid boolean."),
        ({"external_reference": "a\nb"}, "external_reference", "Use one line"),
    ],
)
def test_a_bad_referral_is_explained_field_by_field_and_nothing_is_saved(
    caller, kind, changes, field, message
):
    response = caller.post(REFERRALS, referral_body(kind, **changes))

    assert response.status_code == 400
    assert message in str(response.json()[field])
    assert not Case.objects.exists()


def test_the_form_and_the_api_refuse_with_the_same_message(caller, kind, personas, client):
    client.force_login(personas.coordinator)
    text = "Use one line of ordinary text: line breaks and control characters are not allowed."

    by_form = client.post(reverse("parties:refer"), form_referral(kind, title="a\nb"))
    by_api = caller.post(REFERRALS, referral_body(kind, title="a\nb"))

    assert text in by_form.content.decode().replace("&#x27;", "'")
    assert by_api.json() == {"title": [text]}


def test_an_inactive_kind_is_refused(caller, kind):
    CaseKind.objects.filter(pk=kind.pk).update(active=False)

    response = caller.post(REFERRALS, referral_body(kind))

    assert response.status_code == 400 and "kind" in response.json()


def test_the_same_external_reference_twice_makes_one_case(caller, kind):
    first = caller.post(REFERRALS, referral_body(kind, external_reference="Z-1"))
    again = caller.post(REFERRALS, referral_body(kind, external_reference="Z-1"))

    assert again.status_code == 409
    assert again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1


def test_another_client_may_use_the_same_external_reference(caller, elsewhere, kind):
    caller.post(REFERRALS, referral_body(kind, external_reference="Z-1"))

    response = elsewhere.post(REFERRALS, referral_body(kind, external_reference="Z-1"))

    assert response.status_code == 201
    assert ApiReferral.objects.count() == 2


def test_the_referral_is_the_clients_and_its_organisations(caller, elsewhere, kind):
    elsewhere.post(REFERRALS, referral_body(kind))

    case = Case.objects.get()
    assert case.referring_organisation == "Gemeente Amersfoort"
    assert case.referred_by == elsewhere.client.acts_as
    assert case.api_referral.client == elsewhere.client


def test_the_case_kinds_are_listed_for_a_client(make_caller, kind):
    caller = make_caller(scopes=[ApiScope.REFERRALS_WRITE])

    response = caller.get("/api/v1/case-kinds/")

    assert response.status_code == 200
    assert {"code": kind.code, "name_nl": kind.name_nl, "name_en": kind.name_en} in response.json()


def test_messages_follow_the_callers_language(caller, kind):
    body = json.dumps(referral_body(kind, parties=[{"name": "A"}] * 13))

    response = caller.http.post(
        REFERRALS, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="nl"
    )

    assert response.json()["parties"]["non_field_errors"] == [
        "Een aanmelding noemt ten hoogste 12 partijen. Noem de anderen in de reden, of laat de "
        "mediator ze bij de intake toevoegen."
    ]
