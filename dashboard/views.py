"""The working day: each role's home, the mediator's to-do list, the board of cases."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from cases import selectors as case_selectors
from cases.forms import TransitionForm
from dashboard import selectors
from mediation.roles import Role, role_required, roles_of
from mediation.types import AuthenticatedHttpRequest


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What needs the user now, for each role they hold (a user may hold more than one)."""
    user, roles, now = request.user, roles_of(request.user), timezone.now()
    context: dict = {
        "is_coordinator": Role.COORDINATOR in roles,
        "is_mediator": Role.MEDIATOR in roles,
        "is_supervisor": Role.SUPERVISOR in roles,
        "role_labels": [role.label for role in Role if role in roles],
    }
    if context["is_mediator"]:
        context["day"] = selectors.mediator_day(user=user, now=now)
    if context["is_coordinator"]:
        since = selectors.home_visit_record(user=user, now=now)
        context["since"] = since
        context["referrals"] = selectors.referrals_recent(user=user)
        context["changes"] = selectors.referral_changes(user=user, since=since)
    if context["is_supervisor"]:
        context["queue"] = case_selectors.unassigned_referrals()
        context["caseload"], context["caseload_next"] = case_selectors.caseload_page(
            after=request.GET.get("mediators_after", "")
        )
        context["quiet"] = selectors.quiet_cases(now=now)
        context["quiet_days"] = selectors.settings.TAFEL_QUIET_DAYS
    return render(request, "dashboard/home.html", context)


@role_required(Role.MEDIATOR)
def todo(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every due action, follow-up, invite to chase, missing approval and declaration."""
    now = timezone.now()
    return render(
        request,
        "dashboard/todo.html",
        {
            "items": selectors.todo_items(user=request.user, now=now),
            "today": timezone.localdate(now),
        },
    )


@role_required(Role.MEDIATOR, Role.SUPERVISOR)
def board(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open cases by status; a case moves on by its lifecycle step, guards and all."""
    roles = roles_of(request.user)
    mine_only = Role.SUPERVISOR not in roles or request.GET.get("mine") == "1"
    columns, movable = selectors.board_columns(user=request.user, mine_only=mine_only)
    return render(
        request,
        "dashboard/board.html",
        {
            "columns": columns,
            "movable": movable,
            "mine_only": mine_only,
            "is_supervisor": Role.SUPERVISOR in roles,
            "form": TransitionForm(),
        },
    )
