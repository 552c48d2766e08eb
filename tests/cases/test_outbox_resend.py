"""A supervisor sends a message that failed for good again, from the case page."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from mediation.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(in_intake):
    """A status message of the case that the worker gave up on."""
    message = OutboxMessage.objects.filter(case_id=in_intake.pk).first()
    assert message is not None  # "accepted": the status message to the coordinator
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.FAILED, attempts=10)
    return message


def _resend(client, user, case, message):
    client.force_login(user)
    return client.post(reverse("cases:outbox_resend", args=[case.pk, message.pk]))


def test_a_supervisor_sends_a_failed_message_again_and_it_is_audited(
    client, personas, in_intake, failed
):
    client.force_login(personas.supervisor)
    page = client.get(reverse("cases:detail", args=[in_intake.pk]))
    assert "Send again" in page.content.decode()

    response = _resend(client, personas.supervisor, in_intake, failed)

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    event = AuditEvent.objects.get(action=AuditAction.OUTBOX_RESENT)
    assert event.case_id == in_intake.pk


def test_a_message_that_did_not_fail_is_not_sent_again(client, personas, in_intake, failed):
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.SENT)

    response = _resend(client, personas.supervisor, in_intake, failed)

    assert "Only a message that could not be sent can be sent again." in [
        str(message) for message in response.wsgi_request._messages
    ]
    assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.SENT
    assert not AuditEvent.objects.filter(action=AuditAction.OUTBOX_RESENT).exists()


def test_a_message_of_another_case_is_refused(client, personas, in_intake, failed, refer):
    other = refer()

    _resend(client, personas.supervisor, other, failed)

    assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.FAILED


@pytest.mark.parametrize("who", ["mediator", "coordinator", "outsider"])
def test_only_a_supervisor_sends_again(client, personas, in_intake, failed, who):
    response = _resend(client, getattr(personas, who), in_intake, failed)

    assert response.status_code in (403, 404)
    assert OutboxMessage.objects.get(pk=failed.pk).status == OutboxStatus.FAILED
    if who != "outsider":
        client.force_login(getattr(personas, who))
        page = client.get(reverse("cases:detail", args=[in_intake.pk])).content.decode()
        assert "Send again" not in page
