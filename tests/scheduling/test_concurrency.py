"""Two sessions planned at once for the same mediator, on PostgreSQL: one of them is refused."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, CaseStatus
from scheduling.models import Session
from scheduling.services import session_schedule
from tests.cases.test_concurrency import run_at_once
from tests.factories import CaseFactory
from tests.scheduling.conftest import at

pytestmark = pytest.mark.postgresql


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_sessions_of_one_mediator_planned_at_once_one_is_refused(personas):
    cases = [
        CaseFactory(referred_by=personas.coordinator, mediators=[personas.mediator])
        for _ in range(2)
    ]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(status=CaseStatus.SESSIONS)
    cases = [Case.objects.get(pk=c.pk) for c in cases]

    def plan(case):
        return lambda: session_schedule(
            case=case,
            kind="intake",
            starts_at=at(2027, 7, 6, 14),
            ends_at=at(2027, 7, 6, 15),
            place="Stadhuis",
            actor=personas.mediator,
        )

    results = run_at_once(plan(cases[0]), plan(cases[1]))

    planned = [r for r in results if isinstance(r, Session)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(planned) == 1 and len(refused) == 1, results
    assert "cannot be in two sessions at once" in refused[0].messages[0]
