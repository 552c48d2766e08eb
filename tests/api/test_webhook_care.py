"""A client looks after its webhooks: it reads how its events fare, moves a webhook to another
address, renews its secret, and sends the events that failed for good again. The receivers are
real HTTP servers on localhost; the worker's drain of the HTTP outbox sends."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiScope, Webhook
from api.webhooks import SENDER, signature_valid
from audit.models import AuditAction, AuditEvent
from cases.models import Case
from cases.services import case_assign, case_transition, conflict_declare
from mediation.models import HttpDelivery, OutboxStatus
from mediation.queueing import MAX_ATTEMPTS
from tests.api.conftest import REFERRALS, drain_until_done, referral_body

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"
# Enough hourly rounds for three events to use up every try while the receiver is down.
ROUNDS_TO_FAIL = 3 * MAX_ATTEMPTS + 5


def patch(caller, path: str, data: object):
    return caller.http.patch(path, json.dumps(data), content_type="application/json")


def refer(caller, kind) -> Case:
    return Case.objects.get(pk=caller.post(REFERRALS, referral_body(kind)).json()["id"])


def accept(case: Case, personas) -> Case:
    """The case goes to intake: one event."""
    case_assign(case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)
    conflict_declare(case=case, mediator=personas.mediator, declaration="no_conflict")
    return case_transition(case=case, name="accept", actor=personas.mediator)


def decline(case: Case, personas) -> Case:
    """The case closes before intake: one event."""
    return case_transition(case=case, name="decline", actor=personas.supervisor, reason="Nee.")


def three_events(caller, kind, personas) -> None:
    """Three events of two referrals, in this order: intake, declined, closed."""
    first, second = refer(caller, kind), refer(caller, kind)
    first = accept(first, personas)
    decline(second, personas)
    case_transition(case=first, name="withdraw", actor=personas.mediator, reason="Stop.")


def state(caller, webhook_id: int) -> dict:
    return caller.get(f"{WEBHOOKS}{webhook_id}/").json()["deliveries"]


def test_the_delivery_state_shows_a_receiver_that_was_down(caller, kind, personas, receiver):
    made = caller.post(WEBHOOKS, {"url": receiver.url}).json()
    assert made["deliveries"] == {
        "waiting": 0,
        "delivered": 0,
        "failed": 0,
        "last_delivered_at": None,
        "last_failure_at": None,
        "last_failure_error": None,
        "last_failure_status": None,
    }
    case = accept(refer(caller, kind), personas)
    assert state(caller, made["id"])["waiting"] == 1

    started = timezone.now()
    drain_until_done(started, rounds=ROUNDS_TO_FAIL)  # nothing listens: every try fails

    down = state(caller, made["id"])
    assert (down["waiting"], down["delivered"], down["failed"]) == (0, 0, 1)
    assert down["last_failure_error"] == "ConnectionError"
    assert down["last_failure_status"] is None
    assert down["last_failure_at"] is not None and down["last_delivered_at"] is None

    receiver.start()
    case_transition(case=case, name="withdraw", actor=personas.mediator, reason="Stop.")
    drain_until_done(started + timedelta(days=2))

    back = state(caller, made["id"])
    assert (back["waiting"], back["delivered"], back["failed"]) == (0, 1, 1)
    assert back["last_delivered_at"] is not None
    assert back["last_failure_error"] == "ConnectionError"  # the event that failed for good
    listed = caller.get(WEBHOOKS).json()
    assert [hook["deliveries"] for hook in listed] == [back]


def test_a_refusal_shows_its_http_status_and_never_the_receivers_answer(
    caller, kind, personas, receiver
):
    receiver.answer = 404
    receiver.start()
    made = caller.post(WEBHOOKS, {"url": receiver.url}).json()
    decline(refer(caller, kind), personas)

    drain_until_done(timezone.now())

    assert len(receiver.received) == 1  # a refusal is not tried again
    read = caller.get(f"{WEBHOOKS}{made['id']}/")
    shown = read.json()["deliveries"]
    assert (shown["failed"], shown["last_failure_error"], shown["last_failure_status"]) == (
        1,
        "HTTP 404",
        404,
    )
    assert b"RECEIVER-ANSWER-BODY" not in read.content
    assert b"RECEIVER-ANSWER-BODY" not in caller.get(WEBHOOKS).content


def test_the_list_reads_the_delivery_state_in_a_fixed_number_of_queries(
    caller, kind, personas, receiver, django_assert_max_num_queries
):
    receiver.answer = 500
    receiver.start()
    caller.post(WEBHOOKS, {"url": receiver.url})
    decline(refer(caller, kind), personas)
    drain_until_done(timezone.now(), rounds=3)
    with django_assert_max_num_queries(50) as one:
        assert len(caller.get(WEBHOOKS).json()) == 1
    few = len(one.captured_queries)  # now: the next request forgets the log

    for number in range(3):
        caller.post(WEBHOOKS, {"url": f"{receiver.url}/{number}"})
    three_events(caller, kind, personas)
    drain_until_done(timezone.now(), rounds=3)
    with django_assert_max_num_queries(few):
        listed = caller.get(WEBHOOKS).json()

    assert len(listed) == 4
    assert sum(hook["deliveries"]["waiting"] for hook in listed) == 4 * 3 + 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://zaken.example.nl/events", "must start with https://"),
        ("javascript:alert(1)", "Enter a full web address"),
        ("https://user:pass@zaken.example.nl/events", "cannot hold a user name"),
        ("https://zaken.example.nl/" + "x" * 600, "no more than 500 characters"),
        ("", "may not be blank"),
    ],
)
def test_a_new_address_is_checked_as_at_creation_and_a_refused_one_changes_nothing(
    caller, settings, url, message
):
    settings.TAFEL_WEBHOOKS_ALLOW_HTTP = False
    made = caller.post(WEBHOOKS, {"url": "https://zaken.example.nl/tafel"}).json()

    refused = patch(caller, f"{WEBHOOKS}{made['id']}/", {"url": url})

    assert refused.status_code == 400
    assert message in json.dumps(refused.json())
    assert Webhook.objects.get().url == "https://zaken.example.nl/tafel"
    assert not AuditEvent.objects.filter(action=AuditAction.WEBHOOK_ADDRESS_CHANGED).exists()


def test_events_waiting_and_the_next_go_to_the_new_address(caller, kind, personas, receiver):
    made = caller.post(WEBHOOKS, {"url": "http://127.0.0.1:9/down"})
    secret, webhook_id = made.json()["secret"], made.json()["id"]
    case = accept(refer(caller, kind), personas)  # waits: the old address is down
    drain_until_done(timezone.now(), rounds=2)

    moved = patch(caller, f"{WEBHOOKS}{webhook_id}/", {"url": receiver.url})
    assert moved.status_code == 200
    assert moved.json()["url"] == receiver.url
    assert moved.json()["deliveries"]["waiting"] == 1
    case_transition(case=case, name="withdraw", actor=personas.mediator, reason="Stop.")
    receiver.start()
    drain_until_done(timezone.now() + timedelta(hours=2))

    events = [json.loads(body) for _headers, body in receiver.received]
    assert [event["referral"]["status"] for event in events] == ["intake", "closed"]
    for headers, body in receiver.received:
        assert signature_valid(secret, headers["Tafel-Signature"], body)  # the secret stays
    assert set(HttpDelivery.objects.values_list("url", flat=True)) == {receiver.url}
    changed = AuditEvent.objects.get(action=AuditAction.WEBHOOK_ADDRESS_CHANGED)
    assert changed.details["webhook"] == webhook_id
    assert receiver.url not in json.dumps(changed.details)
    assert AuditEvent.objects.filter(
        action=AuditAction.API_CALL, details__method="PATCH", details__status=200
    ).exists()


def test_failed_events_sent_again_arrive_in_order_with_their_ids_and_valid_signatures(
    caller, kind, personas, receiver
):
    made = caller.post(WEBHOOKS, {"url": receiver.url}).json()
    three_events(caller, kind, personas)
    started = timezone.now()
    drain_until_done(started, rounds=ROUNDS_TO_FAIL)
    failed = list(HttpDelivery.objects.filter(sender=SENDER).order_by("id"))
    assert {delivery.status for delivery in failed} == {OutboxStatus.FAILED}
    assert state(caller, made["id"])["failed"] == 3

    again = caller.post(f"{WEBHOOKS}{made['id']}/redeliver/", {})

    assert again.status_code == 200
    assert again.json() == {"queued": 3}
    assert state(caller, made["id"])["waiting"] == 3
    receiver.start()
    drain_until_done(timezone.now())
    events = [json.loads(body) for _headers, body in receiver.received]
    assert [event["id"] for event in events] == [delivery.body["id"] for delivery in failed]
    assert [event["referral"]["status"] for event in events] == ["intake", "closed", "closed"]
    for headers, body in receiver.received:
        assert signature_valid(made["secret"], headers["Tafel-Signature"], body)
        assert headers["Tafel-Event-Id"] == json.loads(body)["id"]
    shown = state(caller, made["id"])
    assert (shown["waiting"], shown["delivered"], shown["failed"]) == (0, 3, 0)
    assert caller.post(f"{WEBHOOKS}{made['id']}/redeliver/", {}).json() == {"queued": 0}
    recorded = AuditEvent.objects.filter(action=AuditAction.WEBHOOK_REDELIVERED).order_by("id")
    assert [event.details["events"] for event in recorded] == [3, 0]


def test_a_stopped_webhook_cannot_be_sent_again_moved_or_given_a_secret(
    caller, kind, personas, receiver
):
    made = caller.post(WEBHOOKS, {"url": receiver.url}).json()
    receiver.answer = 400
    receiver.start()
    decline(refer(caller, kind), personas)
    drain_until_done(timezone.now())
    caller.http.delete(f"{WEBHOOKS}{made['id']}/")
    path = f"{WEBHOOKS}{made['id']}/"

    refusals = [
        caller.post(f"{path}redeliver/", {}),
        patch(caller, path, {"url": receiver.url + "/new"}),
        caller.post(f"{path}secret/", {}),
    ]

    for refused in refusals:
        assert refused.status_code == 409
        assert "This webhook is stopped" in refused.json()["detail"]
    assert HttpDelivery.objects.get().status == OutboxStatus.FAILED
    assert Webhook.objects.get().url == receiver.url


def test_a_new_secret_signs_the_events_still_waiting_and_the_old_one_stops(
    caller, kind, personas, receiver
):
    made = caller.post(WEBHOOKS, {"url": receiver.url}).json()
    decline(refer(caller, kind), personas)

    renewed = caller.post(f"{WEBHOOKS}{made['id']}/secret/", {})

    assert renewed.status_code == 201
    secret = renewed.json()["secret"]
    assert secret != made["secret"] and secret.startswith("whsec_")
    receiver.start()
    drain_until_done(timezone.now())
    [(headers, body)] = receiver.received
    assert signature_valid(secret, headers["Tafel-Signature"], body)
    assert not signature_valid(made["secret"], headers["Tafel-Signature"], body)
    assert AuditEvent.objects.filter(action=AuditAction.WEBHOOK_SECRET_RENEWED).count() == 1
    assert not AuditEvent.objects.filter(details__icontains=secret[6:20]).exists()


def test_another_clients_webhook_does_not_exist_for_the_new_endpoints(
    caller, elsewhere, kind, personas
):
    made = caller.post(WEBHOOKS, {"url": "https://zaken.example.nl/events"}).json()
    path = f"{WEBHOOKS}{made['id']}/"

    assert patch(elsewhere, path, {"url": "https://evil.example.nl/"}).status_code == 404
    assert elsewhere.post(f"{path}redeliver/", {}).status_code == 404
    assert elsewhere.post(f"{path}secret/", {}).status_code == 404
    assert elsewhere.post(f"{WEBHOOKS}99999/redeliver/", {}).status_code == 404
    assert Webhook.objects.get().url == "https://zaken.example.nl/events"
    assert not AuditEvent.objects.filter(
        action__in=[
            AuditAction.WEBHOOK_ADDRESS_CHANGED,
            AuditAction.WEBHOOK_REDELIVERED,
            AuditAction.WEBHOOK_SECRET_RENEWED,
        ]
    ).exists()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.API_CALL, details__status=404, details__client=elsewhere.client.pk
        ).count()
        == 4
    )


def test_the_new_endpoints_need_the_scope_to_read_cases(caller, make_caller):
    made = caller.post(WEBHOOKS, {"url": "https://zaken.example.nl/events"}).json()
    writer = make_caller(name="Schrijver", scopes=[ApiScope.REFERRALS_WRITE])
    path = f"{WEBHOOKS}{made['id']}/"

    assert patch(writer, path, {"url": "https://a.example.nl/"}).status_code == 403
    assert writer.post(f"{path}redeliver/", {}).status_code == 403
    assert writer.post(f"{path}secret/", {}).status_code == 403
    assert Webhook.objects.get().url == "https://zaken.example.nl/events"


def test_moving_to_the_same_address_records_no_change(caller):
    """Moving to the same address changes nothing and records no change."""
    made = caller.post(WEBHOOKS, {"url": "https://zaken.example.nl/events"}).json()

    same = patch(caller, f"{WEBHOOKS}{made['id']}/", {"url": "https://zaken.example.nl/events"})

    assert same.status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.WEBHOOK_ADDRESS_CHANGED).exists()
