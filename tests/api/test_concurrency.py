"""A client's retry arriving while its first request is still running, on PostgreSQL."""

import pytest

from api.services import DuplicateReferral, api_referral_make
from audit.verification import audit_chain_verify
from cases.models import Case
from tests.cases.test_concurrency import run_at_once

pytestmark = pytest.mark.postgresql


@pytest.mark.django_db(transaction=True)
def test_the_same_external_reference_at_once_makes_one_case(caller, kind):
    def refer():
        return api_referral_make(
            client=caller.client,
            kind=kind,
            title="Tegelijk verstuurd",
            referral_reason="Een nieuwe poging van het zaaksysteem.",
            urgency="normal",
            safety_concern=False,
            parties=[{"kind": "person", "name": "Jan de Vries"}],
            external_reference="Z-2026-99",
        )

    results = run_at_once(refer, refer)

    made = [r for r in results if isinstance(r, Case)]
    duplicates = [r for r in results if isinstance(r, DuplicateReferral)]
    assert len(made) == 1 and len(duplicates) == 1, results
    assert duplicates[0].case.pk == made[0].pk
    assert Case.objects.count() == 1
    assert Case.objects.get().participations.count() == 1
    assert audit_chain_verify().intact
