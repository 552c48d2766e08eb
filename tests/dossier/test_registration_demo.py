"""Acceptance: the registration report gives the right figures for the demo data that was
built to cross the MfN minimums (demo.registration), counted by hand from the demo modules."""

import pytest
from django.core.management import call_command

from cases.models import Outcome
from demo.data import demo_accounts_ensure
from dossier.registration import default_period, registration_report

pytestmark = pytest.mark.django_db


def _report(user):
    start, end = default_period()
    return registration_report(mediator=user, start=start, end=end)


def test_the_demo_mediator_crosses_every_mfn_minimum_with_hand_counted_figures():
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    users = demo_accounts_ensure()

    report = _report(users["mediator"])

    # demo.agreements closes one case with partial agreement (one held session of 2 h, as lead);
    # demo.registration adds 8 closed cases in the period, as lead, with two 2 h sessions each.
    assert (report.lead_count, report.co_count, report.mediations_counted) == (9, 0, 9)
    # Held sessions Mehmet attended: the case in sessions, the case in follow-up, the closed
    # case and the one drafting its agreement (2 h each) and 16 sessions here: 8 + 32 hours.
    # The planned sessions and the earlier case's (more than three years ago) do not count.
    assert report.contact_minutes == 40 * 60
    # The closed case of demo.agreements (partial) and the two full agreements here.
    assert report.written_agreements_counted == 3
    assert {value: count for value, _label, count in report.outcomes} == {
        Outcome.FULL_AGREEMENT: 2,
        Outcome.PARTIAL_AGREEMENT: 1,
        Outcome.NO_AGREEMENT: 4,
        Outcome.WITHDRAWN: 2,
    }
    assert [m.code for m in report.minimums if not m.met] == []
    assert report.all_met


def test_the_demo_co_mediator_has_one_co_mediation_more_than_counts():
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
    users = demo_accounts_ensure()

    report = _report(users["comediator"])

    # Co-mediator on 4 of the past mediations (one with full agreement); the case she leads
    # (withdrawn during intake, no session held) is no mediation.
    assert (report.lead_count, report.co_count, report.co_counted) == (0, 4, 3)
    assert report.mediations_counted == 3
    assert report.written_agreements_counted == 1
    # Two 2 h sessions on each of the 4 cases.
    assert report.contact_minutes == 16 * 60
    assert not report.all_met
    unmet = {m.code for m in report.minimums if not m.met}
    assert unmet == {"mediations", "contact_hours", "written_agreements"}
