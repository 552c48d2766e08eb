"""Only the case's mediators reach the participant pages; everyone else finds nothing."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from parties.models import Participation, Party
from tests.factories import CaseFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def every_url(case, participation) -> list[str]:
    on_participation = ["edit", "consent", "withdraw_consent", "remove", "restore"]
    return [
        reverse("parties:add", args=[case.pk]),
        *(
            reverse(f"parties:{name}", args=[case.pk, participation.pk])
            for name in on_participation
        ),
    ]


@pytest.mark.parametrize("persona", ["outsider", "supervisor", "coordinator"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_supervisor_and_referrer_get_404_for_every_participant_url(
    client, personas, case, participation, persona, method
):
    client.force_login(getattr(personas, persona))
    parties_before = Party.objects.count()

    for url in every_url(case, participation):
        response = getattr(client, method)(url, {"name": "Someone", "signed_on": "2026-01-01"})
        assert response.status_code == 404, url

    assert Party.objects.count() == parties_before
    assert not AuditEvent.objects.filter(action__startswith="party.").exists()
    participation.refresh_from_db()
    assert participation.removed_at is None and participation.consent_signed_on is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login(client, case, participation, method):
    for url in every_url(case, participation):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))


def test_a_participant_of_another_case_is_404_even_for_its_own_mediator(client, personas, case):
    elsewhere = ParticipationFactory()  # a case the mediator is not on
    also_mine = ParticipationFactory(
        case=CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
    )
    client.force_login(personas.mediator)

    for other in (elsewhere, also_mine):
        for name in ["edit", "consent", "withdraw_consent", "remove", "restore"]:
            url = reverse(f"parties:{name}", args=[case.pk, other.pk])
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code == 404, url
    assert not Participation.objects.filter(removed_at__isnull=False).exists()


def test_both_mediators_of_the_case_reach_the_add_page(client, personas, case):
    for mediator in (personas.mediator, personas.comediator):
        client.force_login(mediator)
        assert client.get(reverse("parties:add", args=[case.pk])).status_code == 200
