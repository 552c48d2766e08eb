"""The roles page: a supervisor or administrator gives and takes the global roles.

In `cases` because every change goes through `cases.services.roles`, which audits it and keeps
administrators out of case roles. The root URLconf wires it in at /accounts/roles/.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cases import forms, selectors, services
from mediation.forms import add_service_errors
from mediation.roles import Role, is_admin_account
from mediation.types import AuthenticatedHttpRequest

PAGE_SIZE = 25


def _require_manager(request: AuthenticatedHttpRequest) -> None:
    if not services.may_manage_roles(request.user):
        raise PermissionDenied


@login_required
def role_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every user with their roles, searched and paged."""
    _require_manager(request)
    form = forms.RoleSearchForm(request.GET or None)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    users = selectors.users_with_roles(search=search)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    query = f"q={search}" if search else ""
    return render(request, "cases/roles.html", {"form": form, "page": page, "query": query})


@login_required
def role_change(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    """Give or take one user's roles; taking one away asks for confirmation first."""
    _require_manager(request)
    person = get_object_or_404(get_user_model(), pk=user_id)
    held = [
        Role(name)
        for name in person.groups.filter(name__in=Role.values).values_list("name", flat=True)
    ]
    form = forms.RoleForm(request.POST or None, initial={"roles": held})
    taken: list[Role] = []
    if request.method == "POST" and form.is_valid():
        wanted = {Role(value) for value in form.cleaned_data["roles"]}
        taken = sorted(set(held) - wanted)
        if not taken or form.cleaned_data["confirmed"]:
            try:
                services.roles_set(user=person, roles=wanted, actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
                taken = []
            else:
                messages.success(
                    request,
                    _("The roles of %(name)s were saved.") % {"name": person.get_username()},
                )
                return redirect("roles:list")
    context = {
        "person": person,
        "form": form,
        "taken": [role.label for role in taken],
        "wanted": form.cleaned_data["roles"] if taken else [],
        "administrator": is_admin_account(person),
    }
    return render(request, "cases/role_change.html", context)
