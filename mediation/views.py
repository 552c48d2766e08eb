"""Project-wide views: the role-aware landing page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from mediation.roles import Role, roles_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Show each role what it works on; a user may hold more than one role."""
    roles = roles_of(request.user)
    return render(
        request,
        "mediation/home.html",
        {
            "is_coordinator": Role.COORDINATOR in roles,
            "is_mediator": Role.MEDIATOR in roles,
            "is_supervisor": Role.SUPERVISOR in roles,
            "role_labels": [role.label for role in Role if role in roles],
        },
    )
