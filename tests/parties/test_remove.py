"""Removing participants and restoring them while the case is open."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import ParticipationFactory
from tests.parties.conftest import case_url, close

pytestmark = pytest.mark.django_db


def remove_url(case, participation) -> str:
    return reverse("parties:remove", args=[case.pk, participation.pk])


def restore_url(case, participation) -> str:
    return reverse("parties:restore", args=[case.pk, participation.pk])


def messages_of(response) -> list[str]:
    # Redirects are not followed, so messages of earlier requests in a test are still queued.
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_removing_asks_for_confirmation_first(client, personas, case, participation):
    client.force_login(personas.mediator)

    response = client.get(remove_url(case, participation), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert "Remove <bdi>Marieke Jansen</bdi> (Party) from the case?" in response.content.decode()
    participation.refresh_from_db()
    assert participation.removed_at is None


def test_mediator_removes_and_restores_a_participant(client, personas, case, participation):
    client.force_login(personas.mediator)

    removed = client.post(remove_url(case, participation), HTTP_ACCEPT_LANGUAGE="en")
    participation.refresh_from_db()
    assert participation.removed_at is not None
    restored = client.post(restore_url(case, participation), HTTP_ACCEPT_LANGUAGE="en")

    assert removed["Location"] == restored["Location"] == case_url(case)
    assert messages_of(removed) == [
        "The participant was removed. You can restore them until the case closes."
    ]
    assert messages_of(restored)[-1] == "The participant was restored."
    participation.refresh_from_db()
    assert participation.removed_at is None
    actions = list(AuditEvent.objects.order_by("sequence").values_list("action", flat=True))
    assert actions[-2:] == [AuditAction.PARTICIPANT_REMOVED, AuditAction.PARTICIPANT_RESTORED]


def test_a_party_with_a_representative_cannot_be_removed_first(
    client, personas, case, participation
):
    ParticipationFactory(case=case, role="representative", represents=participation)
    client.force_login(personas.mediator)

    response = client.post(remove_url(case, participation), HTTP_ACCEPT_LANGUAGE="en")

    assert response["Location"] == case_url(case)
    assert messages_of(response) == ["Remove this party's representatives first."]
    participation.refresh_from_db()
    assert participation.removed_at is None


def test_an_active_participant_cannot_be_restored_nor_a_removed_one_removed(
    client, personas, case, participation
):
    client.force_login(personas.mediator)

    assert client.post(restore_url(case, participation)).status_code == 404
    client.post(remove_url(case, participation))
    assert client.post(remove_url(case, participation)).status_code == 404
    assert client.get(restore_url(case, participation)).status_code == 405


def test_a_closed_case_refuses_removal_and_restoring_with_a_message(
    client, personas, case, participation
):
    gone = ParticipationFactory(case=case, role="observer")
    client.force_login(personas.mediator)
    client.post(remove_url(case, gone))
    close(case)
    message = "The case is closed: its participants can no longer change."

    removal = client.post(remove_url(case, participation), HTTP_ACCEPT_LANGUAGE="en")
    restoring = client.post(restore_url(case, gone), HTTP_ACCEPT_LANGUAGE="en")

    assert messages_of(removal)[-1] == message
    assert messages_of(restoring)[-1] == message
    participation.refresh_from_db()
    gone.refresh_from_db()
    assert participation.removed_at is None and gone.removed_at is not None
