"""Every change to a participant is audited, and the trail holds no names or addresses."""

import json

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from parties.models import Participation
from tests.parties.conftest import add_data

pytestmark = pytest.mark.django_db

NAME = "Zeynep Korkmaz-Hoogland"
EMAIL = "zeynep.korkmaz@voorbeeld.nl"
REPRESENTATIVE = "Advocatenkantoor Wilhelmina"


def test_every_change_writes_an_audit_event_without_names_or_email_addresses(
    client, personas, case
):
    client.force_login(personas.mediator)
    add = reverse("parties:add", args=[case.pk])

    client.post(add, add_data(name=NAME, email=EMAIL))
    party = Participation.objects.get(case=case)
    client.post(
        add,
        add_data(
            kind="group", name=REPRESENTATIVE, email="", role="representative", represents=party.pk
        ),
    )
    representative = Participation.objects.get(case=case, role="representative")
    on_party = {"case_id": case.pk, "participation_id": party.pk}
    client.post(
        reverse("parties:edit", kwargs=on_party),
        add_data(name=NAME, email="z.korkmaz@voorbeeld.nl", phone="", postal_address=""),
    )
    client.post(
        reverse("parties:consent", kwargs=on_party), {"signed_on": "2026-01-15", "signed_by": NAME}
    )
    client.post(
        reverse("parties:withdraw_consent", kwargs=on_party), {"withdrawn_on": "2026-02-01"}
    )
    on_representative = {"case_id": case.pk, "participation_id": representative.pk}
    client.post(reverse("parties:remove", kwargs=on_representative))
    client.post(reverse("parties:restore", kwargs=on_representative))

    actions = list(
        AuditEvent.objects.filter(case_id=case.pk)
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.PARTICIPANT_ADDED,
        AuditAction.PARTICIPANT_ADDED,
        AuditAction.PARTICIPANT_CHANGED,
        AuditAction.CONSENT_RECORDED,
        AuditAction.CONSENT_WITHDRAWN,
        AuditAction.PARTICIPANT_REMOVED,
        AuditAction.PARTICIPANT_RESTORED,
    ]
    trail = json.dumps(list(AuditEvent.objects.values()), default=str)
    for personal in (NAME, "Korkmaz", EMAIL, "z.korkmaz@voorbeeld.nl", REPRESENTATIVE):
        assert personal not in trail
