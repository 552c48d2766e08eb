"""The report's figures, read in the database: counts and durations of cases, never content.

Every table is one grouped query (`values(...).annotate(Count(...))`), so the number of queries
stays the same however many cases there are. Only ids, dates, codes and counts are read: no
reference, title, name or text leaves the database.
"""

import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agreements.models import ActionReview, ReviewStatus
from cases.models import Case, CaseKind, CaseStatus, CaseStatusChange, Outcome
from mediation.roles import Role, roles_of
from mediation.types import AnyUser
from reporting.suppression import (
    Cell,
    enough,
    share,
    suppress_all,
    suppress_count,
    suppress_table,
)
from scheduling.models import Session, SessionStatus
from surveys.services import QUESTIONS, survey_summary

# The bars of a chart are drawn in this many user units of the SVG's viewBox.
BAR_SPACE = 130


@dataclass(frozen=True)
class ReportFilters:
    """What the report counts: cases referred in a period, of a kind, by an organisation."""

    start: date
    end: date
    kind: CaseKind | None = None
    organisation: str = ""


@dataclass(frozen=True)
class Row:
    label: str
    cell: Cell
    bar: int = 0  # the bar's length in the chart, 0 for a suppressed or zero cell


@dataclass(frozen=True)
class CountTable:
    """A table of counts with its total, suppressed; also drawn as a bar chart."""

    name: str
    title: Promise
    column: Promise
    rows: list[Row]
    total: Cell

    @property
    def height(self) -> int:
        return 28 * max(1, len(self.rows))


@dataclass(frozen=True)
class Spread:
    """Days from referral to a step: median and quartiles, or None with too few cases."""

    label: Promise
    count: int
    median: float | None = None
    p25: float | None = None
    p75: float | None = None

    @property
    def shown(self) -> bool:
        return self.median is not None


@dataclass(frozen=True)
class Report:
    filters: ReportFilters
    tables: list[CountTable]
    spreads: list[Spread]
    closed: Cell
    agreement_share: float | None
    sessions_held: Cell
    contact_hours: float | None
    reviewed: Cell
    review_shares: list[tuple[str, float | None]] = field(default_factory=list)
    # The satisfaction survey's answers per question, or [] with fewer than 5 answers.
    survey_tables: list[CountTable] = field(default_factory=list)
    survey_answers: int = 0

    @property
    def cases(self) -> Cell:
        """All cases counted, suppressed like every count."""
        return next(table for table in self.tables if table.name == "status").total

    def table(self, name: str) -> CountTable | None:
        """The table called `name`, or None (a survey table with fewer than 5 answers)."""
        return next(
            (table for table in [*self.tables, *self.survey_tables] if table.name == name), None
        )


TABLE_NAMES = (
    "kind",
    "status",
    "outcome",
    "organisation",
    "follow_up",
    *(f"survey_{name}" for name, _question, _choices in QUESTIONS),
)

# The steps whose first time counts, by the transition that made it.
STEPS: tuple[tuple[str, Promise], ...] = (
    ("accept", _("Referral to intake")),
    ("reach_agreement", _("Referral to agreement")),
    ("closed", _("Referral to closing")),
)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The current year."""
    today = today or timezone.localdate()
    return date(today.year, 1, 1), date(today.year, 12, 31)


def reportable_cases(user: AnyUser) -> QuerySet[Case]:
    """The cases `user` may count: a supervisor all, a coordinator only their own referrals."""
    roles = roles_of(user)
    if Role.SUPERVISOR in roles:
        return Case.objects.all()
    if Role.COORDINATOR in roles:
        return Case.objects.filter(referred_by=user)
    return Case.objects.none()


def organisations_for(user: AnyUser) -> list[str]:
    """The referring organisations among the cases `user` may count, for the filter."""
    rows = (
        reportable_cases(user)
        .order_by("referring_organisation")
        .values_list("referring_organisation", flat=True)
        .distinct()
    )
    return list(rows)


def _filtered(user: AnyUser, filters: ReportFilters) -> QuerySet[Case]:
    cases = reportable_cases(user).filter(referred_on__range=(filters.start, filters.end))
    if filters.kind is not None:
        cases = cases.filter(kind=filters.kind)
    if filters.organisation:
        cases = cases.filter(referring_organisation=filters.organisation)
    return cases.order_by()


def count_table(
    name: str,
    title: Promise,
    column: Promise,
    counts: Sequence[tuple[str | Promise, int]],
    *,
    last_resort: Collection[int] = (),
    hide_all: bool = False,
) -> CountTable:
    """A suppressed table of `(label, count)`, with the bars' lengths for its chart.

    `last_resort` and `hide_all`: see `suppression.suppress_table` and `suppress_all`.
    """
    labels, values = zip(*counts, strict=True) if counts else ((), ())
    if hide_all:
        cells, total = suppress_all(list(values))
    else:
        cells, total = suppress_table(list(values), last_resort)
    largest = max((cell.value for cell in cells if not cell.suppressed), default=0)
    rows = [
        Row(
            label=str(label),
            cell=cell,
            bar=0 if cell.suppressed or not largest else round(BAR_SPACE * cell.value / largest),
        )
        for label, cell in zip(labels, cells, strict=True)
    ]
    return CountTable(name=name, title=title, column=column, rows=rows, total=total)


def _grouped(cases: QuerySet[Case], key: str) -> dict[str, int]:
    return {row[key]: row["n"] for row in cases.values(key).annotate(n=Count("id")).order_by()}


def _spread(label: Promise, days: list[int]) -> Spread:
    if not enough(len(days)):
        return Spread(label=label, count=len(days))
    p25, median, p75 = statistics.quantiles(days, n=4, method="inclusive")
    return Spread(label=label, count=len(days), median=median, p25=p25, p75=p75)


def _spreads(cases: QuerySet[Case]) -> list[Spread]:
    """Days from referral to each step, from the status history (two grouped queries).

    Intake and agreement count from their first time; closing from the last time a case that
    is closed now was closed (a reopened case counts to its final closing).
    """
    ids = cases.values("id")
    steps = (
        CaseStatusChange.objects.filter(case__in=ids, transition__in=["accept", "reach_agreement"])
        .values_list("case_id", "transition", "case__referred_on")
        .annotate(at=Min("changed_at"))
        .order_by()
    )
    # The case's status is read, not filtered on: a condition on it would make SQLite read
    # every closed case of the period through the status index, a coordinator's too.
    closings = (
        CaseStatusChange.objects.filter(case__in=ids, to_status=CaseStatus.CLOSED)
        .values_list("case_id", "case__referred_on", "case__status")
        .annotate(at=Max("changed_at"))
        .order_by()
    )
    days: dict[str, list[int]] = {step: [] for step, _label in STEPS}
    for _case_id, step, referred_on, at in steps:
        days[step].append((timezone.localtime(at).date() - referred_on).days)
    for _case_id, referred_on, status, at in closings:
        if status == CaseStatus.CLOSED:
            days["closed"].append((timezone.localtime(at).date() - referred_on).days)
    return [_spread(label, days[step]) for step, label in STEPS]


def report_build(*, user: AnyUser, filters: ReportFilters) -> Report:
    """The report of the cases `user` may count under `filters`: a fixed number of queries."""
    cases = _filtered(user, filters)
    kinds = {
        row["kind"]: row["n"] for row in cases.values("kind").annotate(n=Count("id")).order_by()
    }
    kind_names = {kind.pk: str(kind) for kind in CaseKind.objects.filter(pk__in=kinds)}
    # Status and outcome in one grouped read, for the same reason as in `_spreads`.
    statuses: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for row in cases.values("status", "outcome").annotate(n=Count("id")).order_by():
        statuses[row["status"]] = statuses.get(row["status"], 0) + row["n"]
        if row["status"] == CaseStatus.CLOSED:
            outcomes[row["outcome"]] = outcomes.get(row["outcome"], 0) + row["n"]
    organisations = _grouped(cases, "referring_organisation")
    reviews = _grouped_reviews(cases)
    closed = sum(outcomes.values())
    agreed = outcomes.get(Outcome.FULL_AGREEMENT, 0) + outcomes.get(Outcome.PARTIAL_AGREEMENT, 0)
    # Contact hours: the duration recorded when a session was marked as held (what the
    # registration report adds up too); a held session without one counts its planned length.
    held = Session.objects.filter(case__in=cases.values("id"), status=SessionStatus.HELD).aggregate(
        n=Count("id"),
        recorded=Sum("duration_minutes"),
        planned=Sum(
            ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField()),
            filter=Q(duration_minutes__isnull=True),
        ),
    )
    length = timedelta(minutes=held["recorded"] or 0) + (held["planned"] or timedelta())
    reviewed = sum(reviews.values())
    # The closed cases are counted twice: a cell of the status table, and the total of the
    # outcomes (and "closed cases"). The status table takes it as its complementary cell only
    # when no other can be; then every figure that gives the closed cases back is hidden too.
    status_table = count_table(
        "status",
        _("Cases by status"),
        _("Status"),
        [(label, statuses.get(value, 0)) for value, label in CaseStatus.choices],
        last_resort=[CaseStatus.values.index(CaseStatus.CLOSED)],
    )
    closed_hidden = next(
        row.cell.suppressed
        for row, value in zip(status_table.rows, CaseStatus.values, strict=True)
        if value == CaseStatus.CLOSED
    )
    outcome_table = count_table(
        "outcome",
        _("Closed cases by outcome"),
        _("Outcome"),
        [(label, outcomes.get(value, 0)) for value, label in Outcome.choices],
        hide_all=closed_hidden,
    )
    review_table = count_table(
        "follow_up",
        _("Reviewed actions of agreements"),
        _("Carried out"),
        [(label, reviews.get(value, 0)) for value, label in ReviewStatus.choices],
    )
    tables = [
        count_table(
            "kind",
            _("Cases by kind"),
            _("Kind"),
            sorted(((kind_names[pk], n) for pk, n in kinds.items()), key=lambda row: row[0]),
        ),
        status_table,
        outcome_table,
        count_table(
            "organisation",
            _("Cases by referring organisation"),
            _("Referring organisation"),
            sorted(organisations.items()),
        ),
        review_table,
    ]
    # A share times its shown total gives its count back: a share is shown only where every
    # count it is made of is shown (agreement: the whole outcome table).
    outcome_whole = not any(row.cell.suppressed for row in outcome_table.rows)
    survey = survey_summary(cases=cases)
    survey_tables = (
        [
            count_table(f"survey_{question.name}", question.question, _("Answer"), question.counts)
            for question in survey.questions
        ]
        if survey is not None
        else []
    )
    return Report(
        filters=filters,
        tables=tables,
        spreads=_spreads(cases),
        closed=outcome_table.total,
        agreement_share=share(agreed, closed) if outcome_whole else None,
        sessions_held=suppress_count(held["n"]),
        contact_hours=round(length.total_seconds() / 3600, 1) if enough(held["n"]) else None,
        reviewed=review_table.total,
        review_shares=[
            (row.label, None if row.cell.suppressed else share(row.cell.value, reviewed))
            for row in review_table.rows
        ],
        survey_tables=survey_tables,
        survey_answers=survey.answers if survey is not None else 0,
    )


def _grouped_reviews(cases: QuerySet[Case]) -> dict[str, int]:
    rows = (
        ActionReview.objects.filter(action__agreement__case__in=cases.values("id"))
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}
