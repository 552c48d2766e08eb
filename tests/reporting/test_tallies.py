"""The stored tallies (issue 19, point 6): they follow every change, a rebuild gives the same,
and the report read from them equals the report counted from the cases, for any period."""

import random
import statistics
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from cases.models import Case
from mediation import jobs
from reporting.models import ReportStale, ReportTally
from reporting.selectors import (
    Counts,
    ReportFilters,
    _counted,
    _quartiles,
    report_build,
    spans_of,
)
from reporting.tallies import source_tallies, tallies_rebuild, tallies_refresh_all
from scheduling.models import Session, SessionStatus
from surveys.models import SurveyResponse
from tests.reporting.figures import (
    counted_from_cases,
    make_case,
    noon,
    other_coordinators_cases,
    planted_cases,
    reviewed_actions,
    step,
    stored,
)

pytestmark = pytest.mark.django_db


def as_counted(tallies) -> Counts:
    counts = Counts()
    counts.add(tallies)
    return counts


def plain(counts: Counts) -> tuple[dict, dict, dict]:
    """The counts without their zeros, comparable."""
    return (
        {
            measure: {value: n for value, n in values.items() if n}
            for measure, values in counts.measures.items()
            if any(values.values())
        },
        {kind: n for kind, n in counts.kinds.items() if n},
        {organisation: n for organisation, n in counts.organisations.items() if n},
    )


@pytest.mark.parametrize("seed", range(8))
def test_quartiles_from_a_histogram_equal_those_of_the_list(seed):
    rng = random.Random(seed)  # noqa: S311 - test data, not a secret
    days = [rng.randrange(0, 400) for _ in range(rng.randrange(2, 60))]

    histogram = Counter(days)

    assert _quartiles(dict(histogram)) == tuple(statistics.quantiles(days, n=4, method="inclusive"))


def test_the_stored_tallies_follow_every_change(personas):
    planted = planted_cases(personas.coordinator, personas.mediator)
    tallies_refresh_all()
    assert stored() == counted_from_cases()
    assert not ReportStale.objects.exists()

    # A step, a held session, a review, a moved referral date and a deleted case.
    intake = next(case for case in planted if case.status == "intake")
    step(intake, "close", "closed", 50)
    Case.objects.filter(pk=intake.pk).update(status="closed", outcome="withdrawn")
    session = Session.objects.filter(case__in=planted).first()
    session.status = SessionStatus.PLANNED
    session.save()
    reviewed_actions(planted[-1], personas.mediator, done=2)
    moved = planted[0]
    moved.referred_on = date(2026, 7, 15)
    moved.save()
    planted[1].delete()

    assert ReportStale.objects.exists()
    assert stored() != counted_from_cases()
    tallies_refresh_all()
    assert stored() == counted_from_cases()


def test_a_rebuild_gives_what_the_changes_gave(personas):
    planted_cases(personas.coordinator, personas.mediator)
    other_coordinators_cases()
    tallies_refresh_all()
    incremental = stored()

    stdout = StringIO()
    call_command("reporting_rebuild", stdout=stdout)

    assert stored() == incremental
    assert "report tallies" in stdout.getvalue()
    assert tallies_rebuild() == sum(1 for _ in ReportTally.objects.all())


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 12, 31)),  # whole months only
        (date(2026, 2, 15), date(2026, 11, 3)),  # both ends in the middle of a month
        (date(2026, 3, 1), date(2026, 3, 20)),  # within one month
        (date(2025, 12, 31), date(2026, 3, 1)),  # a day of a month at each end
        (date(2017, 1, 2), date(2026, 12, 31)),  # ten years less a day
    ],
)
def test_the_supervisors_figures_from_the_tallies_equal_those_from_the_cases(personas, start, end):
    planted = planted_cases(personas.coordinator, personas.mediator)
    other_coordinators_cases()
    for number, case in enumerate(planted):
        Case.objects.filter(pk=case.pk).update(
            referred_on=date(2026, 1 + number % 12, 1 + (7 * number) % 28)
        )
    for case in Case.objects.all():
        case.save()  # marks the keys the update moved the cases to
    make_case(personas.coordinator, referred_on=date(2025, 12, 31))
    filters = ReportFilters(start=start, end=end)

    from_tallies = _counted(personas.supervisor, filters)
    cases = Case.objects.filter(referred_on__range=(start, end))

    assert plain(from_tallies) == plain(as_counted(source_tallies(cases)))
    assert plain(from_tallies)[0]  # (something was counted)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 1, 1), date(2026, 12, 31)),  # a whole year
        (date(2025, 12, 1), date(2026, 2, 28)),  # whole months across a year's end
        (date(2017, 1, 2), date(2026, 12, 31)),  # ten years less a day
    ],
)
@pytest.mark.parametrize("by", ["nothing", "kind", "organisation", "both"])
def test_every_filter_and_role_reads_from_the_tallies_what_the_cases_say(personas, start, end, by):
    planted = planted_cases(personas.coordinator, personas.mediator)
    other_coordinators_cases()
    for number, case in enumerate(planted):
        Case.objects.filter(pk=case.pk).update(
            referred_on=date(2025 + number % 2, 1 + number % 12, 1 + (7 * number) % 28)
        )
    tallies_rebuild()
    kind = planted[0].kind if by in ("kind", "both") else None
    organisation = planted[0].referring_organisation if by in ("organisation", "both") else ""
    filters = ReportFilters(start=start, end=end, kind=kind, organisation=organisation)
    cases = Case.objects.filter(referred_on__range=(start, end))
    if kind is not None:
        cases = cases.filter(kind=kind)
    if organisation:
        cases = cases.filter(referring_organisation=organisation)

    supervisor = _counted(personas.supervisor, filters)
    coordinator = _counted(personas.coordinator, filters)

    assert plain(supervisor) == plain(as_counted(source_tallies(cases)))
    own = cases.filter(referred_by=personas.coordinator)
    assert plain(coordinator) == plain(as_counted(source_tallies(own)))
    if cases.exclude(referred_by=personas.coordinator).exists():
        assert plain(coordinator) != plain(supervisor)


def _over_the_years(personas) -> list[Case]:
    """The planted cases spread over 2021, 2023 and 2026 (none in 2022, 2024 or 2025)."""
    planted = planted_cases(personas.coordinator, personas.mediator)
    other_coordinators_cases()
    for number, case in enumerate(Case.objects.order_by("pk")):
        case.referred_on = date((2021, 2023, 2026)[number % 3], 1 + number % 12, 10)
        case.save()
    return planted


def test_a_change_in_an_early_year_reaches_the_running_totals_of_every_later_year(personas):
    planted = _over_the_years(personas)
    tallies_refresh_all()
    assert stored() == counted_from_cases()
    assert ReportTally.objects.filter(span="upto", level="", start=date(2026, 1, 1)).exists()
    assert not ReportTally.objects.filter(span="upto", start=date(2025, 1, 1)).exists()

    early = Case.objects.filter(referred_on__year=2021).order_by("pk")
    step(early[0], "accept", "intake", 3)
    moved = early[1]
    moved.referred_on = date(2024, 5, 5)  # a year that had no cases
    moved.save()
    early[2].delete()

    tallies_refresh_all()
    assert stored() == counted_from_cases()
    assert ReportTally.objects.filter(span="upto", level="", start=date(2024, 1, 1)).exists()
    assert planted  # (the planted cases themselves were moved)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2022, 1, 1), date(2025, 12, 31)),  # whole years, the first and last without cases
        (date(2024, 1, 1), date(2025, 12, 31)),  # whole years without any case
        (date(2027, 1, 1), date(2030, 12, 31)),  # after the last year with cases
        (date(2019, 1, 1), date(2021, 12, 31)),  # up to the first year with cases
        (date(2021, 3, 1), date(2030, 4, 30)),  # months, years without cases, months
    ],
)
@pytest.mark.parametrize("by", ["nothing", "kind", "organisation"])
def test_running_totals_give_any_run_of_years_also_without_cases(personas, start, end, by):
    planted = _over_the_years(personas)
    tallies_refresh_all()
    kind = planted[0].kind if by == "kind" else None
    organisation = planted[0].referring_organisation if by == "organisation" else ""
    cases = Case.objects.filter(referred_on__range=(start, end))
    if kind is not None:
        cases = cases.filter(kind=kind)
    if organisation:
        cases = cases.filter(referring_organisation=organisation)

    from_tallies = _counted(
        personas.supervisor,
        ReportFilters(start=start, end=end, kind=kind, organisation=organisation),
    )

    assert plain(from_tallies) == plain(as_counted(source_tallies(cases)))


def test_a_period_is_cut_in_years_months_and_edge_days():
    spans = spans_of(date(2015, 11, 20), date(2018, 2, 28))

    assert spans.years == [date(2016, 1, 1), date(2017, 1, 1)]
    assert spans.months == [date(2015, 12, 1), date(2018, 1, 1), date(2018, 2, 1)]
    assert spans.edges == [(date(2015, 11, 20), date(2015, 11, 30))]
    assert spans_of(date(2026, 3, 2), date(2026, 3, 20)).edges == [
        (date(2026, 3, 2), date(2026, 3, 20))
    ]


def test_a_report_is_the_same_from_tallies_and_from_the_cases(personas):
    planted_cases(personas.coordinator, personas.mediator)
    filters = ReportFilters(start=date(2026, 1, 1), end=date(2026, 12, 31))

    supervisor = report_build(user=personas.supervisor, filters=filters)
    coordinator = report_build(user=personas.coordinator, filters=filters)  # from the cases

    assert supervisor == coordinator


def test_the_worker_counts_stale_keys(personas):
    planted_cases(personas.coordinator, personas.mediator)
    assert ReportStale.objects.exists()

    jobs._jobs["report tallies"].run()

    assert not ReportStale.objects.exists()
    assert stored() == counted_from_cases()


def test_a_session_held_later_is_counted(personas):
    case = make_case(personas.coordinator, status="closed", outcome="no_agreement")
    tallies_refresh_all()
    start = noon(case.referred_on + timedelta(days=3))
    Session.objects.create(
        case=case,
        kind="joint",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        status=SessionStatus.HELD,
        duration_minutes=75,
        place="Buurthuis",
        organizer=personas.mediator,
        created_by=personas.mediator,
    )
    tallies_refresh_all()

    rows = ReportTally.objects.filter(measure__in=["held", "contact"], level="kor", span="month")
    held = {(row.measure, row.count) for row in rows}
    assert held == {("held", 1), ("contact", 75 * 60)}


def _answer(case, personas):
    SurveyResponse.objects.create(
        case=case,
        month=case.referred_on.replace(day=1),
        impartial="yes",
        heard="partly",
        recommend="yes",
        agreements_working="no_agreement",
    )


def _hold(case, personas):
    session = Session.objects.filter(case=case).first()
    session.status = SessionStatus.PLANNED
    session.save()


@pytest.mark.parametrize(
    "change",
    [
        lambda case, personas: step(case, "close", "closed", 60),
        lambda case, personas: reviewed_actions(
            Case.objects.filter(agreement__isnull=True).first(), personas.mediator, not_done=1
        ),
        _hold,
        _answer,
        lambda case, personas: case.delete(),
    ],
    ids=["status history", "review", "session", "survey answer", "deleted case"],
)
def test_each_kind_of_change_on_its_own_marks_its_key(personas, change):
    planted = planted_cases(personas.coordinator, personas.mediator)
    with_session = Session.objects.filter(case__in=planted).first().case
    tallies_refresh_all()

    change(with_session, personas)

    assert ReportStale.objects.count() == 1
    tallies_refresh_all()
    assert stored() == counted_from_cases()
