"""Project-wide views: the role-aware landing page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.models import CaseStatus
from cases.selectors import case_list_for_user, caseload, referral_queue
from mediation.roles import Role, roles_of

OVERVIEW_LIMIT = 10


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show each role what it works on; a user may hold more than one role."""
    user, roles = request.user, roles_of(request.user)
    context = {
        "is_coordinator": Role.COORDINATOR in roles,
        "is_mediator": Role.MEDIATOR in roles,
        "is_supervisor": Role.SUPERVISOR in roles,
        "role_labels": [role.label for role in Role if role in roles],
    }
    if context["is_coordinator"]:
        context["referrals"] = case_list_for_user(user=user).filter(referred_by=user)[
            :OVERVIEW_LIMIT
        ]
    if context["is_mediator"]:
        context["my_cases"] = (
            case_list_for_user(user=user)
            .filter(Q(lead_mediator=user) | Q(co_mediators=user))
            .exclude(status=CaseStatus.CLOSED)
            .distinct()[:OVERVIEW_LIMIT]
        )
    if context["is_supervisor"]:
        context["queue"] = referral_queue()[:OVERVIEW_LIMIT]
        context["caseload"] = caseload()
    return render(request, "mediation/home.html", context)


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (toegankelijkheidsverklaring); open to everyone."""
    contact = settings.TAFEL_ACCESSIBILITY_CONTACT or settings.DEFAULT_FROM_EMAIL
    return render(request, "mediation/accessibility.html", {"contact": contact})
