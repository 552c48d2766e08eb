"""Case pages: the landing page, list, detail, assignment, declarations, lifecycle steps, trail."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from audit.labels import events_for_display
from audit.selectors import audit_event_list
from cases import forms, hooks, selectors, services
from cases.models import Case, ConflictOfInterestDeclaration, Outcome
from cases.permissions import (
    CaseAccess,
    CasePermission,
    get_case_and_access,
    get_case_for_user,
)
from mediation.forms import add_service_errors
from mediation.outbox import outbox_for_case
from mediation.roles import Role, role_required
from mediation.types import AnyUser, AuthenticatedHttpRequest

PAGE_SIZE = 25


@login_required
def case_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The cases the user may see, filtered, searched and paged."""
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.filters()
    cases = selectors.case_list_for_user(user=request.user, **filters)
    page = selectors.case_page(
        cases,
        after=request.GET.get("after", ""),
        before=request.GET.get("before", ""),
        size=PAGE_SIZE,
    )
    query = request.GET.copy()
    for key in ("after", "before", "page"):
        query.pop(key, None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    context["filtered"] = any(filters.values())
    return render(request, "cases/list.html", context)


@never_cache  # the page shows note titles and contact details
@login_required
def case_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The case page. What it shows depends on the user's rights on this case."""
    case, access = get_case_and_access(request.user, case_id)
    return _case_page(request, case, access)


def _case_page(
    request: AuthenticatedHttpRequest,
    case: Case,
    access: CaseAccess,
    *,
    status: int = 200,
    back_url: str = "",
) -> HttpResponse:
    context = {
        "case": case,
        "access": access,
        "status_changes": case.status_changes.select_related("actor"),
        "steps": _next_steps(case, request.user),
        "sections": hooks.case_sections(case=case, user=request.user, access=access),
        "back_url": back_url,
    }
    if access.sees_case_details:
        context["mediators"] = selectors.mediators_with_declarations(case=case)
    if access.schedule_sessions or access.is_supervisor:
        context["show_outgoing"] = True
        context["outgoing"] = outbox_for_case(case_id=case.pk)
    if access.read_notes:
        # Titles only: the bodies stay sealed, and listing is not reading.
        context["note_titles"] = services.note_titles(case=case, reader=request.user, limit=5)
    return render(request, "cases/detail.html", context, status=status)


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


# Why a step was refused, for the audit trail (cases.services.refusals).
_REFUSALS: tuple[tuple[type[services.CaseActionError], str], ...] = (
    (services.CaseConflict, "stale"),
    (services.TransitionNotAllowed, "not_allowed"),
    (services.CaseActionError, "guard"),
)


@never_cache
@login_required
def case_transition(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Run one lifecycle step; a refusal says what is missing and nothing is saved.

    A refused step (a stale page, a step that does not exist or is not the user's, a guard
    that finds something missing) answers 409 with the case page and its messages, and is an
    audit event; a step that went through goes back where it was taken (302).
    """
    case = get_case_for_user(request.user, case_id)  # first: an unseen case is a 404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.TransitionForm(request.POST)
    # From the board, several cases are in view: each message names its case.
    named = "%(reference)s: %(message)s" if request.POST.get("next") else "%(message)s"
    if not form.is_valid():
        problems = [_("That step could not be read. Reload the page and try again.")]
        return _refused(request, case, problems, "unreadable", named)
    try:
        changed = services.case_transition(case=case, actor=request.user, **form.cleaned_data)
    except services.CaseActionError as error:
        refusal = next(kind for cls, kind in _REFUSALS if isinstance(error, cls))
        return _refused(request, case, error.messages, refusal, named)
    done = _("The case was updated: it is now '%(status)s'.") % {
        "status": changed.get_status_display()
    }
    messages.success(request, named % {"reference": case.reference, "message": done})
    return redirect(_back_url(request) or reverse("cases:detail", args=[case.pk]))


def _refused(
    request: AuthenticatedHttpRequest, case: Case, problems: list[str], refusal: str, named: str
) -> HttpResponse:
    """The case page with what was refused and why, status 409; the refusal is audited."""
    # Read afresh: the page shows the case as it is now (someone else may have moved it).
    case, access = get_case_and_access(request.user, case.pk)
    services.case_step_refused_record(
        case=case,
        actor=request.user,
        name=request.POST.get("name", ""),
        refusal=refusal,
        status=case.status,
    )
    for message in problems:
        messages.error(request, named % {"reference": case.reference, "message": message})
    return _case_page(request, case, access, status=409, back_url=_back_url(request))


def _back_url(request: AuthenticatedHttpRequest) -> str:
    """Where the step was taken when that was another page of Tafel (the board), or ""."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


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
        chosen = [data["lead"], *data["co_mediators"]]
        try:
            # An administrator is refused (and the attempt recorded) before anything is shown.
            services.case_assignment_check(case=case, users=chosen, actor=request.user)
            if data["confirmed"]:
                services.case_assign(
                    case=case, lead=chosen[0], co_mediators=chosen[1:], actor=request.user
                )
                messages.success(request, _("The mediators were assigned."))
                return redirect("cases:detail", case.pk)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            matches = [(user, hooks.conflict_matches(case=case, mediator=user)) for user in chosen]
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
    caseload, after = selectors.caseload_page(after=request.GET.get("mediators_after", ""))
    return render(
        request,
        "cases/queue.html",
        {"queue": selectors.referral_queue(), "caseload": caseload, "caseload_next": after},
    )
