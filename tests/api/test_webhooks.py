"""Webhooks (issue 21, point 3): a client registers an address and hears of every status
change of its referrals, in order, signed, and nothing is lost while the receiver is down. The
receiver is a real HTTP server on localhost; the worker's drain of the HTTP outbox sends."""

import json
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiScope, Webhook
from api.webhooks import SECRET_PREFIX, SENDER, signature, signature_valid
from cases.models import Case
from cases.services import case_assign, case_transition, conflict_declare
from mediation.http_outbox import http_outbox_drain
from mediation.models import HttpDelivery, OutboxStatus
from tests.api.conftest import REFERRALS, drain_until_done, link, referral_body
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"


def test_a_webhook_is_made_with_a_secret_shown_once(caller, receiver):
    made = caller.post(WEBHOOKS, {"url": receiver.url})

    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret.startswith(SECRET_PREFIX) and len(secret) > 40
    assert made["Location"] == f"{WEBHOOKS}{made.json()['id']}/"
    listed = caller.get(WEBHOOKS).json()
    assert [hook["url"] for hook in listed] == [receiver.url]
    assert "secret" not in listed[0]
    assert "secret" not in caller.get(made["Location"]).json()
    stored = Webhook.objects.get()
    assert secret.encode() not in bytes(stored.sealed_secret)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://zaken.example.nl/events", "must start with https://"),
        ("javascript:alert(1)", "Enter a full web address"),
        ("https://user:pass@zaken.example.nl/events", "cannot hold a user name"),
        ("https://zaken.example.nl/" + "x" * 600, "no more than 500 characters"),
    ],
)
def test_an_address_that_cannot_receive_is_refused_and_nothing_is_stored(
    caller, settings, url, message
):
    settings.TAFEL_WEBHOOKS_ALLOW_HTTP = False

    refused = caller.post(WEBHOOKS, {"url": url})

    assert refused.status_code == 400
    assert message in json.dumps(refused.json())
    assert not Webhook.objects.exists()


def test_a_client_has_at_most_a_few_webhooks(caller, settings):
    settings.TAFEL_WEBHOOKS_PER_CLIENT = 2
    for number in range(2):
        assert caller.post(WEBHOOKS, {"url": f"https://a.example.nl/{number}"}).status_code == 201

    refused = caller.post(WEBHOOKS, {"url": "https://a.example.nl/3"})

    assert refused.status_code == 400
    assert "at most 2 webhooks" in refused.json()["url"][0]


def test_another_clients_webhook_does_not_exist_for_it(caller, elsewhere):
    made = caller.post(WEBHOOKS, {"url": "https://zaken.example.nl/events"}).json()

    assert elsewhere.get(f"{WEBHOOKS}{made['id']}/").status_code == 404
    assert elsewhere.http.delete(f"{WEBHOOKS}{made['id']}/").status_code == 404
    assert elsewhere.get(WEBHOOKS).json() == []
    assert Webhook.objects.get().active


def test_webhooks_need_the_scope_to_read_cases(make_caller):
    writer = make_caller(scopes=[ApiScope.REFERRALS_WRITE])

    assert writer.get(WEBHOOKS).status_code == 403
    assert writer.post(WEBHOOKS, {"url": "https://zaken.example.nl/e"}).status_code == 403


def test_a_receiver_that_was_down_gets_every_event_in_order_and_signed(
    caller, elsewhere, kind, personas, receiver
):
    secret = caller.post(WEBHOOKS, {"url": receiver.url}).json()["secret"]
    other = elsewhere.post(WEBHOOKS, {"url": receiver.url.replace("events", "other")})
    assert other.status_code == 201
    case = Case.objects.get(pk=caller.post(REFERRALS, referral_body(kind)).json()["id"])
    case_assign(case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)
    conflict_declare(case=case, mediator=personas.mediator, declaration="no_conflict")
    case = case_transition(case=case, name="accept", actor=personas.mediator)
    started = timezone.now()

    http_outbox_drain(now=started)  # the receiver is down: nothing arrives, nothing is lost
    case = case_transition(
        case=case, name="withdraw", actor=personas.mediator, reason="MARKER-REASON-webhook"
    )
    http_outbox_drain(now=started + timedelta(minutes=1))
    assert receiver.received == []
    waiting = HttpDelivery.objects.filter(sender=SENDER)
    assert waiting.count() == 2  # the other municipality's webhook hears nothing of this case
    assert set(waiting.values_list("status", flat=True)) == {OutboxStatus.PENDING}

    receiver.start()
    drain_until_done(started + timedelta(hours=2))

    events = [json.loads(body) for _headers, body in receiver.received]
    assert [event["referral"]["status"] for event in events] == ["intake", "closed"]
    assert [event["previous_status"] for event in events] == ["referred", "intake"]
    assert events[1]["referral"]["outcome"] == "withdrawn"
    assert {event["type"] for event in events} == {"referral.status_changed"}
    assert len({event["id"] for event in events}) == 2
    for headers, body in receiver.received:
        assert signature_valid(secret, headers["Tafel-Signature"], body)
        assert headers["Tafel-Event-Id"] == json.loads(body)["id"]
        assert b"MARKER" not in body and b"Onrust" not in body  # no reason, no title
    assert set(waiting.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_a_signature_proves_the_secret_the_body_and_a_recent_time():
    body = b'{"id":"1"}'
    now = time.time()
    header = signature("whsec_right", int(now), body)

    assert signature_valid("whsec_right", header, body, now=now)
    assert not signature_valid("whsec_wrong", header, body, now=now)
    assert not signature_valid("whsec_right", header, body + b" ", now=now)
    assert not signature_valid("whsec_right", header, body, now=now + 301)  # a replay
    assert not signature_valid("whsec_right", "t=x,v1=00", body, now=now)


def test_a_stopped_webhook_gets_nothing_more_and_its_waiting_events_are_dropped(
    caller, kind, personas, receiver
):
    made = caller.post(WEBHOOKS, {"url": receiver.url}).json()
    case = Case.objects.get(pk=caller.post(REFERRALS, referral_body(kind)).json()["id"])
    case_transition(case=case, name="decline", actor=personas.supervisor, reason="Niet passend.")

    assert caller.http.delete(f"{WEBHOOKS}{made['id']}/").status_code == 204
    receiver.start()
    drain_until_done(timezone.now())

    assert receiver.received == []
    assert HttpDelivery.objects.get(sender=SENDER).status == OutboxStatus.WITHDRAWN
    assert caller.get(f"{WEBHOOKS}{made['id']}/").json()["active"] is False


def test_a_case_the_client_did_not_refer_makes_no_event(caller, personas, receiver):
    caller.post(WEBHOOKS, {"url": receiver.url})
    form_referral = CaseFactory(referred_by=personas.coordinator)
    case_transition(
        case=form_referral, name="decline", actor=personas.supervisor, reason="Niet passend."
    )
    linked = CaseFactory(referred_by=personas.coordinator)
    link(linked, caller)
    case_transition(case=linked, name="decline", actor=personas.supervisor, reason="Nee.")

    assert HttpDelivery.objects.filter(sender=SENDER).count() == 1
