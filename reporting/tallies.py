"""Counting the report's measures, for any set of cases, and keeping the stored counts current.

`source_tallies(cases)` is the one place that counts: a few grouped queries over the cases and
their status history, sessions and reviews, giving `Tally` rows per key (referral month, kind,
organisation). The report reads them from `ReportTally` for everything a supervisor sees, and
straight from the cases for the two ends of a period that does not start or end on a month's
edge and for a coordinator (whose own referrals are few, whatever the size of the database).

The measures (`measure` = `value`: count):
- `status` = a case status: cases in it now; `outcome` = an outcome: closed cases with it
- `review` = a review status: reviewed actions of the cases' agreements
- `held` = "": sessions held; `contact` = "": their length in seconds (the duration recorded
  when a session was marked as held, else its planned length)
- `days_accept`, `days_reach_agreement`, `days_closed` = days: cases that took that many days
  from referral to their first intake, their first agreement, or (closed now) their last
  closing
- `survey_<question>` = an answer's code: answers to the satisfaction survey (`surveys`)
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from agreements.models import ActionReview
from cases.models import Case, CaseStatus, CaseStatusChange
from reporting.models import ReportStale, ReportTally
from scheduling.models import Session, SessionStatus
from surveys.models import SurveyResponse
from surveys.services import QUESTIONS

DAY_MEASURES = {
    "accept": "days_accept",
    "reach_agreement": "days_reach_agreement",
    "closed": "days_closed",
}
# Keys counted again per round: enough for a busy hour, small enough for one request.
REFRESH_BATCH = 100

Key = tuple[date, int, str]  # referral month, kind id, referring organisation


@dataclass(frozen=True)
class Tally:
    month: date
    kind_id: int
    organisation: str
    measure: str
    value: str
    count: int

    @property
    def key(self) -> Key:
        return (self.month, self.kind_id, self.organisation)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _month(value) -> date:
    # TruncMonth gives a date on PostgreSQL and SQLite alike for a DateField; be lenient.
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def source_tallies(cases: QuerySet[Case]) -> list[Tally]:
    """Count every measure of `cases` from the cases themselves: five grouped queries."""
    cases = cases.order_by()
    counts: dict[tuple[Key, str, str], int] = defaultdict(int)
    key_fields = ("m", "kind_id", "referring_organisation")
    by_key = cases.annotate(m=TruncMonth("referred_on"))
    for row in by_key.values(*key_fields, "status", "outcome").annotate(n=Count("id")):
        key = (_month(row["m"]), row["kind_id"], row["referring_organisation"])
        counts[(key, "status", row["status"])] += row["n"]
        if row["status"] == CaseStatus.CLOSED:
            counts[(key, "outcome", row["outcome"])] += row["n"]
    ids = cases.values("id")
    # Sessions held and their length, per key of their case.
    held = (
        Session.objects.filter(case__in=ids, status=SessionStatus.HELD)
        .annotate(m=TruncMonth("case__referred_on"))
        .values("m", "case__kind_id", "case__referring_organisation")
        .annotate(
            n=Count("id"),
            recorded=Sum("duration_minutes"),
            planned=Sum(
                ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField()),
                filter=Q(duration_minutes__isnull=True),
            ),
        )
        .order_by()
    )
    for row in held:
        key = (_month(row["m"]), row["case__kind_id"], row["case__referring_organisation"])
        length = timedelta(minutes=row["recorded"] or 0) + (row["planned"] or timedelta())
        counts[(key, "held", "")] += row["n"]
        counts[(key, "contact", "")] += round(length.total_seconds())
    reviews = (
        ActionReview.objects.filter(action__agreement__case__in=ids)
        .annotate(m=TruncMonth("action__agreement__case__referred_on"))
        .values(
            "m",
            "action__agreement__case__kind_id",
            "action__agreement__case__referring_organisation",
            "status",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in reviews:
        key = (
            _month(row["m"]),
            row["action__agreement__case__kind_id"],
            row["action__agreement__case__referring_organisation"],
        )
        counts[(key, "review", row["status"])] += row["n"]
    for key, step, days in _days(ids):
        counts[(key, DAY_MEASURES[step], str(days))] += 1
    names = [name for name, _question, _choices in QUESTIONS]
    answers = (
        SurveyResponse.objects.filter(case__in=ids)
        .annotate(m=TruncMonth("case__referred_on"))
        .values("m", "case__kind_id", "case__referring_organisation", *names)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in answers:
        key = (_month(row["m"]), row["case__kind_id"], row["case__referring_organisation"])
        for name in names:
            counts[(key, f"survey_{name}", row[name])] += row["n"]
    return [
        Tally(key[0], key[1], key[2], measure, value, count)
        for (key, measure, value), count in counts.items()
        if count
    ]


def _days(ids: QuerySet) -> Iterable[tuple[Key, str, int]]:
    """(key, step, days) per case: intake and agreement from their first time; closing from
    the last time a case that is closed now was closed (a reopened case counts to its final
    closing). Two grouped queries."""
    fields = ("case_id", "case__referred_on", "case__kind_id", "case__referring_organisation")
    firsts = (
        CaseStatusChange.objects.filter(case__in=ids, transition__in=["accept", "reach_agreement"])
        .values_list(*fields, "transition")
        .annotate(at=Min("changed_at"))
        .order_by()
    )
    # The case's status is read, not filtered on: a condition on it would make SQLite read
    # every closed case through the status index.
    closings = (
        CaseStatusChange.objects.filter(case__in=ids, to_status=CaseStatus.CLOSED)
        .values_list(*fields, "case__status")
        .annotate(at=Max("changed_at"))
        .order_by()
    )
    for _case_id, referred_on, kind_id, organisation, step, at in firsts:
        key = (month_of(referred_on), kind_id, organisation)
        yield key, step, (timezone.localtime(at).date() - referred_on).days
    for _case_id, referred_on, kind_id, organisation, status, at in closings:
        if status == CaseStatus.CLOSED:
            key = (month_of(referred_on), kind_id, organisation)
            yield key, "closed", (timezone.localtime(at).date() - referred_on).days


# Keeping the stored tallies current


def _key_filter(keys: Iterable[Key]) -> Q:
    condition = Q(pk__in=[])
    for month, kind_id, organisation in keys:
        condition |= Q(month=month, kind_id=kind_id, organisation=organisation)
    return condition


def _cases_of(keys: Iterable[Key]) -> QuerySet[Case]:
    condition = Q(pk__in=[])
    for month, kind_id, organisation in keys:
        condition |= Q(
            referred_on__gte=month,
            referred_on__lt=next_month(month),
            kind_id=kind_id,
            referring_organisation=organisation,
        )
    return Case.objects.filter(condition)


def keys_mark_stale(keys: Iterable[Key]) -> None:
    """Mark keys to be counted again (one statement; a key marked twice keeps one mark)."""
    now = timezone.now()
    marks = [
        ReportStale(month=month, kind_id=kind_id, organisation=organisation, marked_at=now)
        for month, kind_id, organisation in set(keys)
    ]
    if marks:
        ReportStale.objects.bulk_create(
            marks,
            update_conflicts=True,
            unique_fields=["month", "kind_id", "organisation"],
            update_fields=["marked_at"],
        )


def _rows(tallies: list[Tally]) -> list[ReportTally]:
    return [
        ReportTally(
            month=t.month,
            kind_id=t.kind_id,
            organisation=t.organisation,
            measure=t.measure,
            value=t.value,
            count=t.count,
        )
        for t in tallies
    ]


def _store(keys: list[Key]) -> None:
    """Count `keys` again from their cases and store the result in place of the old."""
    tallies = source_tallies(_cases_of(keys))
    ReportTally.objects.filter(_key_filter(keys)).delete()
    ReportTally.objects.bulk_create(
        _rows(tallies),
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["month", "kind_id", "organisation", "measure", "value"],
        update_fields=["count"],
    )


def tallies_refresh(*, limit: int = REFRESH_BATCH) -> int:
    """Count the stale keys again (at most `limit`); returns how many were counted.

    A key marked again while it is being counted keeps its mark (its time is later than the
    moment read here), so no change is lost between the count and the unmarking.
    """
    marks = list(
        ReportStale.objects.order_by("marked_at").values_list(
            "id", "month", "kind_id", "organisation", "marked_at"
        )[:limit]
    )
    if not marks:
        return 0
    with transaction.atomic():
        _store([(month, kind_id, organisation) for _id, month, kind_id, organisation, _at in marks])
        # A mark made after the read above is later than every mark read.
        ReportStale.objects.filter(
            pk__in=[mark[0] for mark in marks], marked_at__lte=max(mark[4] for mark in marks)
        ).delete()
    return len(marks)


def tallies_refresh_all() -> int:
    """Count every stale key again, batch after batch (the worker's job)."""
    total = 0
    while counted := tallies_refresh():
        total += counted
    return total


def tallies_rebuild() -> int:
    """Count everything again from the cases, a year of referrals at a time (after a bulk
    load, which sends no signals); returns how many tallies were stored."""
    first = Case.objects.order_by("referred_on").values_list("referred_on", flat=True).first()
    stored = 0
    with transaction.atomic():
        ReportTally.objects.all().delete()
        ReportStale.objects.all().delete()
        if first is None:
            return 0
        for year in range(first.year, timezone.localdate().year + 2):
            cases = Case.objects.filter(referred_on__year=year)
            tallies = source_tallies(cases)
            ReportTally.objects.bulk_create(
                _rows(tallies),
                batch_size=1000,
            )
            stored += len(tallies)
    return stored
