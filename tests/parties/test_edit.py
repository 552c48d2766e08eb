"""Changing a party's details."""

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from mediation.keys import blind_index
from tests.parties.conftest import add_data, case_url

pytestmark = pytest.mark.django_db


def edit_url(case, participation) -> str:
    return reverse("parties:edit", args=[case.pk, participation.pk])


def test_the_edit_form_shows_the_current_details(client, personas, case, participation):
    client.force_login(personas.mediator)

    response = client.get(edit_url(case, participation))

    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "Marieke Jansen"
    assert 'value="Marieke Jansen"' in response.content.decode()


def test_mediator_changes_details_and_only_the_changed_fields_are_audited(
    client, personas, case, participation
):
    party = participation.party
    client.force_login(personas.mediator)
    data = add_data(
        kind=party.kind,
        name=party.name,
        email="nieuw@voorbeeld.nl",
        phone="",
        postal_address="",
        needs_step_free_access="on",
    )

    response = client.post(edit_url(case, participation), data)

    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    party.refresh_from_db()
    assert party.email == "nieuw@voorbeeld.nl"
    assert party.email_index == blind_index("nieuw@voorbeeld.nl")
    assert party.needs_step_free_access is True
    event = AuditEvent.objects.get(action=AuditAction.PARTICIPANT_CHANGED)
    assert event.case_id == case.pk
    assert event.details == {"fields": ["email", "needs_step_free_access"]}


def test_saving_without_changes_writes_no_audit_event(client, personas, case, participation):
    party = participation.party
    client.force_login(personas.mediator)
    data = add_data(kind=party.kind, name=party.name, email=party.email, phone="")
    data.update(postal_address="")

    response = client.post(edit_url(case, participation), data)

    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action=AuditAction.PARTICIPANT_CHANGED).exists()
