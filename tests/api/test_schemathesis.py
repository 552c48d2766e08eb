"""The API tested like a public API (issue 21, point 5): schemathesis reads the OpenAPI schema
from a live server, generates calls from it for every operation (valid and invalid ones) and
sends them with a client's token. No call may fail with a server error, and every response must
match the schema: its status code, content type, headers and body.

One check is left out: `positive_data_acceptance` (every request the schema allows succeeds).
The API rightly refuses some of those, for rules a schema cannot state: a period whose end lies
before its start, a kind code that does not exist, a cursor this list never gave. Refusing
invalid data (`negative_data_rejection`) is checked.

(The operations are run one by one from the loaded schema: schemathesis' lazy pytest loader
does not work with pytest 9.)"""

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, given, settings

from api.webhooks import EVENT_STATUS_CHANGED, SENDER, group_of, webhook_create, webhook_stop
from mediation.models import HttpDelivery, OutboxStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_operation_keeps_to_its_schema(live_server, caller):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    headers = {"Authorization": f"Bearer {caller.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 4  # referrals (list, create, one), case kinds, the schema

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def run(case):
            case.call_and_validate(
                headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance]
            )

        run()


def test_the_webhook_operations_keep_to_their_schema_on_real_webhooks(live_server, caller):
    """Generated ids seldom name a webhook of the client: each webhook operation is also
    called on one that is active and one that is stopped, with events that fared both ways."""
    active, _secret = webhook_create(client=caller.client, url="https://zaken.example.nl/a")
    stopped, _secret = webhook_create(client=caller.client, url="https://zaken.example.nl/s")
    webhook_stop(webhook=stopped)
    for webhook in (active, stopped):
        for status, error in [(OutboxStatus.SENT, ""), (OutboxStatus.FAILED, "HTTP 404")]:
            HttpDelivery.objects.create(
                sender=SENDER,
                purpose=EVENT_STATUS_CHANGED,
                url=webhook.url,
                body={"id": "1"},
                group=group_of(webhook),
                status=status,
                last_error=error,
                sent_at=timezone.now() if status == OutboxStatus.SENT else None,
                last_attempt_at=timezone.now(),
            )
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    headers = {"Authorization": f"Bearer {caller.token}"}
    operations = {
        (operation.method.upper(), operation.path.removeprefix("/api/v1")): operation
        for operation in (result.ok() for result in schema.get_all_operations())
    }
    one = "/webhooks/{webhook_id}/"
    redeliver, secret = f"{one}redeliver/", f"{one}secret/"
    calls = [
        ("GET", "/webhooks/", {}, None, 200),
        ("GET", one, {"webhook_id": active.pk}, None, 200),
        ("PATCH", one, {"webhook_id": active.pk}, {"url": "https://zaken.example.nl/b"}, 200),
        ("PATCH", one, {"webhook_id": active.pk}, {"url": "javascript:alert(1)"}, 400),
        ("PATCH", one, {"webhook_id": stopped.pk}, {"url": "https://zaken.example.nl/b"}, 409),
        ("POST", redeliver, {"webhook_id": active.pk}, None, 200),
        ("POST", redeliver, {"webhook_id": stopped.pk}, None, 409),
        ("POST", secret, {"webhook_id": active.pk}, None, 201),
        ("POST", secret, {"webhook_id": stopped.pk}, None, 409),
        ("DELETE", one, {"webhook_id": active.pk}, None, 204),
    ]
    for method, path, parameters, body, expected in calls:
        operation = operations[(method, path)]
        case = operation.Case(
            path_parameters=parameters,
            **({"body": body, "media_type": "application/json"} if body is not None else {}),
        )
        response = case.call_and_validate(
            headers=headers, excluded_checks=[schemathesis.checks.positive_data_acceptance]
        )
        assert response.status_code == expected, (method, path, response.text)
