"""The report page: hand-counted figures, suppression, a coordinator's own referrals only,
filters and bad input, and a fixed number of queries however many cases there are."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import CaseKind
from reporting.selectors import ReportFilters, report_build
from tests.factories import UserFactory
from tests.reporting.figures import (
    make_case,
    neighbours,
    other_coordinators_cases,
    planted_cases,
    reviewed_actions,
)

pytestmark = pytest.mark.django_db

YEAR = ReportFilters(start=date(2026, 1, 1), end=date(2026, 12, 31))
EN = {"headers": {"accept-language": "en"}}


@pytest.fixture
def planted(personas):
    cases = planted_cases(personas.coordinator, personas.mediator)
    other_coordinators_cases()
    return cases


def rows(table):
    return {row.label: row.cell.shown for row in table.rows}


def test_the_coordinators_figures_match_the_hand_count(personas, planted):
    report = report_build(user=personas.coordinator, filters=YEAR)

    assert report.cases.shown == 16
    # 2 between neighbours is suppressed, and so 14 with it: it is 16 minus the other.
    assert rows(report.table("kind")) == {
        "Between groups in society": None,
        "Between neighbours": None,
    }
    assert rows(report.table("status")) == {
        "Referred": None,
        "Intake": None,
        "Sessions": 0,
        "Agreement": 0,
        "Follow-up": 0,
        "Closed": 12,
    }
    # Partial agreement (1) is suppressed; no agreement (5), the next smallest, with it.
    assert rows(report.table("outcome")) == {
        "Full agreement": 6,
        "Partial agreement": None,
        "No agreement": None,
        "Withdrawn": 0,
        "Declined": 0,
        "Referred elsewhere": 0,
    }
    assert report.table("outcome").total.shown == 12
    assert rows(report.table("organisation")) == {"Gemeente Utrecht": 16}
    # 7 of 12 (58.3%) would give the suppressed partial agreement back: 7 - 6 = 1.
    assert report.agreement_share is None

    intake, agreement, closing = report.spreads
    assert (intake.count, intake.p25, intake.median, intake.p75) == (15, 4.5, 8, 11.5)
    assert (agreement.count, agreement.p25, agreement.median, agreement.p75) == (7, 21.5, 23, 24.5)
    assert (closing.count, closing.p25, closing.median, closing.p75) == (12, 32.75, 35.5, 38.25)

    assert report.sessions_held.shown == 7
    assert report.contact_hours == 10.0
    assert rows(report.table("follow_up")) == {"Done": 5, "Partly done": None, "Not done": None}
    assert report.reviewed.shown == 10
    assert [share for _label, share in report.review_shares] == [50.0, None, None]


def test_a_coordinator_counts_only_their_own_referrals(personas, planted):
    other = UserFactory(username="other_coordinator")
    theirs = report_build(user=other, filters=YEAR)
    assert theirs.cases.shown == 5
    assert rows(theirs.table("organisation")) == {"Gemeente Zeist": 5}
    assert theirs.spreads[0].count == 0
    assert theirs.sessions_held.shown == 0
    mine = report_build(user=personas.coordinator, filters=YEAR)
    assert "Gemeente Zeist" not in rows(mine.table("organisation"))


def test_a_supervisor_counts_every_referral(personas, planted):
    report = report_build(user=personas.supervisor, filters=YEAR)
    assert report.cases.shown == 21
    assert rows(report.table("organisation")) == {"Gemeente Utrecht": 16, "Gemeente Zeist": 5}
    assert rows(report.table("outcome"))["Withdrawn"] == 5


def test_the_agreement_share_is_shown_when_every_outcome_is(personas, planted):
    zeist = ReportFilters(start=YEAR.start, end=YEAR.end, organisation="Gemeente Zeist")
    report = report_build(user=personas.supervisor, filters=zeist)
    assert report.agreement_share == 0.0  # 0 of the 5 withdrawn
    for _ in range(5):
        make_case(
            personas.coordinator,
            status="closed",
            outcome="partial_agreement",
            referring_organisation="Gemeente Zeist",
        )
    report = report_build(user=personas.supervisor, filters=zeist)
    assert report.agreement_share == 50.0


def test_closed_cases_shown_elsewhere_are_not_the_complementary_cell(personas):
    # 3 in intake and 12 closed: hiding only the 3 and the 12 in the status table would not
    # do, since the outcomes' total and "closed cases" say 12 and the other tables 15.
    for _ in range(3):
        make_case(personas.coordinator, status="intake")
    for _ in range(12):
        make_case(personas.coordinator, status="closed", outcome="no_agreement")
    report = report_build(user=personas.coordinator, filters=YEAR)
    assert rows(report.table("status"))["Intake"] is None
    assert rows(report.table("status"))["Closed"] is None
    assert report.cases.shown == 15
    assert all(row.cell.shown in (None, 0) for row in report.table("outcome").rows)
    assert report.table("outcome").total.suppressed
    assert report.closed.suppressed
    assert report.agreement_share is None


def test_a_share_of_a_complementary_cell_is_not_shown(personas):
    case = make_case(personas.coordinator, status="follow_up", mediators=[personas.mediator])
    reviewed_actions(case, personas.mediator, done=5, partly_done=1, not_done=9)
    report = report_build(user=personas.coordinator, filters=YEAR)
    # 1 partly done is suppressed, and 5 done with it; 33% of 15 would give the 5 back.
    assert rows(report.table("follow_up")) == {"Done": None, "Partly done": None, "Not done": 9}
    assert [share for _label, share in report.review_shares] == [None, None, 60.0]


def test_filters_narrow_the_cases(personas, planted):
    kind = neighbours()
    report = report_build(
        user=personas.supervisor,
        filters=ReportFilters(start=YEAR.start, end=YEAR.end, kind=kind),
    )
    assert report.cases.suppressed  # 2 cases
    assert report.spreads[0].median is None  # 1 accepted: too few
    report = report_build(
        user=personas.supervisor,
        filters=ReportFilters(start=YEAR.start, end=YEAR.end, organisation="Gemeente Zeist"),
    )
    assert report.cases.shown == 5
    last_year = ReportFilters(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert report_build(user=personas.coordinator, filters=last_year).cases.suppressed


def test_the_page_shows_suppressed_cells_and_no_names(client, personas, planted):
    client.force_login(personas.coordinator)
    response = client.get(reverse("reporting:report"), {"start": "2026-01-01"}, **EN)
    assert response.status_code == 200
    page = response.content.decode()
    assert "&lt; 5" in page
    assert "Too few cases to show" not in page.split("Time from referral")[1].split("</table>")[0]
    assert 'role="img"' in page
    assert 'aria-labelledby="chart-kind-title"' in page
    assert '<title id="chart-kind-title">' in page
    for case in planted:
        assert case.reference not in page
        assert case.title not in page
    assert personas.mediator.last_name not in page


def test_the_page_defaults_to_the_current_year(client, personas, planted, time_machine):
    time_machine.move_to(date(2026, 12, 4))
    client.force_login(personas.coordinator)
    response = client.get(reverse("reporting:report"), **EN)
    assert response.status_code == 200
    assert response.context["report"].filters == YEAR
    assert response.context["report"].cases.shown == 16


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "not-a-date"}, "Enter a valid date."),
        ({"start": "2026-12-31", "end": "2026-01-01"}, "The period must start on or before"),
        ({"start": "2000-01-01", "end": "2026-01-01"}, "The period can be at most ten years."),
        ({"kind": "no-such-kind"}, "Select a valid choice."),
        ({"organisation": "Gemeente Zeist"}, "Select a valid choice."),
    ],
)
def test_bad_filters_are_a_400_with_a_message(client, personas, planted, query, message):
    client.force_login(personas.coordinator)
    response = client.get(reverse("reporting:report"), query, **EN)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_kind_filter_takes_the_kinds_code(client, personas, planted):
    client.force_login(personas.supervisor)
    response = client.get(reverse("reporting:report"), {"kind": "neighbours"}, **EN)
    assert response.status_code == 200
    assert response.context["report"].filters.kind == CaseKind.objects.get(code="neighbours")


def test_a_mediator_is_refused(client, personas):
    client.force_login(personas.mediator)
    for name in ("reporting:report", "reporting:export_csv", "reporting:annual"):
        assert client.get(reverse(name)).status_code == 403


def test_the_number_of_queries_does_not_grow_with_the_cases(
    client, personas, planted, django_assert_max_num_queries
):
    client.force_login(personas.supervisor)
    url = reverse("reporting:report")
    client.get(url)  # the session and the user's roles, once
    # Each request counts the cases changed since the last again (see reporting.tallies): a
    # fixed number of statements for the cases and every level, year and running total they
    # belong to.
    planted_cases(personas.coordinator, personas.mediator, organisation="Gemeente Amersfoort")
    with django_assert_max_num_queries(52) as few:
        assert client.get(url).status_code == 200
    for _ in range(3):
        planted_cases(personas.coordinator, personas.mediator, organisation="Gemeente Houten")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(len(few.captured_queries) - 34):  # nothing changed
        assert client.get(url).status_code == 200


def test_each_chart_draws_a_suppressed_cell_as_no_bar_with_its_text(client, personas, planted):
    client.force_login(personas.coordinator)
    page = client.get(reverse("reporting:report"), **EN).content.decode()
    charts = {
        name: page.split(f'aria-labelledby="chart-{name}-title"')[1].split("</svg>")[0]
        for name in ("kind", "status", "outcome", "organisation", "follow_up")
    }
    # Both kinds are suppressed: no bar at all, each value printed as "< 5".
    assert "<rect" not in charts["kind"]
    assert charts["kind"].count("&lt; 5") == 2
    # The outcomes: one bar (6 full agreements) with its value beside it; zero has no bar.
    assert charts["outcome"].count("<rect") == 1
    assert 'class="bar-value">6<' in charts["outcome"]
    assert charts["outcome"].count("&lt; 5") == 2
    assert charts["organisation"].count("<rect") == 1
    assert 'viewBox="0 0 320 ' in page
