"""Two people acting on the same case at the same moment, on PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.utils import translation

from audit.models import AuditAction, AuditEvent
from audit.verification import audit_chain_verify
from cases.models import Case, CaseStatusChange
from cases.services import CaseActionError, case_transition
from parties.services import referral_make
from tests.case_fixtures import declare_all

pytestmark = pytest.mark.postgresql


def run_at_once(*calls):
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        translation.activate("en")  # a new thread starts in the default language
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # collected for the test to inspect
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_two_transitions_at_once_one_wins_the_other_gets_a_conflict(assigned, personas):
    declare_all(assigned, personas)

    results = run_at_once(
        lambda: case_transition(
            case=assigned, name="accept", actor=personas.mediator, expected_status="referred"
        ),
        lambda: case_transition(
            case=assigned,
            name="decline",
            actor=personas.supervisor,
            reason="Past niet.",
            expected_status="referred",
        ),
    )

    winners = [r for r in results if isinstance(r, Case)]
    losers = [r for r in results if isinstance(r, CaseActionError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert "Someone else changed this case in the meantime" in losers[0].messages[0]
    assert CaseStatusChange.objects.filter(case=assigned).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CASE_TRANSITION).count() == 1
    assert Case.objects.get(pk=assigned.pk).status == winners[0].status
    assert audit_chain_verify().intact


@pytest.mark.django_db(transaction=True)
def test_referrals_made_at_once_get_different_references(personas, kind):
    def refer():
        return referral_make(
            referred_by=personas.coordinator,
            kind=kind,
            title="Tegelijk aangemeld",
            referring_organisation="Gemeente Utrecht",
            referral_reason="…",
            urgency="normal",
            safety_concern=False,
            parties=[],
        )

    results = run_at_once(*[refer] * 6)

    assert all(isinstance(r, Case) for r in results), results
    assert len({case.reference for case in results}) == 6
