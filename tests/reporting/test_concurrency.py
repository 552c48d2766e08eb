"""Two refreshes of the stored tallies at once, on PostgreSQL: two supervisors opening the
report while changes wait to be counted, or the worker beside a report page."""

import pytest

from reporting.models import ReportStale
from reporting.tallies import tallies_rebuild, tallies_refresh
from tests.cases.test_concurrency import run_at_once
from tests.reporting.figures import counted_from_cases, planted_cases, stored

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def test_two_refreshes_at_once_both_succeed_and_count_once(personas):
    planted_cases(personas.coordinator, personas.mediator)
    assert ReportStale.objects.exists()

    results = run_at_once(tallies_refresh, tallies_refresh)

    # Each key is counted by one of them; the other waits, then finds nothing left to count.
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(results)[0] == 0 and sorted(results)[1] > 0
    assert not ReportStale.objects.exists()
    assert stored() == counted_from_cases()


def test_a_rebuild_beside_a_refresh_leaves_the_tallies_right(personas):
    planted_cases(personas.coordinator, personas.mediator)

    results = run_at_once(tallies_rebuild, tallies_refresh)

    assert [r for r in results if isinstance(r, Exception)] == []
    assert not ReportStale.objects.exists()
    assert stored() == counted_from_cases()
