"""What needs each user now: the reads behind the homes, the to-do list and the board.

Every list here is one query with a limit, read through an index on the user's own cases or
on status, so a page costs the same number of queries, in about the same time, at 2k cases as
at 200k (bench/, the homes and the board). None of them opens anything sealed: they name the
case, the kind of event and when, and link to the page where it is handled.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from agreements.models import Agreement, AgreementAction, Approval, ApprovalDecision
from cases.models import (
    Case,
    CaseActivity,
    CaseStatus,
    CaseStatusChange,
    ConflictOfInterestDeclaration,
)
from cases.permissions import CasePermission, case_ids_with_permission, visible_cases
from dashboard.models import SAME_VISIT, HomeVisit
from letters.models import Letter
from letters.selectors import letters_to_print_for
from mediation.types import User
from parties.models import ParticipantRole, Participation
from scheduling.models import Attendee, Rsvp, Session, SessionStatus

# How many lines each part of a home shows; the to-do list and the board show more.
HOME_LIMIT = 8
TODO_LIMIT = 100
BOARD_LIMIT = 25
# An invite still unanswered this close to the session needs a call.
UNANSWERED_BEFORE = timedelta(days=2)
# How far ahead the home looks for actions and follow-ups that come due.
DUE_SOON = timedelta(days=7)

OPEN_STATUSES = (
    CaseStatus.REFERRED,
    CaseStatus.INTAKE,
    CaseStatus.SESSIONS,
    CaseStatus.AGREEMENT,
    CaseStatus.FOLLOW_UP,
)


def my_open_case_ids(user: User) -> list[int]:
    """Ids of the open cases the user leads or co-mediates: their caseload, however many
    cases there are in all. Two reads, each from the index of one mediator column (lead and
    status; the co-mediators table by user), so that every list below starts from these few
    ids instead of from a status or a date that all cases share.
    """
    led = Case.objects.filter(lead_mediator=user, status__in=OPEN_STATUSES).values_list(
        "pk", flat=True
    )
    co_mediated = Case.co_mediators.through.objects.filter(
        user=user, case__status__in=OPEN_STATUSES
    ).values_list("case_id", flat=True)
    return sorted({*led, *co_mediated})


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


# The mediator's home and to-do list


def sessions_ahead(*, case_ids: list[int], now: datetime, days: int = 7) -> list[Session]:
    """The planned sessions of these cases from the start of today, `days` days ahead."""
    today = timezone.localdate(now)
    return list(
        Session.objects.filter(
            case_id__in=case_ids,
            status=SessionStatus.PLANNED,
            starts_at__gte=_start_of_day(today),
            starts_at__lt=_start_of_day(today + timedelta(days=days)),
        )
        .select_related("case")
        .order_by("starts_at", "id")[: HOME_LIMIT * 3]
    )


def invites_needing_attention(*, case_ids: list[int], now: datetime, limit: int) -> list[Attendee]:
    """Participants who declined a coming session, or have not answered two days before it."""
    return list(
        Attendee.objects.active()
        .filter(
            participation__isnull=False,
            session__case_id__in=case_ids,
            session__status=SessionStatus.PLANNED,
            session__starts_at__gte=now,
        )
        .filter(
            Q(rsvp=Rsvp.DECLINED)
            | Q(rsvp=Rsvp.NEEDS_ACTION, session__starts_at__lt=now + UNANSWERED_BEFORE)
        )
        .select_related("session__case", "participation__party")
        .order_by("session__starts_at", "id")[:limit]
    )


@dataclass(frozen=True)
class ApprovalsWaiting:
    agreement: Agreement
    approved: int
    parties: int


def approvals_waiting(*, case_ids: list[int], limit: int) -> list[ApprovalsWaiting]:
    """Agreements of the user's cases that not every party approved in their current version."""
    parties = (
        Participation.objects.active()
        .filter(case=OuterRef("case"), role=ParticipantRole.PARTY)
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    approved = (
        Approval.objects.filter(
            agreement=OuterRef("pk"),
            version=OuterRef("version"),
            decision=ApprovalDecision.APPROVED,
            participation__removed_at__isnull=True,
        )
        .order_by()
        .values("agreement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    agreements = (
        Agreement.objects.filter(case_id__in=case_ids, case__status=CaseStatus.AGREEMENT)
        .annotate(
            parties=Coalesce(Subquery(parties, output_field=IntegerField()), 0),
            approved=Coalesce(Subquery(approved, output_field=IntegerField()), 0),
        )
        .filter(approved__lt=F("parties"))
        .select_related("case")
        .order_by("updated_at", "id")[:limit]
    )
    return [ApprovalsWaiting(a, a.approved, a.parties) for a in agreements]


def actions_due(*, case_ids: list[int], horizon: date | None, limit: int) -> list:
    """Agreed actions not yet reviewed that are due by `horizon` (all of them: None)."""
    actions = AgreementAction.objects.filter(
        agreement__case_id__in=case_ids,
        agreement__case__status__in=(CaseStatus.AGREEMENT, CaseStatus.FOLLOW_UP),
        review__isnull=True,
    )
    if horizon is not None:
        actions = actions.filter(due_on__lte=horizon)
    return list(
        actions.select_related("agreement__case", "owner__party").order_by("due_on", "id")[:limit]
    )


def follow_ups_due(*, case_ids: list[int], horizon: date | None, limit: int) -> list[Agreement]:
    """Follow-up checks of the user's cases in follow-up, due by `horizon` (all: None)."""
    agreements = Agreement.objects.filter(
        case_id__in=case_ids, case__status=CaseStatus.FOLLOW_UP, follow_up_on__isnull=False
    )
    if horizon is not None:
        agreements = agreements.filter(follow_up_on__lte=horizon)
    return list(agreements.select_related("case").order_by("follow_up_on", "id")[:limit])


def declarations_waiting(*, user: User, case_ids: list[int], limit: int) -> list[Case]:
    """Open cases the user is on without their conflict-of-interest declaration."""
    declared = ConflictOfInterestDeclaration.objects.filter(case=OuterRef("pk"), mediator=user)
    return list(
        Case.objects.filter(pk__in=case_ids)
        .exclude(Exists(declared))
        .select_related("kind")
        .order_by("referred_on", "id")[:limit]
    )


def open_cases_of(*, case_ids: list[int], limit: int = HOME_LIMIT) -> list[Case]:
    """These cases, newest referral first."""
    return list(
        Case.objects.filter(pk__in=case_ids)
        .select_related("kind")
        .order_by("-referred_on", "-id")[:limit]
    )


@dataclass(frozen=True)
class MediatorDay:
    """The mediator's home: what needs them now, each list already limited."""

    today: list[Session]
    this_week: list[Session]
    invites: list[Attendee]
    letters: list[Letter]
    approvals: list[ApprovalsWaiting]
    actions: list[AgreementAction]
    follow_ups: list[Agreement]
    declarations: list[Case]
    cases: list[Case]  # the user's open cases, the newest few
    today_date: date

    @property
    def needs_nothing(self) -> bool:
        return not (
            self.today
            or self.this_week
            or self.invites
            or self.letters
            or self.approvals
            or self.actions
            or self.follow_ups
            or self.declarations
        )


def mediator_day(*, user: User, now: datetime | None = None) -> MediatorDay:
    """Everything the mediator's home shows, in ten queries whatever the number of cases."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = my_open_case_ids(user)
    sessions = sessions_ahead(case_ids=ids, now=now)
    tomorrow = _start_of_day(today + timedelta(days=1))
    return MediatorDay(
        today=[s for s in sessions if s.starts_at < tomorrow],
        this_week=[s for s in sessions if s.starts_at >= tomorrow],
        invites=invites_needing_attention(case_ids=ids, now=now, limit=HOME_LIMIT),
        letters=letters_to_print_for(user=user, limit=HOME_LIMIT),
        approvals=approvals_waiting(case_ids=ids, limit=HOME_LIMIT),
        actions=actions_due(case_ids=ids, horizon=today + DUE_SOON, limit=HOME_LIMIT),
        follow_ups=follow_ups_due(case_ids=ids, horizon=today + DUE_SOON, limit=HOME_LIMIT),
        declarations=declarations_waiting(user=user, case_ids=ids, limit=HOME_LIMIT),
        cases=open_cases_of(case_ids=ids),
        today_date=today,
    )


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list: what to do, on which case, by when, and where."""

    kind: str  # "declaration", "invite", "approvals", "action", "follow_up"
    due: date | None
    case: Case
    subject: object  # the declaration's case, the attendee, the agreement or the action


def todo_items(*, user: User, now: datetime | None = None) -> list[TodoItem]:
    """The mediator's to-do list: every due action, follow-up, open invite problem, missing
    approval and declaration, the earliest first (no date: first of all)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = my_open_case_ids(user)
    items = [
        TodoItem("declaration", None, case, case)
        for case in declarations_waiting(user=user, case_ids=ids, limit=TODO_LIMIT)
    ]
    items += [
        TodoItem("invite", timezone.localdate(a.session.starts_at), a.session.case, a)
        for a in invites_needing_attention(case_ids=ids, now=now, limit=TODO_LIMIT)
    ]
    items += [
        TodoItem("approvals", None, w.agreement.case, w)
        for w in approvals_waiting(case_ids=ids, limit=TODO_LIMIT)
    ]
    items += [
        TodoItem("action", a.due_on, a.agreement.case, a)
        for a in actions_due(case_ids=ids, horizon=None, limit=TODO_LIMIT)
    ]
    items += [
        TodoItem("follow_up", a.follow_up_on, a.case, a)
        for a in follow_ups_due(case_ids=ids, horizon=None, limit=TODO_LIMIT)
    ]
    return sorted(items, key=lambda item: (item.due is not None, item.due or today))


# The coordinator's home


def referrals_recent(*, user: User, limit: int = HOME_LIMIT) -> list[Case]:
    """The coordinator's latest referrals, newest first, with status and outcome."""
    return list(
        Case.objects.filter(referred_by=user)
        .select_related("kind")
        .order_by("-referred_on", "-id")[:limit]
    )


def referral_changes(*, user: User, since: datetime | None, limit: int = HOME_LIMIT) -> list:
    """Status changes of the coordinator's referrals after `since` (nothing on a first visit)."""
    if since is None:
        return []
    return list(
        CaseStatusChange.objects.filter(case__referred_by=user, changed_at__gt=since)
        .select_related("case")
        .order_by("-changed_at", "-id")[:limit]
    )


def home_visit_record(*, user: User, now: datetime | None = None) -> datetime | None:
    """Note this visit to the home; return the moment of the visit before (None: the first).

    Visits within half an hour count as one, so that a reload does not hide what was new.
    """
    now = now or timezone.now()
    visit, created = HomeVisit.objects.get_or_create(user=user, defaults={"latest_at": now})
    if created:
        return None
    if now - visit.latest_at > SAME_VISIT:
        visit.previous_at, visit.latest_at = visit.latest_at, now
        visit.save(update_fields=["previous_at", "latest_at"])
    return visit.previous_at


# The supervisor's home


def quiet_cases(*, now: datetime | None = None, limit: int = HOME_LIMIT) -> list[CaseActivity]:
    """Open cases with no activity for TAFEL_QUIET_DAYS days, the longest quiet first."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.TAFEL_QUIET_DAYS)
    return list(
        CaseActivity.objects.filter(is_open=True, last_at__lt=cutoff)
        .select_related("case__kind", "case__lead_mediator")
        .order_by("last_at")[:limit]
    )


# The board


# Each column's step forward, if it needs no reason and no choice of outcome.
FORWARD_STEP = {
    CaseStatus.REFERRED: "accept",
    CaseStatus.INTAKE: "start_sessions",
    CaseStatus.SESSIONS: "reach_agreement",
    CaseStatus.AGREEMENT: "start_follow_up",
}


@dataclass(frozen=True)
class BoardColumn:
    status: str
    label: str
    cases: list[Case]
    more: bool  # more cases have this status than the column shows
    step: str  # the step that moves a case on from here, "" if none from the board
    step_label: str


def board_columns(*, user: User, mine_only: bool) -> tuple[list[BoardColumn], set[int]]:
    """The open cases the user may see, by status, each column newest referral first and
    limited; and the ids of the shown cases the user may move on (run their steps).

    The user's own cases: their caseload in one read, sorted into columns here. All open
    cases (a supervisor): one read per column from the (status, referred_on) index. Then one
    query for the rights.
    """
    labels = {meta.name: meta.custom["label"] for meta in Case().get_all_status_transitions()}
    if mine_only:
        # Their caseload, checked against their rights (the rule of `visible_cases`) by id:
        # reading all their grants as a subquery cost more than the board itself.
        ids = case_ids_with_permission(user, my_open_case_ids(user), CasePermission.VIEW)
        mine = list(
            Case.objects.filter(pk__in=ids)
            .select_related("kind", "lead_mediator")
            .order_by("-referred_on", "-id")
        )
        found = {status: [c for c in mine if c.status == status] for status in OPEN_STATUSES}
    else:
        cases = visible_cases(user).select_related("kind", "lead_mediator")
        found = {
            status: list(
                cases.filter(status=status).order_by("-referred_on", "-id")[: BOARD_LIMIT + 1]
            )
            for status in OPEN_STATUSES
        }
    columns = [
        BoardColumn(
            status=status,
            label=str(CaseStatus(status).label),
            cases=found[status][:BOARD_LIMIT],
            more=len(found[status]) > BOARD_LIMIT,
            step=FORWARD_STEP.get(status, ""),
            step_label=labels.get(FORWARD_STEP.get(status, ""), ""),
        )
        for status in OPEN_STATUSES
    ]
    shown = [case.pk for column in columns for case in column.cases]
    movable = case_ids_with_permission(user, shown, CasePermission.RUN_TRANSITIONS)
    return columns, movable
