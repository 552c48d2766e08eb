"""Case pages: the landing page, list, detail, assignment, declarations, lifecycle steps, trail."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from audit.labels import events_for_display
from audit.selectors import audit_event_list
from cases import forms, hooks, selectors, services
from cases.models import Case, CaseStatus, ConflictOfInterestDeclaration, Outcome
from cases.permissions import CasePermission, get_case_and_access, get_case_for_user
from mediation.forms import add_service_errors
from mediation.outbox import outbox_for_case
from mediation.roles import Role, role_required, roles_of
from mediation.types import AnyUser, AuthenticatedHttpRequest

PAGE_SIZE = 25
OVERVIEW_LIMIT = 10


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show each role what it works on; a user may hold more than one role."""
    user, roles = request.user, roles_of(request.user)
    context = {
        "is_coordinator": Role.COORDINATOR in roles,
        "is_mediator": Role.MEDIATOR in roles,
        "is_supervisor": Role.SUPERVISOR in roles,
        "role_labels": [role.label for role in Role if role in roles],
    }
    if context["is_coordinator"]:
        context["referrals"] = selectors.case_list_for_user(user=user).filter(referred_by=user)[
            :OVERVIEW_LIMIT
        ]
    if context["is_mediator"]:
        context["my_cases"] = (
            selectors.case_list_for_user(user=user)
            .filter(Q(lead_mediator=user) | Q(co_mediators=user))
            .exclude(status=CaseStatus.CLOSED)
            .distinct()[:OVERVIEW_LIMIT]
        )
    if context["is_supervisor"]:
        context["queue"] = selectors.referral_queue()[:OVERVIEW_LIMIT]
        context["caseload"] = selectors.caseload()
    return render(request, "cases/home.html", context)


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases the user may see, filtered, searched and paged."""
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.filters()
    cases = selectors.case_list_for_user(user=request.user, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's lines as plain values, not model instances: see `case_list_rows`. The page
    # holds a slice of the QuerySet, which the stubs type as any sequence.
    page.object_list = selectors.case_list_rows(page.object_list)  # type: ignore[arg-type,assignment]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    context["filtered"] = any(filters.values())
    return render(request, "cases/list.html", context)


@never_cache  # the page shows note titles and contact details
@login_required
def case_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The case page. What it shows depends on the user's rights on this case."""
    case, access = get_case_and_access(request.user, case_id)
    context = {
        "case": case,
        "access": access,
        "status_changes": case.status_changes.select_related("actor"),
        "steps": _next_steps(case, request.user),
        "sections": hooks.case_sections(case=case, user=request.user, access=access),
    }
    if access.sees_case_details:
        context["mediators"] = selectors.mediators_with_declarations(case=case)
    if access.schedule_sessions or access.is_supervisor:
        context["show_outgoing"] = True
        context["outgoing"] = outbox_for_case(case_id=case.pk)
    if access.read_notes:
        # Titles only: the bodies stay sealed, and listing is not reading.
        context["note_titles"] = services.note_titles(case=case, reader=request.user, limit=5)
    return render(request, "cases/detail.html", context)


def _next_steps(case: Case, user: AnyUser) -> list[dict[str, Any]]:
    """The steps the user may take from here, each with what its guards find missing."""
    return [
        {
            "meta": meta,
            "problems": hooks.problems(case, meta.name),
            "form": forms.TransitionForm(
                initial={"name": meta.name, "expected_status": case.status}
            ),
            "outcomes": [
                (value, Outcome(value).label) for value in meta.custom.get("outcomes", ())
            ],
        }
        for meta in services.available_transitions(case, user)
    ]


@login_required
def case_transition(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Run one lifecycle step; a refusal says what is missing and nothing is saved."""
    case = get_case_for_user(request.user, case_id)  # first: an unseen case is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That step could not be read. Reload the page and try again."))
        return redirect("cases:detail", case.pk)
    try:
        services.case_transition(case=case, actor=request.user, **form.cleaned_data)
    except services.CaseActionError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The case was updated."))
    return redirect("cases:detail", case.pk)


@role_required(Role.SUPERVISOR)
def case_assign(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Choose mediators: first see their possible conflicts of interest, then confirm."""
    case = get_case_for_user(request.user, case_id)
    form = forms.AssignmentForm(
        request.POST or None,
        initial={"lead": case.lead_mediator_id, "co_mediators": list(case.co_mediators.all())},
    )
    matches = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not data["confirmed"]:
            chosen = [data["lead"], *data["co_mediators"]]
            matches = [(user, hooks.conflict_matches(case=case, mediator=user)) for user in chosen]
        else:
            try:
                services.case_assign(
                    case=case,
                    lead=data["lead"],
                    co_mediators=list(data["co_mediators"]),
                    actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The mediators were assigned."))
                return redirect("cases:detail", case.pk)
    return render(request, "cases/assign.html", {"case": case, "form": form, "matches": matches})


@login_required
def case_declare(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """A mediator on the case declares whether they have a conflict of interest."""
    case = get_case_for_user(request.user, case_id, CasePermission.CHANGE)
    matches = hooks.conflict_matches(case=case, mediator=request.user)
    form = forms.DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_declare(
                case=case, mediator=request.user, matches_shown=len(matches), **form.cleaned_data
            )
        except PermissionDenied:
            form.add_error(None, _("Only a mediator assigned to this case can declare."))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your declaration was recorded."))
            return redirect("cases:detail", case.pk)
    return render(request, "cases/declare.html", {"case": case, "form": form, "matches": matches})


@login_required
def conflict_accept(
    request: AuthenticatedHttpRequest, case_id: int, declaration_id: int
) -> HttpResponse:
    """Record that the parties accepted a disclosed conflict of interest."""
    case = get_case_for_user(request.user, case_id, CasePermission.RUN_TRANSITIONS)
    declaration = get_object_or_404(ConflictOfInterestDeclaration, pk=declaration_id, case=case)
    form = forms.ConflictAcceptanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.conflict_acceptance_record(
                declaration=declaration, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The parties' acceptance was recorded."))
            return redirect("cases:detail", case.pk)
    return render(
        request,
        "cases/conflict_accept.html",
        {"case": case, "declaration": declaration, "form": form},
    )


@login_required
def case_trail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The case's audit trail, for its mediators and supervisors."""
    case, access = get_case_and_access(request.user, case_id, CasePermission.VIEW_TRAIL)
    page = Paginator(audit_event_list(case_id=case.pk), 50).get_page(request.GET.get("page"))
    # Names and labels instead of ids; party names only for those who see them on the case.
    page.object_list = events_for_display(  # type: ignore[assignment]
        page.object_list, show_names=access.manage_parties
    )
    return render(request, "cases/trail.html", {"case": case, "page": page, "query": ""})


@role_required(Role.SUPERVISOR)
def outbox_resend(request: AuthenticatedHttpRequest, case_id: int, message_id: int) -> HttpResponse:
    """A supervisor sends a message that failed for good again, from the case page."""
    case = get_case_for_user(request.user, case_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.outbox_message_resend(case=case, message_id=message_id, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The message is sent again in a moment."))
    return redirect("cases:detail", case.pk)


@role_required(Role.SUPERVISOR)
def referral_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    """New referrals waiting for a mediator, safety concerns first; and the caseload."""
    return render(
        request,
        "cases/queue.html",
        {"queue": selectors.referral_queue(), "caseload": selectors.caseload()},
    )
