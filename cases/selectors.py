"""Reading cases: lists, queues and caseload, always through `visible_cases`."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When

from cases.models import Case, CaseStatus, ConflictOfInterestDeclaration, Urgency
from cases.permissions import visible_cases
from mediation.roles import Role


def case_list_for_user(
    *, user, status: str = "", kind: str = "", search: str = "", mine_only: bool = False
) -> QuerySet[Case]:
    """Cases the user may see, filtered and searched in the database, newest first.

    `mine_only` narrows a supervisor's list to cases they are on; others only see their own.
    """
    cases = visible_cases(user).select_related("kind", "lead_mediator")
    if mine_only:
        cases = cases.filter(
            Q(lead_mediator=user) | Q(co_mediators=user) | Q(referred_by=user)
        ).distinct()
    if status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind__code=kind)
    if search:
        cases = cases.filter(Q(reference__icontains=search) | Q(title__icontains=search))
    return cases.order_by("-referred_on", "-id")


_URGENCY_ORDER = When_(
    When(urgency=Urgency.HIGH, then=Value(0)),
    When(urgency=Urgency.NORMAL, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def referral_queue() -> QuerySet[Case]:
    """New referrals waiting for a lead mediator: safety concerns first, then urgency, age."""
    return (
        Case.objects.filter(status=CaseStatus.REFERRED, lead_mediator__isnull=True)
        .select_related("kind")
        .annotate(urgency_rank=_URGENCY_ORDER)
        .order_by("-safety_concern", "urgency_rank", "referred_on", "id")
    )


def caseload() -> QuerySet:
    """Every active mediator with the number of open cases they lead and co-mediate."""
    open_case = ~Q(led_cases__status=CaseStatus.CLOSED)
    return (
        get_user_model()
        .objects.filter(groups__name=Role.MEDIATOR, is_active=True)
        .annotate(
            leading=Count(
                "led_cases", filter=open_case & Q(led_cases__isnull=False), distinct=True
            ),
            co_mediating=Count(
                "co_mediated_cases",
                filter=~Q(co_mediated_cases__status=CaseStatus.CLOSED)
                & Q(co_mediated_cases__isnull=False),
                distinct=True,
            ),
        )
        .order_by("-leading", "-co_mediating", "username")
    )


def mediator_choices() -> QuerySet:
    """Active users with the mediator role, for assignment."""
    return (
        get_user_model()
        .objects.filter(groups__name=Role.MEDIATOR, is_active=True)
        .order_by("last_name", "first_name", "username")
    )


def mediator_ids(*, case: Case) -> set[int]:
    """Ids of the lead mediator and co-mediators."""
    return {case.lead_mediator_id, *case.co_mediators.values_list("pk", flat=True)} - {None}


@dataclass(frozen=True)
class MediatorOnCase:
    user: object
    is_lead: bool
    declaration: ConflictOfInterestDeclaration | None


def mediators_with_declarations(*, case: Case) -> list[MediatorOnCase]:
    """The lead mediator and co-mediators, each with their conflict-of-interest declaration."""
    declarations = {d.mediator_id: d for d in case.declarations.all()}
    people = [case.lead_mediator] if case.lead_mediator_id else []
    people += list(case.co_mediators.order_by("last_name", "username"))
    return [
        MediatorOnCase(user, user.pk == case.lead_mediator_id, declarations.get(user.pk))
        for user in people
    ]
