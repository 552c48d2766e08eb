"""Every call is an audit event: the client, method, path and status; never the content."""

import json

import pytest
from django.test import Client

from api.models import ApiClient
from audit.labels import events_for_display
from audit.models import AuditAction, AuditEvent
from cases.models import Case, CaseActivity
from tests.api.conftest import REFERRALS, referral_body, referral_url

pytestmark = pytest.mark.django_db


def calls() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.API_CALL).order_by("sequence"))


def test_each_call_is_recorded_with_client_method_path_and_status(caller, kind, personas):
    made = caller.post(REFERRALS, referral_body(kind, title="GEHEIM-TITEL"))
    case_id = made.json()["id"]
    caller.get(REFERRALS)
    caller.get(referral_url(case_id))
    caller.get(referral_url(999999))

    recorded = [(e.details["method"], e.details["path"], e.details["status"]) for e in calls()]
    assert recorded == [
        ("POST", REFERRALS, 201),
        ("GET", REFERRALS, 200),
        ("GET", referral_url(case_id), 200),
        ("GET", referral_url(999999), 404),
    ]
    for event in calls():
        assert event.actor == personas.coordinator
        assert event.details["client"] == caller.client.pk
        assert event.target_type == "api.apiclient" and event.target_id == str(caller.client.pk)
    assert [e.case_id for e in calls()] == [case_id, None, case_id, None]


def test_no_content_of_a_call_reaches_the_trail(caller, kind):
    caller.post(REFERRALS, referral_body(kind, title="GEHEIM-TITEL", referral_reason="GEHEIM"))
    caller.post(REFERRALS, referral_body(kind, title="a\nGEHEIM-FOUT"))

    trail = json.dumps([e.details for e in AuditEvent.objects.all()])
    assert "GEHEIM" not in trail
    assert caller.token not in trail


def test_refused_calls_are_recorded_too(make_caller, kind):
    reader = make_caller(scopes=["cases:read"])
    reader.post(REFERRALS, referral_body(kind))
    Client().get(REFERRALS, HTTP_AUTHORIZATION="Bearer wrong")

    refused = [(e.details["status"], e.actor_id, e.details.get("client")) for e in calls()]
    assert refused == [
        (403, reader.client.acts_as.pk, reader.client.pk),
        (401, None, None),
    ]
    assert calls()[1].actor_label == "api (no valid token)"
    assert not Case.objects.exists()


def test_the_trail_names_the_client(caller, personas):
    caller.get(REFERRALS)

    line = events_for_display(calls(), show_names=False)[0]

    assert "Zaaksysteem Utrecht" in line.about
    assert ApiClient.objects.get().name in dict(line.details).get("API client", "")


def test_reading_a_referral_is_no_activity_on_the_case(caller, kind):
    case_id = caller.post(REFERRALS, referral_body(kind)).json()["id"]
    before = CaseActivity.objects.get(case_id=case_id).last_at

    caller.get(referral_url(case_id))

    assert CaseActivity.objects.get(case_id=case_id).last_at == before
