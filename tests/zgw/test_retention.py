"""The zaak's archive date follows the retention rule, and carrying out a destruction list
forgets the case's stored HTTP calls (the zaak itself is the municipality's record)."""

import pytest

from dossier.services import destruction_approve, destruction_execute, destruction_propose
from mediation.models import HttpDelivery
from tests.dossier.conftest import clock, closed  # noqa: F401 - fixtures
from tests.zgw.conftest import SECRET, deliver
from zgw.models import ZaakLink

pytestmark = pytest.mark.django_db


def test_destroying_the_dossier_forgets_the_calls_and_keeps_the_zaak_link(
    configuration,
    clock,  # noqa: F811 - the fixture imported above
    closed,  # noqa: F811
    personas,
    zaken,
):
    deliver()
    assert zaken.refused == [] and zaken.of("/resultaten")
    stored = HttpDelivery.objects.filter(case_id=closed.pk)
    # No row holds the secret or a token: both are made when a call is sent.
    assert all("Bearer" not in str(row.body) and SECRET not in str(row.body) for row in stored)
    clock.years_and_days(5, days=1)

    proposal = destruction_propose(actor=None)
    assert proposal is not None
    destruction_approve(proposal=proposal, actor=personas.supervisor)
    destruction_execute(proposal=proposal, actor=personas.supervisor)

    assert not HttpDelivery.objects.filter(case_id=closed.pk).exists()
    assert ZaakLink.objects.get(case=closed).zaak_url in zaken.zaken
