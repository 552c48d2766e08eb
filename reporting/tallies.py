"""Counting the report's measures, for any set of cases, and keeping the stored counts current.

`source_tallies(cases)` is the one place that counts: a few grouped queries over the cases and
their status history, sessions, reviews and survey answers, giving `Tally` rows per key
(referral month, kind, organisation, referring coordinator). They are stored as the finest
level of `ReportTally`; the coarser levels and the years are added up from them in the
database (`_add_up`), and the running totals of the supervisor's levels from their years
(`_run_up`). The report reads the stored tallies for the whole months and years of its period,
and counts the days before the first and after the last whole month straight from the cases.

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

import functools
import operator
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
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
from django.db.models.functions import TruncMonth, TruncYear
from django.utils import timezone

from agreements.models import ActionReview
from cases.models import Case, CaseStatus, CaseStatusChange
from reporting.models import BASE_LEVEL, LEVELS, RUNNING_LEVELS, ReportStale, ReportTally, Span
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
# PostgreSQL advisory lock held by whoever rewrites stored tallies (an arbitrary constant).
REWRITE_LOCK = 19_0006

Key = tuple[date, int, str, int]  # referral month, kind id, organisation, referrer id
# A group of stored tallies: span, start, kind id (0: all), organisation ("": all), referrer
# id (0: all).
Group = tuple[str, date, int, str, int]

DIMENSIONS = (("k", "kind_id"), ("o", "organisation"), ("r", "referrer_id"))


@dataclass(frozen=True)
class Tally:
    month: date
    kind_id: int
    organisation: str
    referrer_id: int
    measure: str
    value: str
    count: int

    @property
    def key(self) -> Key:
        return (self.month, self.kind_id, self.organisation, self.referrer_id)


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _day(value) -> date:
    # TruncMonth and TruncYear give a date on PostgreSQL and SQLite alike for a DateField; be
    # lenient.
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def source_tallies(cases: QuerySet[Case]) -> list[Tally]:
    """Count every measure of `cases` from the cases themselves: five grouped queries."""
    cases = cases.order_by()
    counts: dict[tuple[Key, str, str], int] = defaultdict(int)
    key_fields = ("m", "kind_id", "referring_organisation", "referred_by_id")
    by_key = cases.annotate(m=TruncMonth("referred_on"))
    for row in by_key.values(*key_fields, "status", "outcome").annotate(n=Count("id")):
        key = (
            _day(row["m"]),
            row["kind_id"],
            row["referring_organisation"],
            row["referred_by_id"],
        )
        counts[(key, "status", row["status"])] += row["n"]
        if row["status"] == CaseStatus.CLOSED:
            counts[(key, "outcome", row["outcome"])] += row["n"]
    ids = cases.values("id")
    # Sessions held and their length, per key of their case.
    held = (
        Session.objects.filter(case__in=ids, status=SessionStatus.HELD)
        .annotate(m=TruncMonth("case__referred_on"))
        .values("m", *_case_key("case__"))
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
        key = _key_of(row, "case__")
        length = timedelta(minutes=row["recorded"] or 0) + (row["planned"] or timedelta())
        counts[(key, "held", "")] += row["n"]
        counts[(key, "contact", "")] += round(length.total_seconds())
    reviews = (
        ActionReview.objects.filter(action__agreement__case__in=ids)
        .annotate(m=TruncMonth("action__agreement__case__referred_on"))
        .values("m", *_case_key("action__agreement__case__"), "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in reviews:
        key = _key_of(row, "action__agreement__case__")
        counts[(key, "review", row["status"])] += row["n"]
    for key, step, days in _days(ids):
        counts[(key, DAY_MEASURES[step], str(days))] += 1
    names = [name for name, _question, _choices in QUESTIONS]
    answers = (
        SurveyResponse.objects.filter(case__in=ids)
        .annotate(m=TruncMonth("case__referred_on"))
        .values("m", *_case_key("case__"), *names)
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in answers:
        key = _key_of(row, "case__")
        for name in names:
            counts[(key, f"survey_{name}", row[name])] += row["n"]
    return [
        Tally(*key, measure, value, count)
        for (key, measure, value), count in counts.items()
        if count
    ]


def _case_key(prefix: str) -> tuple[str, str, str]:
    return (f"{prefix}kind_id", f"{prefix}referring_organisation", f"{prefix}referred_by_id")


def _key_of(row: dict, prefix: str) -> Key:
    kind, organisation, referrer = _case_key(prefix)
    return (_day(row["m"]), row[kind], row[organisation], row[referrer])


def _days(ids: QuerySet) -> Iterable[tuple[Key, str, int]]:
    """(key, step, days) per case: intake and agreement from their first time; closing from
    the last time a case that is closed now was closed (a reopened case counts to its final
    closing). Two grouped queries."""
    fields = ("case_id", "case__referred_on", *_case_key("case__"))
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
    for _case_id, referred_on, kind_id, organisation, referrer_id, step, at in firsts:
        key = (month_of(referred_on), kind_id, organisation, referrer_id)
        yield key, step, (timezone.localtime(at).date() - referred_on).days
    for _case_id, referred_on, kind_id, organisation, referrer_id, status, at in closings:
        if status == CaseStatus.CLOSED:
            key = (month_of(referred_on), kind_id, organisation, referrer_id)
            yield key, "closed", (timezone.localtime(at).date() - referred_on).days


# Keeping the stored tallies current


def _cases_of(keys: Iterable[Key]) -> QuerySet[Case]:
    condition = Q(pk__in=[])
    for month, kind_id, organisation, referrer_id in keys:
        condition |= Q(
            referred_on__gte=month,
            referred_on__lt=next_month(month),
            kind_id=kind_id,
            referring_organisation=organisation,
            referred_by_id=referrer_id,
        )
    return Case.objects.filter(condition)


def keys_mark_stale(keys: Iterable[Key]) -> None:
    """Mark keys to be counted again (one statement; a key marked twice keeps one mark)."""
    now = timezone.now()
    marks = [
        ReportStale(
            month=month,
            kind_id=kind_id,
            organisation=organisation,
            referrer_id=referrer_id,
            marked_at=now,
        )
        for month, kind_id, organisation, referrer_id in set(keys)
    ]
    if marks:
        ReportStale.objects.bulk_create(
            marks,
            update_conflicts=True,
            unique_fields=["month", "kind_id", "organisation", "referrer_id"],
            update_fields=["marked_at"],
        )


def level_of(*, kind: bool, organisation: bool, referrer: bool) -> str:
    """The level that keeps the dimensions asked for (one of `LEVELS`)."""
    kept = {"k": kind, "o": organisation, "r": referrer}
    return "".join(letter for letter, _field in DIMENSIONS if kept[letter])


def _group(level: str, span: str, key: Key) -> Group:
    """The group of `level` and `span` that the tallies of `key` are added to."""
    month, kind_id, organisation, referrer_id = key
    return (
        span,
        month if span == Span.MONTH else month.replace(month=1),
        kind_id if "k" in level else 0,
        organisation if "o" in level else "",
        referrer_id if "r" in level else 0,
    )


def _groups_filter(groups: Iterable[Group]) -> Q:
    """The stored tallies of `groups`; for running totals, of their year and every later one
    (a change in a year changes the running totals of every year after it)."""
    condition = Q(pk__in=[])
    for span, start, kind_id, organisation, referrer_id in groups:
        condition |= Q(
            span=span,
            kind_id=kind_id,
            organisation=organisation,
            referrer_id=referrer_id,
            **({"start__gte": start} if span == Span.UPTO else {"start": start}),
        )
    return condition


def _added_up(level: str, span: str, groups: set[Group] | None) -> list[ReportTally]:
    """The tallies of `level` and `span` for `groups` (None: all of them), added up in one
    grouped read: a month's from the months of the level one dimension finer (`FINER`), a
    year's from the level's own months (either must be current)."""
    source = ReportTally.objects.filter(
        level=FINER[level] if span == Span.MONTH else level, span=Span.MONTH
    )
    if groups is not None:
        if not groups:
            return []
        within = Q(pk__in=[])
        for _span, start, kind_id, organisation, referrer_id in groups:
            kept = {"kind_id": kind_id, "organisation": organisation, "referrer_id": referrer_id}
            period = (
                Q(start=start)
                if span == Span.MONTH
                else Q(start__gte=start, start__lt=start.replace(year=start.year + 1))
            )
            within |= period & Q(
                **{field: kept[field] for letter, field in DIMENSIONS if letter in level}
            )
        source = source.filter(within)
    kept_fields = [field for letter, field in DIMENSIONS if letter in level]
    period_start = TruncYear("start") if span == Span.YEAR else F("start")
    sums = (
        source.annotate(period=period_start)
        .values("period", *kept_fields, "measure", "value")
        .annotate(n=Sum("count"))
        .order_by()
    )
    return [
        ReportTally(
            level=level,
            span=span,
            start=_day(row["period"]),
            kind_id=row.get("kind_id", 0),
            organisation=row.get("organisation", ""),
            referrer_id=row.get("referrer_id", 0),
            measure=row["measure"],
            value=row["value"],
            count=row["n"],
        )
        for row in sums
    ]


def _run_up(level: str, groups: set[Group] | None, years: tuple[int, int]) -> list[ReportTally]:
    """The running totals of `level` (span `upto`) for `groups` (None: all of them), from the
    level's years (which must be current) in one grouped read: the sum of every year up to Y
    for each Y of `years` (the first and last stored) in a column of its own.

    A group of `groups` gets them from its `start` (the earliest year changed) on, for each
    year in which it has tallies: where its running totals grew from the year before. A
    group's tallies are all positive, and every case has a status, so they grow exactly in the
    years with cases."""
    kept_fields = [field for letter, field in DIMENSIONS if letter in level]

    def kept(kind_id: int, organisation: str, referrer_id: int) -> tuple:
        values = {"kind_id": kind_id, "organisation": organisation, "referrer_id": referrer_id}
        return tuple(values[field] for field in kept_fields)

    first, last = years
    # (No level here keeps the coordinator: 0 lets the read start from the index.)
    source = ReportTally.objects.filter(level=level, referrer_id=0, span=Span.YEAR)
    if groups is not None:
        if not groups:
            return []
        since: dict[tuple, int] = {}
        for _span, start, kind_id, organisation, referrer_id in groups:
            group = kept(kind_id, organisation, referrer_id)
            since[group] = min(start.year, since.get(group, start.year))
        first = min(since.values())
        source = source.filter(
            functools.reduce(
                operator.or_,
                (Q(**dict(zip(kept_fields, group, strict=True))) for group in since),
            )
        )
    # A column per year from the one before the first changed: "did it grow" needs it.
    columns = {
        f"upto_{year}": Sum("count", filter=Q(start__lte=date(year, 1, 1)))
        for year in range(first - 1, last + 1)
    }
    sums = source.values(*kept_fields, "measure", "value").annotate(**columns).order_by()
    by_group: dict[tuple, list[dict]] = defaultdict(list)
    for row in sums:
        by_group[tuple(row[field] for field in kept_fields)].append(row)
    running: list[ReportTally] = []
    for group, rows in by_group.items():
        dimensions = dict(zip(kept_fields, group, strict=True))
        for year in range(since[group] if groups is not None else first, last + 1):
            now, before = f"upto_{year}", f"upto_{year - 1}"
            if not any((row[now] or 0) > (row[before] or 0) for row in rows):
                continue  # no tallies in this year: the year before's running totals hold
            running.extend(
                ReportTally(
                    level=level,
                    span=Span.UPTO,
                    start=date(year, 1, 1),
                    kind_id=dimensions.get("kind_id", 0),
                    organisation=dimensions.get("organisation", ""),
                    referrer_id=0,
                    measure=row["measure"],
                    value=row["value"],
                    count=row[now],
                )
                for row in rows
                if row[now]
            )
    return running


# A level's months are added up from those of a level with one dimension more (fewer rows to
# read than the finest), so the levels are stored in tiers: each tier from the one before it,
# then every level's years from its months, then the running totals from the years.
FINER = {"ko": "kor", "kr": "kor", "or": "kor", "k": "ko", "o": "ko", "r": "kr", "": "k"}
DERIVED = (
    (("ko", Span.MONTH), ("kr", Span.MONTH), ("or", Span.MONTH)),
    (("k", Span.MONTH), ("o", Span.MONTH), ("r", Span.MONTH)),
    (("", Span.MONTH),),
    tuple((level, Span.YEAR) for level in LEVELS),
    tuple((level, Span.UPTO) for level in RUNNING_LEVELS),
)


def _add_up(groups: dict[tuple[str, str], set[Group]] | None) -> int:
    """Store the coarser levels, the years and the running totals again, for `groups` per
    (level, span) (None: all; the old tallies must be gone): one read per level and span, one
    insert per tier, and one read of the years stored. Returns how many tallies were stored."""
    stored = 0
    for derived in DERIVED:
        rows = []
        if derived[0][1] == Span.UPTO:
            # The years stored: those of level "" (every case's).
            years = ReportTally.objects.filter(level="", span=Span.YEAR, referrer_id=0).aggregate(
                first=Min("start"), last=Max("start")
            )
            if years["last"] is None:
                continue
        for level, span in derived:
            of = None if groups is None else groups[(level, span)]
            if span == Span.UPTO:
                rows += _run_up(level, of, (years["first"].year, years["last"].year))
            else:
                rows += _added_up(level, span, of)
        ReportTally.objects.bulk_create(rows, batch_size=1000)
        stored += len(rows)
    return stored


def _base_rows(tallies: list[Tally]) -> list[ReportTally]:
    return [
        ReportTally(
            level=BASE_LEVEL,
            span=Span.MONTH,
            start=t.month,
            kind_id=t.kind_id,
            organisation=t.organisation,
            referrer_id=t.referrer_id,
            measure=t.measure,
            value=t.value,
            count=t.count,
        )
        for t in tallies
    ]


def _store(keys: list[Key]) -> None:
    """Count `keys` again from their cases, store the result in place of the old, and add up
    every coarser level and year they belong to again (a fixed number of statements)."""
    tallies = source_tallies(_cases_of(keys))
    groups: dict[tuple[str, str], set[Group]] = {
        (level, span): {_group(level, span, key) for key in keys}
        for derived in DERIVED
        for level, span in derived
    }
    groups[(BASE_LEVEL, Span.MONTH)] = {_group(BASE_LEVEL, Span.MONTH, key) for key in keys}
    stale = Q(pk__in=[])
    for (level, _span), of_level in groups.items():
        stale |= Q(level=level) & _groups_filter(of_level)
    ReportTally.objects.filter(stale).delete()
    ReportTally.objects.bulk_create(_base_rows(tallies), batch_size=1000)
    _add_up(groups)


def _rewrite_lock() -> None:
    """Wait for, then hold until the transaction ends, the right to rewrite stored tallies.

    Refreshes of different keys still rewrite the same coarser tallies and running totals, so
    two at once (two supervisors opening the report while changes wait, or the worker beside
    them) would both insert them again: a uniqueness error on PostgreSQL. There they take turns
    on an advisory lock; SQLite's writing transactions already take turns (the database opens
    them IMMEDIATE).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REWRITE_LOCK])


def tallies_refresh(*, limit: int = REFRESH_BATCH) -> int:
    """Count the stale keys again (at most `limit`); returns how many were counted.

    A key marked again while it is being counted keeps its mark (its time is later than the
    moment read here), so no change is lost between the count and the unmarking. A refresh
    that finds another one running waits for it, then counts what is still stale.
    """
    if not ReportStale.objects.exists():
        return 0  # the common case, without waiting for a lock
    with transaction.atomic():
        _rewrite_lock()
        marks = list(
            ReportStale.objects.order_by("marked_at").values_list(
                "id", "month", "kind_id", "organisation", "referrer_id", "marked_at"
            )[:limit]
        )
        if not marks:
            return 0
        _store(
            [
                (month, kind, organisation, referrer)
                for _id, month, kind, organisation, referrer, _at in marks
            ]
        )
        # A mark made after the read above is later than every mark read.
        ReportStale.objects.filter(
            pk__in=[mark[0] for mark in marks], marked_at__lte=max(mark[5] for mark in marks)
        ).delete()
    return len(marks)


def tallies_refresh_all() -> int:
    """Count every stale key again, batch after batch (the worker's job)."""
    total = 0
    while counted := tallies_refresh():
        total += counted
    return total


def tallies_rebuild() -> int:
    """Count everything again from the cases, a year of referrals at a time, and add up every
    level (after a bulk load, which sends no signals); returns how many tallies were stored."""
    first = Case.objects.order_by("referred_on").values_list("referred_on", flat=True).first()
    stored = 0
    with transaction.atomic():
        _rewrite_lock()
        ReportTally.objects.all().delete()
        ReportStale.objects.all().delete()
        if first is None:
            return 0
        for year in range(first.year, timezone.localdate().year + 2):
            tallies = source_tallies(Case.objects.filter(referred_on__year=year))
            ReportTally.objects.bulk_create(_base_rows(tallies), batch_size=1000)
            stored += len(tallies)
        stored += _add_up(None)
    return stored
