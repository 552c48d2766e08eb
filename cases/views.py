"""Case pages: list, referral, detail, assignment, declarations, lifecycle steps, trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from audit.selectors import audit_event_list
from cases import forms, selectors, services
from cases.models import Agreement, ConflictOfInterestDeclaration, Outcome
from cases.permissions import get_case_for_user, has_case_permission, is_supervisor
from mediation.forms import add_service_errors
from mediation.outbox import outbox_for_case
from mediation.roles import Role, role_required
from parties.selectors import conflict_matches, participation_list
from scheduling.selectors import upcoming_sessions

PAGE_SIZE = 25


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the user may see, filtered, searched and paged."""
    form = forms.CaseFilterForm(request.GET or None)
    filters = form.filters()
    cases = selectors.case_list_for_user(user=request.user, **filters)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's lines as plain values, not model instances: see `case_list_rows`.
    page.object_list = selectors.case_list_rows(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    context["filtered"] = any(filters.values())
    return render(request, "cases/list.html", context)


@role_required(Role.COORDINATOR)
def case_refer(request: HttpRequest) -> HttpResponse:
    """A coordinator refers a conflict and names its parties."""
    form = forms.ReferralForm(request.POST or None)
    party_forms = forms.ReferralPartyFormSet(request.POST or None, prefix="party")
    if request.method == "POST" and form.is_valid() and party_forms.is_valid():
        parties = [row for row in party_forms.cleaned_data if row.get("name")]
        try:
            case = services.case_refer(
                referred_by=request.user, parties=parties, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Referral %(reference)s was sent.") % {"reference": case.reference}
            )
            return redirect("cases:detail", case.pk)
    return render(request, "cases/refer.html", {"form": form, "party_forms": party_forms})


@never_cache  # the page shows note titles and contact details
@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case page. What it shows depends on the user's rights on this case."""
    case = get_case_for_user(request.user, case_id)
    can = {
        perm: has_case_permission(request.user, case, f"cases.{perm}")
        for perm in (
            "manage_case_parties",
            "run_case_transitions",
            "view_case_trail",
            "view_case_notes",
            "schedule_case_sessions",
        )
    }
    context = {
        "case": case,
        "can": can,
        "is_supervisor": is_supervisor(request.user),
        "is_mediator_on_case": request.user.pk in selectors.mediator_ids(case=case),
        "status_changes": case.status_changes.select_related("actor"),
        "steps": [
            {
                "meta": meta,
                "problems": meta.custom.get("problems", lambda case: [])(case),
                "form": forms.TransitionForm(
                    initial={"name": meta.name, "expected_status": case.status}
                ),
                "outcomes": [
                    (value, Outcome(value).label) for value in meta.custom.get("outcomes", ())
                ],
            }
            for meta in services.available_transitions(case, request.user)
        ],
    }
    if can["manage_case_parties"] or context["is_supervisor"]:
        context["mediators"] = selectors.mediators_with_declarations(case=case)
    if can["manage_case_parties"]:
        context["participations"] = participation_list(case=case, include_removed=True)
    if can["schedule_case_sessions"]:
        context["upcoming_sessions"] = upcoming_sessions(case=case)
        context["outgoing"] = outbox_for_case(case_id=case.pk)
    if can["view_case_notes"]:
        # Titles only: the bodies stay sealed, and listing is not reading.
        context["note_titles"] = services.note_titles(case=case, reader=request.user, limit=5)
        context["agreement_panel"] = _agreement_panel(case)
    elif request.user.pk == case.referred_by_id:
        # The referrer reads the summary only when every party agreed to share it.
        context["referrer_summary"] = services.summary_for_referrer(case=case, reader=request.user)
    return render(request, "cases/detail.html", context)


def _agreement_panel(case) -> dict | None:
    """Counts for the case page's agreement panel; the texts stay sealed."""
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is None:
        return None
    agreement.case = case
    answers = services.approval_overview(agreement=agreement)
    return {
        "agreement": agreement,
        "actions": agreement.actions.count(),
        "parties": len(answers),
        "approved": sum(1 for a in answers if a.current and a.current.decision == "approved"),
    }


@login_required
def case_transition(request: HttpRequest, case_id: int) -> HttpResponse:
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
def case_assign(request: HttpRequest, case_id: int) -> HttpResponse:
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
            matches = [(user, conflict_matches(case=case, mediator=user)) for user in chosen]
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
def case_declare(request: HttpRequest, case_id: int) -> HttpResponse:
    """A mediator on the case declares whether they have a conflict of interest."""
    case = get_case_for_user(request.user, case_id, perm="cases.change_case")
    matches = conflict_matches(case=case, mediator=request.user)
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
def conflict_accept(request: HttpRequest, case_id: int, declaration_id: int) -> HttpResponse:
    """Record that the parties accepted a disclosed conflict of interest."""
    case = get_case_for_user(request.user, case_id, perm="cases.run_case_transitions")
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
def case_trail(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's audit trail, for its mediators and supervisors."""
    case = get_case_for_user(request.user, case_id, perm="cases.view_case_trail")
    page = Paginator(audit_event_list(case_id=case.pk), 50).get_page(request.GET.get("page"))
    return render(request, "cases/trail.html", {"case": case, "page": page, "query": ""})


@role_required(Role.SUPERVISOR)
def referral_queue(request: HttpRequest) -> HttpResponse:
    """New referrals waiting for a mediator, safety concerns first; and the caseload."""
    return render(
        request,
        "cases/queue.html",
        {"queue": selectors.referral_queue(), "caseload": selectors.caseload()},
    )
