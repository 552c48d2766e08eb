"""A hand-counted set of cases for the report (helpers, imported by the report's tests).

The referring coordinator ("coordinator", Gemeente Utrecht) referred 16 cases on 1 March 2026:

- kind: 14 between groups, 2 between neighbours
- status: 1 referred, 3 intake, 12 closed
- outcome of the 12 closed: 6 full agreement, 1 partial agreement, 5 no agreement
- days from referral to intake (15 accepted cases): 1, 2, ..., 15
- days to agreement (the 7 full or partial agreements): 20, 21, ..., 26
- days to closing (the 12 closed): 30, 31, ..., 41
- sessions: 6 held of 90 minutes, 1 held without a recorded duration (60 minutes planned),
  1 planned (not counted): 7 held, 10 contact hours
- reviewed actions: 5 done, 2 partly done, 3 not done

Besides: one of the coordinator's cases referred in 2025 (outside the default period), and five
closed cases of another coordinator (Gemeente Zeist) that only a supervisor counts.
"""

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from agreements.models import ActionReview, Agreement, AgreementAction
from cases.models import Case, CaseKind, CaseStatusChange
from mediation.roles import Role
from reporting.models import LEVELS, RUNNING_LEVELS, ReportTally
from reporting.tallies import source_tallies
from scheduling.models import Session, SessionStatus
from tests.factories import CaseFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REFERRED_ON = date(2026, 3, 1)


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=AMSTERDAM)


def neighbours() -> CaseKind:
    return CaseKind.objects.get_or_create(
        code="neighbours", defaults={"name_nl": "Tussen buren", "name_en": "Between neighbours"}
    )[0]


def step(case: Case, transition: str, to_status: str, days: int) -> None:
    CaseStatusChange.objects.create(
        case=case,
        transition=transition,
        from_status="referred",
        to_status=to_status,
        changed_at=noon(case.referred_on + timedelta(days=days)),
    )


def make_case(coordinator, *, status="referred", outcome="", kind=None, **fields) -> Case:
    extra = {"kind": kind} if kind else {}
    case = CaseFactory(
        referred_by=coordinator,
        referred_on=fields.pop("referred_on", REFERRED_ON),
        mediators=fields.pop("mediators", None),
        **extra,
        **fields,
    )
    Case.objects.filter(pk=case.pk).update(status=status, outcome=outcome)
    case.refresh_from_db()
    return case


def reviewed_actions(case: Case, mediator, **counts: int) -> None:
    """An agreement of `case` with actions reviewed: `done=5, partly_done=2, not_done=3`."""
    agreement = Agreement.objects.create(case=case, sealed_text=b"sealed", created_by=mediator)
    for status, count in counts.items():
        for _ in range(count):
            action = AgreementAction.objects.create(
                agreement=agreement, sealed_description=b"sealed", due_on=date(2026, 6, 1)
            )
            ActionReview.objects.create(
                action=action, status=status, sealed_comment=b"sealed", reviewed_by=mediator
            )


def planted_cases(coordinator, mediator, organisation="Gemeente Utrecht") -> list[Case]:
    """The coordinator's 16 cases of 2026 described above; returns them."""
    org = {"referring_organisation": organisation}
    referred = make_case(coordinator, kind=neighbours(), **org)
    intake = [
        make_case(coordinator, status="intake", kind=neighbours() if i == 0 else None, **org)
        for i in range(3)
    ]
    outcomes = ["full_agreement"] * 6 + ["partial_agreement"] + ["no_agreement"] * 5
    closed = [
        make_case(coordinator, status="closed", outcome=outcome, mediators=[mediator], **org)
        for outcome in outcomes
    ]
    for days, case in enumerate([*intake, *closed], start=1):
        step(case, "accept", "intake", days)
    for days, case in enumerate(closed[:7], start=20):
        step(case, "reach_agreement", "agreement", days)
    for days, case in enumerate(closed, start=30):
        step(case, "close", "closed", days)
    first = closed[0]
    for hour in range(6):
        start = noon(date(2026, 4, 1)) + timedelta(days=hour)
        Session.objects.create(
            case=first,
            kind="joint",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            status=SessionStatus.HELD,
            duration_minutes=90,
            place="Buurthuis",
            organizer=mediator,
            created_by=mediator,
        )
    for status, duration in ((SessionStatus.HELD, None), (SessionStatus.PLANNED, None)):
        start = noon(date(2026, 5, 1))
        Session.objects.create(
            case=closed[1],
            kind="joint",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            status=status,
            duration_minutes=duration,
            place="Buurthuis",
            organizer=mediator,
            created_by=mediator,
        )
    reviewed_actions(first, mediator, done=5, partly_done=2, not_done=3)
    make_case(coordinator, referred_on=date(2025, 6, 1), **org)
    return [referred, *intake, *closed]


def other_coordinators_cases() -> list[Case]:
    other = UserFactory(username="other_coordinator", roles=[Role.COORDINATOR])
    return [
        make_case(
            other,
            status="closed",
            outcome="withdrawn",
            referring_organisation="Gemeente Zeist",
        )
        for _ in range(5)
    ]


def stored() -> Counter:
    """Every stored tally, of every level and span."""
    return Counter(
        {
            (
                t.level,
                t.span,
                t.start,
                t.kind_id,
                t.organisation,
                t.referrer_id,
                t.measure,
                t.value,
            ): (t.count)
            for t in ReportTally.objects.all()
        }
    )


def counted_from_cases() -> Counter:
    """What every level and span should hold, added up here from the cases' own tallies; the
    running totals of a group for each year in which it has tallies, of every year up to it."""
    expected: Counter = Counter()
    tallies = source_tallies(Case.objects.all())
    years: dict[tuple, set[date]] = defaultdict(set)  # of each running group
    for t in tallies:
        for level in LEVELS:
            kind_id = t.kind_id if "k" in level else 0
            organisation = t.organisation if "o" in level else ""
            referrer_id = t.referrer_id if "r" in level else 0
            year = t.month.replace(month=1)
            for span, start in (("month", t.month), ("year", year)):
                expected[
                    (level, span, start, kind_id, organisation, referrer_id, t.measure, t.value)
                ] += t.count
            if level in RUNNING_LEVELS:
                years[(level, kind_id, organisation)].add(year)
    for t in tallies:
        for level in RUNNING_LEVELS:
            kind_id = t.kind_id if "k" in level else 0
            organisation = t.organisation if "o" in level else ""
            for year in years[(level, kind_id, organisation)]:
                if t.month.year <= year.year:
                    key = (level, "upto", year, kind_id, organisation, 0, t.measure, t.value)
                    expected[key] += t.count
    return expected
