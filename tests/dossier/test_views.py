"""The supervisor's destruction pages, the hold page and the case page's retention panel."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.models import Note
from dossier.models import DestructionList, ListStatus

pytestmark = pytest.mark.django_db


def test_the_list_page_says_when_nothing_is_due(client, personas, closed):
    client.force_login(personas.supervisor)

    page = client.get(reverse("dossier:lists"))
    assert "No destruction list was proposed yet." in page.content.decode()
    response = client.post(reverse("dossier:lists"), follow=True)

    assert "Nothing is due for destruction today." in response.content.decode()
    assert not DestructionList.objects.exists()


def test_a_supervisor_proposes_approves_and_carries_out_a_list(client, personas, closed, clock):
    clock.years_and_days(5, days=1)
    client.force_login(personas.supervisor)

    response = client.post(reverse("dossier:lists"))
    proposal = DestructionList.objects.get()
    assert response.url == reverse("dossier:list", args=[proposal.pk])
    page = client.get(response.url).content.decode()
    assert closed.reference in page
    decide = reverse("dossier:decide", args=[proposal.pk])

    client.post(decide, {"action": "approve"})
    refused = client.post(decide, {"action": "execute"})
    assert refused.status_code == 400
    assert "Confirm that the records may be destroyed for good." in refused.content.decode()
    assert Note.objects.filter(case=closed).exists()

    client.post(decide, {"action": "execute", "confirm": "on"})

    proposal.refresh_from_db()
    assert proposal.status == ListStatus.EXECUTED
    assert not Note.objects.filter(case=closed).exists()
    statement = client.get(reverse("dossier:statement", args=[proposal.pk]))
    assert closed.reference in statement.content.decode()
    csv = client.get(reverse("dossier:statement_csv", args=[proposal.pk]))
    assert csv["Content-Type"].startswith("text/csv")
    assert closed.reference in csv.content.decode()
    assert AuditEvent.objects.filter(action="dossier.statement_exported").exists()


def test_a_statement_exists_only_for_a_list_carried_out(client, personas, closed, clock):
    clock.years_and_days(5, days=1)
    client.force_login(personas.supervisor)
    client.post(reverse("dossier:lists"))
    proposal = DestructionList.objects.get()

    assert client.get(reverse("dossier:statement", args=[proposal.pk])).status_code == 404


def test_rejecting_needs_a_reason(client, personas, closed, clock):
    clock.years_and_days(5, days=1)
    client.force_login(personas.supervisor)
    client.post(reverse("dossier:lists"))
    proposal = DestructionList.objects.get()

    response = client.post(reverse("dossier:decide", args=[proposal.pk]), {"action": "reject"})

    assert response.status_code == 400
    proposal.refresh_from_db()
    assert proposal.status == ListStatus.PROPOSED


def test_the_case_page_shows_retention_to_mediators_and_supervisors_only(client, personas, closed):
    url = reverse("cases:detail", args=[closed.pk])
    for persona, shown in (
        (personas.mediator, True),
        (personas.supervisor, True),
        (personas.coordinator, False),
    ):
        client.force_login(persona)
        page = client.get(url).content.decode()
        assert ('id="retention-heading"' in page) is shown, persona
    client.force_login(personas.mediator)
    page = client.get(url).content.decode()
    assert "civil code art. 7:412" in page
    assert "Set a legal hold" not in page, "only a supervisor holds"


def test_a_supervisor_sets_and_lifts_a_hold_from_the_case_page(client, personas, closed):
    client.force_login(personas.supervisor)
    url = reverse("dossier:hold", args=[closed.pk])

    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 400
    client.post(url, {"reason": "Klacht bij de klachtencommissie."})
    page = client.get(reverse("cases:detail", args=[closed.pk])).content.decode()
    assert "Legal hold" in page
    client.post(url, {"reason": "Klacht afgehandeld."})

    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("dossier.hold_set") == 1
    assert actions.count("dossier.hold_lifted") == 1


def test_pages_are_for_supervisors_only(client, closed, personas):
    for persona in (personas.mediator, personas.coordinator, personas.outsider):
        client.force_login(persona)
        assert client.get(reverse("dossier:lists")).status_code == 403
        assert client.get(reverse("dossier:hold", args=[closed.pk])).status_code == 403
