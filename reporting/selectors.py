"""The report's figures: counts and durations of cases, never content.

They come from the tallies (`reporting.tallies`): stored per month and year, at the level the
filters need (see `reporting.models`), so that the report's time does not grow with the number
of cases; the days at the ends of a period that are not whole months are counted from the
cases. Either way a fixed number of queries. Only ids, dates, codes and counts are read: no
reference, title, name or text leaves the database.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import BigIntegerField, F, Q, QuerySet, Subquery, Sum, When
from django.db.models import Case as Choose  # `Case` is a case of mediation here
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from agreements.models import ReviewStatus
from cases.models import Case, CaseKind, CaseStatus, Outcome
from mediation.roles import Role, roles_of
from mediation.types import AnyUser
from reporting.models import RUNNING_LEVELS, ReportTally, Span
from reporting.suppression import (
    Cell,
    enough,
    share,
    suppress_all,
    suppress_count,
    suppress_table,
)
from reporting.tallies import (
    DAY_MEASURES,
    Tally,
    level_of,
    next_month,
    source_tallies,
    tallies_refresh,
)
from surveys.services import QUESTIONS, SURVEY_MINIMUM

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
    """The referring organisations among the cases `user` may count, for the filter: from the
    stored yearly tallies (a few rows per year, not every case)."""
    roles = roles_of(user)
    supervisor = Role.SUPERVISOR in roles
    if not supervisor and Role.COORDINATOR not in roles:
        return []
    tallies_refresh()
    stored = ReportTally.objects.filter(
        level=level_of(kind=False, organisation=True, referrer=not supervisor),
        span=Span.YEAR,
        measure="status",
        referrer_id=0 if supervisor else (user.pk or 0),
    )
    return list(stored.order_by("organisation").values_list("organisation", flat=True).distinct())


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


def _quartiles(histogram: dict[int, int]) -> tuple[float, float, float]:
    """The 25th, 50th and 75th percentile of the days in `histogram` ({days: cases}), as
    `statistics.quantiles(days, n=4, method="inclusive")` gives them for the days listed one by
    one, without listing them."""
    ordered = sorted(histogram.items())
    total = sum(histogram.values())

    def at(position: int) -> int:  # the value at `position` of the sorted list
        seen = 0
        for days, count in ordered:
            seen += count
            if position < seen:
                return days
        return ordered[-1][0]

    m = total - 1
    result = []
    for i in range(1, 4):
        j, delta = divmod(i * m, 4)
        low = at(j)
        high = at(j + 1) if j + 1 < total else low
        result.append((low * (4 - delta) + high * delta) / 4)
    return result[0], result[1], result[2]


def _spread(label: Promise, histogram: dict[int, int]) -> Spread:
    count = sum(histogram.values())
    if not enough(count):
        return Spread(label=label, count=count)
    p25, median, p75 = _quartiles(histogram)
    return Spread(label=label, count=count, median=median, p25=p25, p75=p75)


@dataclass
class Counts:
    """What the report is made of: per measure, the count of each value; and the cases per
    kind and per referring organisation."""

    measures: dict[str, dict[str, int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    kinds: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    organisations: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, tallies: Iterable[Tally]) -> None:
        for tally in tallies:
            self.measures[tally.measure][tally.value] += tally.count
            if tally.measure == "status":
                self.kinds[tally.kind_id] += tally.count
                self.organisations[tally.organisation] += tally.count


@dataclass(frozen=True)
class Spans:
    """A period cut in what the tallies hold and what they do not: its whole years, the whole
    months outside those, and the days before the first and after the last whole month."""

    years: list[date]
    months: list[date]
    edges: list[tuple[date, date]]


def spans_of(start: date, end: date) -> Spans:
    first = start if start.day == 1 else next_month(start)
    after = next_month(end)
    if end + timedelta(days=1) != after:  # the last month is not whole
        after = end.replace(day=1)
    if first >= after:  # no whole month: everything comes from the cases
        return Spans(years=[], months=[], edges=[(start, end)])
    edges = [
        (low, high)
        for low, high in [(start, first - timedelta(days=1)), (after, end)]
        if low <= high
    ]
    first_year = first if first.month == 1 else date(first.year + 1, 1, 1)
    after_year = after.replace(month=1)
    years = [date(year, 1, 1) for year in range(first_year.year, after_year.year)]
    months = []
    month = first
    while month < after:
        if not (years and years[0] <= month < after_year):
            months.append(month)
        month = next_month(month)
    return Spans(years=years, months=months, edges=edges)


def _counted(user: AnyUser, filters: ReportFilters) -> Counts:
    """The counts of the cases `user` may count under `filters`, in a fixed number of queries.

    The stored tallies (stale ones counted again first) give the whole years and months of the
    period, at the level of the filters (a supervisor's whole years from the running totals:
    those up to the last year less those before the first), and the cases per kind and per
    organisation at the levels one finer (their yearly status tallies); the days outside the
    whole months come from the cases. A supervisor counts every coordinator's referrals, a
    coordinator their own.
    """
    counts = Counts()
    roles = roles_of(user)
    supervisor = Role.SUPERVISOR in roles
    if not supervisor and Role.COORDINATOR not in roles:
        return counts
    tallies_refresh()
    spans = spans_of(filters.start, filters.end)
    by_kind, by_organisation = filters.kind is not None, bool(filters.organisation)
    level = level_of(kind=by_kind, organisation=by_organisation, referrer=not supervisor)
    kind_level = level_of(kind=True, organisation=by_organisation, referrer=not supervisor)
    organisation_level = level_of(kind=by_kind, organisation=True, referrer=not supervisor)
    if spans.years or spans.months:
        referrer_id = 0 if supervisor else (user.pk or 0)
        stored = ReportTally.objects.filter(referrer_id=referrer_id)
        if filters.kind is not None:
            stored = stored.filter(kind_id=filters.kind.pk)
        if filters.organisation:
            stored = stored.filter(organisation=filters.organisation)
        whole = Q(span=Span.YEAR, start__in=spans.years) | Q(
            span=Span.MONTH, start__in=spans.months
        )
        tables = Q(level__in=[kind_level, organisation_level], measure="status") & whole
        total = Sum("count")
        if level in RUNNING_LEVELS and spans.years:
            # The level's one group: its running totals up to the last whole year (the latest
            # it has), less those before the first (none if it has none).
            group = stored.filter(
                level=level,
                span=Span.UPTO,
                kind_id=filters.kind.pk if filters.kind is not None else 0,
                organisation=filters.organisation,
            ).order_by("-start")
            last = Subquery(group.filter(start__lte=spans.years[-1]).values("start")[:1])
            before = Subquery(group.filter(start__lt=spans.years[0]).values("start")[:1])
            running = Q(level=level, span=Span.UPTO) & (Q(start=last) | Q(start=before))
            months = Q(level=level, span=Span.MONTH, start__in=spans.months)
            stored = stored.filter(running | months | tables)
            # (Both are one set when the group has no tallies in the period: they cancel.)
            plus = Choose(
                When(Q(span=Span.UPTO) & ~Q(start=last), then=0),
                default=F("count"),
                output_field=BigIntegerField(),
            )
            minus = Choose(
                When(span=Span.UPTO, start=before, then=F("count")),
                default=0,
                output_field=BigIntegerField(),
            )
            total = Sum(plus - minus)
            level_span = Span.UPTO
        else:
            stored = stored.filter((Q(level=level) & whole) | tables)
            level_span = Span.YEAR
        rows = (
            stored.values_list("level", "span", "kind_id", "organisation", "measure", "value")
            .annotate(n=total)
            .order_by()
        )
        for row_level, span, kind_id, organisation, measure, value, n in rows:
            if not n:
                continue
            if row_level == level and span in (level_span, Span.MONTH):
                counts.measures[measure][value] += n
            if span == Span.UPTO:
                continue
            if measure == "status" and row_level == kind_level:
                counts.kinds[kind_id] += n
            if measure == "status" and row_level == organisation_level:
                counts.organisations[organisation] += n
    if spans.edges:
        within = Q(pk__in=[])
        for low, high in spans.edges:
            within |= Q(referred_on__range=(low, high))
        counts.add(source_tallies(_filtered(user, filters).filter(within)))
    return counts


def report_build(*, user: AnyUser, filters: ReportFilters) -> Report:
    """The report of the cases `user` may count under `filters`: a fixed number of queries."""
    counts = _counted(user, filters)
    measures, kinds, organisations = counts.measures, counts.kinds, counts.organisations
    statuses, outcomes, reviews = measures["status"], measures["outcome"], measures["review"]
    kind_names = {kind.pk: str(kind) for kind in CaseKind.objects.filter(pk__in=kinds)}
    closed = sum(outcomes.values())
    agreed = outcomes[Outcome.FULL_AGREEMENT] + outcomes[Outcome.PARTIAL_AGREEMENT]
    held = measures["held"][""]
    contact_seconds = measures["contact"][""]
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
            sorted(((kind_names[pk], n) for pk, n in kinds.items() if n), key=lambda r: r[0]),
        ),
        status_table,
        outcome_table,
        count_table(
            "organisation",
            _("Cases by referring organisation"),
            _("Referring organisation"),
            sorted((name, n) for name, n in organisations.items() if n),
        ),
        review_table,
    ]
    # A share times its shown total gives its count back: a share is shown only where every
    # count it is made of is shown (agreement: the whole outcome table).
    outcome_whole = not any(row.cell.suppressed for row in outcome_table.rows)
    # The survey's answers join the report from SURVEY_MINIMUM on (each answers every question).
    survey_answers = sum(measures[f"survey_{QUESTIONS[0][0]}"].values())
    survey_tables = (
        [
            count_table(
                f"survey_{name}",
                question,
                _("Answer"),
                [(label, measures[f"survey_{name}"][value]) for value, label in choices.choices],
            )
            for name, question, choices in QUESTIONS
        ]
        if survey_answers >= SURVEY_MINIMUM
        else []
    )
    return Report(
        filters=filters,
        tables=tables,
        spreads=[
            _spread(label, {int(days): n for days, n in measures[DAY_MEASURES[step]].items()})
            for step, label in STEPS
        ],
        closed=outcome_table.total,
        agreement_share=share(agreed, closed) if outcome_whole else None,
        sessions_held=suppress_count(held),
        contact_hours=round(contact_seconds / 3600, 1) if enough(held) else None,
        reviewed=review_table.total,
        review_shares=[
            (row.label, None if row.cell.suppressed else share(row.cell.value, reviewed))
            for row in review_table.rows
        ],
        survey_tables=survey_tables,
        survey_answers=survey_answers if survey_tables else 0,
    )
