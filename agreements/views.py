"""Agreement pages of a case: text and actions, approvals, follow-up review, referrer summary,
the print page; and the page where a party answers through its signed link.

Only the case's mediators hold the permissions used here: to the referrer, a supervisor or
anyone else every URL answers 404, as if the case did not exist. (The referrer reads a shared
summary on the case page.) Every read and write goes through `cases.services`, which checks the
permission again and audits. Pages that show agreement text are not cached.
"""

import contextlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from agreements import forms, services
from agreements.models import Agreement, AgreementAction, ReferrerSummary
from agreements.services import DRAFTING, OpenAction, party_participations
from cases.models import Case, CaseStatus
from cases.permissions import CasePermission, get_case_for_user
from mediation.crypto import CannotOpen
from mediation.forms import add_service_errors
from mediation.throttle import link_rate_limit
from mediation.types import AuthenticatedHttpRequest, StrOrPromise
from parties.models import Participation

READ: CasePermission = CasePermission.READ_NOTES
WRITE: CasePermission = CasePermission.RUN_TRANSITIONS
KEY_PROBLEM = _("The agreement cannot be opened: the case's key is missing or does not fit.")


def _posted(request: HttpRequest):
    """The POST data, or None on a GET: an empty POST still shows the form's errors."""
    return request.POST if request.method == "POST" else None


def _agreement(case: Case) -> Agreement:
    agreement = get_object_or_404(Agreement, case=case)
    agreement.case = case  # loaded already: saves the services a query
    return agreement


def _party(case: Case, participation_id: int) -> Participation:
    """An active party of this case, or 404."""
    return get_object_or_404(party_participations(case), pk=participation_id)


def _action(agreement: Agreement, action_id: int) -> AgreementAction:
    action = get_object_or_404(AgreementAction, pk=action_id, agreement=agreement)
    action.agreement = agreement
    return action


def _summary(case: Case) -> ReferrerSummary:
    summary = get_object_or_404(ReferrerSummary, case=case)
    summary.case = case
    return summary


def _form_page(request, case, form, *, run, success: StrOrPromise, page: dict) -> HttpResponse:
    """Validate `form`, call `run(**cleaned_data)`, then back to the agreement; or the form."""
    if request.method == "POST" and form.is_valid():
        try:
            run(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except CannotOpen:
            form.add_error(None, KEY_PROBLEM)
        else:
            messages.success(request, success)
            return redirect("agreements:agreement", case.pk)
    return render(request, "agreements/form.html", {"case": case, "form": form, **page})


@never_cache
@login_required
def agreement_detail(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The agreement with its actions, the parties' approvals, the follow-up and the summary."""
    case = get_case_for_user(request.user, case_id, READ)
    agreement = Agreement.objects.filter(case=case).first()
    context = {
        "case": case,
        "agreement": agreement,
        "can_draft": case.status in DRAFTING,
        "in_follow_up": case.status == CaseStatus.FOLLOW_UP,
    }
    if agreement is not None:
        agreement.case = case
        try:
            context["opened"] = services.agreement_read(agreement=agreement, reader=request.user)
        except CannotOpen:
            context["cannot_open"] = True
        context["approvals"] = services.approval_overview(agreement=agreement)
        context["outdated"] = services.outdated_approvals(agreement=agreement)
        context["follow_up"] = services.follow_up_proposal(agreement)
        context["has_versions"] = agreement.versions.exists()
    summary = ReferrerSummary.objects.filter(case=case).first()
    if summary is not None:
        summary.case = case
        context["summary"] = summary
        try:
            context["summary_text"] = services.summary_text(summary=summary, reader=request.user)
        except CannotOpen:
            context["summary_text"] = None
        context["summary_consents"] = services.summary_consents(summary=summary)
        context["summary_shared"] = services.summary_shared(case=case)
    return render(request, "agreements/detail.html", context)


@never_cache
@login_required
def agreement_print(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The agreement on paper: reference, parties, text, actions and approvals."""
    case = get_case_for_user(request.user, case_id, READ)
    agreement = _agreement(case)
    context: dict[str, Any] = {"case": case, "agreement": agreement}
    try:
        context["opened"] = services.agreement_read(agreement=agreement, reader=request.user)
    except CannotOpen:
        context["cannot_open"] = True
    context["approvals"] = services.approval_overview(agreement=agreement)
    return render(request, "agreements/print.html", context)


@login_required  # first: a stranger is sent to sign in, whatever the method
@require_POST
def agreement_document(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Make the settlement agreement to sign from the organisation's template, and open it."""
    case = get_case_for_user(request.user, case_id, READ)
    agreement = _agreement(case)
    language = request.POST.get("language")
    if language not in dict(settings.LANGUAGES):
        messages.error(request, _("Choose Dutch or English."))
        return redirect("agreements:agreement", case.pk)
    try:
        letter = services.agreement_document_make(
            agreement=agreement, language=language, actor=request.user
        )
    except CannotOpen:
        messages.error(request, str(KEY_PROBLEM))
        return redirect("agreements:agreement", case.pk)
    messages.success(request, _("The agreement to sign was made. Print it from this page."))
    return redirect("letters:detail", case.pk, letter.pk)


@never_cache
@login_required
def agreement_versions(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Earlier versions of the agreement, newest first; opening them is recorded."""
    case = get_case_for_user(request.user, case_id, READ)
    agreement = _agreement(case)
    try:
        versions = services.agreement_versions(agreement=agreement, reader=request.user)
    except CannotOpen:
        versions, messages_ = [], [KEY_PROBLEM]
    else:
        messages_ = []
    context = {"case": case, "agreement": agreement, "versions": versions, "problems": messages_}
    return render(request, "agreements/versions.html", context)


@never_cache
@sensitive_post_parameters("text")
@login_required
def agreement_edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Write the agreement's text, or change it (a new version)."""
    case = get_case_for_user(request.user, case_id, WRITE)
    agreement = Agreement.objects.filter(case=case).first()
    initial: dict[str, Any] = {}
    if agreement is not None and request.method != "POST":
        agreement.case = case
        with contextlib.suppress(CannotOpen):
            initial["text"] = services.agreement_read(agreement=agreement, reader=request.user).text
    form = forms.AgreementTextForm(_posted(request), initial=initial)

    def run(text):
        services.agreement_write(case=case, text=text, actor=request.user)

    page = {
        "title": _("Change the agreement") if agreement else _("Write the agreement"),
        "intro": _("Only the case's mediators and, through their link, the parties read it."),
        "submit": _("Save the agreement"),
    }
    return _form_page(
        request, case, form, run=run, success=_("The agreement was saved."), page=page
    )


@never_cache
@sensitive_post_parameters("description")
@login_required
def action_add(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Add a concrete action: what, who and by when."""
    case = get_case_for_user(request.user, case_id, WRITE)
    agreement = _agreement(case)
    form = forms.ActionForm(_posted(request), parties=party_participations(case))

    def run(**data):
        services.action_add(agreement=agreement, actor=request.user, **data)

    page = {"title": _("Add an action"), "submit": _("Add the action")}
    return _form_page(request, case, form, run=run, success=_("The action was added."), page=page)


@never_cache
@sensitive_post_parameters("description")
@login_required
def action_edit(request: AuthenticatedHttpRequest, case_id: int, action_id: int) -> HttpResponse:
    """Change an action (a new version of the agreement)."""
    case = get_case_for_user(request.user, case_id, WRITE)
    agreement = _agreement(case)
    action = _action(agreement, action_id)
    initial: dict[str, Any] = {}
    if request.method != "POST":
        try:
            opened = services.agreement_read(agreement=agreement, reader=request.user)
        except CannotOpen:
            opened = None
        for item in opened.actions if opened else []:
            if item.action.pk == action.pk:
                initial["description"] = item.description
        initial["owner"] = str(action.owner_id) if action.owner_id else forms.MUNICIPALITY
        initial["due_on"] = action.due_on
    form = forms.ActionForm(_posted(request), initial=initial, parties=party_participations(case))

    def run(**data):
        services.action_change(action=action, actor=request.user, **data)

    page = {"title": _("Change an action"), "submit": _("Save the action")}
    return _form_page(request, case, form, run=run, success=_("The action was changed."), page=page)


def _open_action(agreement: Agreement, action: AgreementAction, reader) -> OpenAction | None:
    """One action opened for the page (None when the agreement cannot be opened)."""
    try:
        opened = services.agreement_read(agreement=agreement, reader=reader)
    except CannotOpen:
        return None
    return next((item for item in opened.actions if item.action.pk == action.pk), None)


@login_required
def action_remove(request: AuthenticatedHttpRequest, case_id: int, action_id: int) -> HttpResponse:
    """Remove an action (POST from the agreement page, after a confirmation)."""
    case = get_case_for_user(request.user, case_id, WRITE)
    action = _action(_agreement(case), action_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.action_remove(action=action, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except CannotOpen:
        messages.error(request, KEY_PROBLEM)
    else:
        messages.success(request, _("The action was removed."))
    return redirect("agreements:agreement", case.pk)


@login_required
def approval_record(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """Record a party's answer given on paper or by email."""
    case = get_case_for_user(request.user, case_id, WRITE)
    agreement = _agreement(case)
    participation = _party(case, participation_id)
    form = forms.ApprovalForm(_posted(request))

    def run(**data):
        services.approval_record(
            agreement=agreement, participation=participation, actor=request.user, **data
        )

    page = {
        "title": _("Record the answer of %(name)s") % {"name": participation.party.name},
        "intro": _("For version %(version)d of the agreement.") % {"version": agreement.version},
        "submit": _("Record the answer"),
    }
    return _form_page(
        request, case, form, run=run, success=_("The answer was recorded."), page=page
    )


@never_cache
@login_required
def approval_link(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """POST: email a party its approval link (`send`), or show it to copy (`copy`)."""
    case = get_case_for_user(request.user, case_id, WRITE)
    agreement = _agreement(case)
    participation = _party(case, participation_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        if request.POST.get("action") == "send":
            services.approval_link_send(
                agreement=agreement, participation=participation, actor=request.user
            )
            messages.success(
                request,
                _("The approval link was queued for %(name)s.")
                % {"name": participation.party.name},
            )
            return redirect("agreements:agreement", case.pk)
        url = services.approval_link_make(
            agreement=agreement, participation=participation, actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("agreements:agreement", case.pk)
    context = {"case": case, "agreement": agreement, "participation": participation, "url": url}
    return render(request, "agreements/link.html", context)


@login_required
def follow_up_date(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Choose the follow-up date (before the follow-up starts)."""
    case = get_case_for_user(request.user, case_id, WRITE)
    agreement = _agreement(case)
    initial = {"follow_up_on": agreement.follow_up_on or services.follow_up_default(agreement)}
    form = forms.FollowUpDateForm(
        _posted(request), initial=initial, has_actions=agreement.actions.exists()
    )

    def run(follow_up_on, confirm_early=False):
        services.follow_up_date_set(
            agreement=agreement,
            follow_up_on=follow_up_on,
            actor=request.user,
            confirmed=confirm_early,
        )

    page = {"title": _("Follow-up date"), "submit": _("Save the date")}
    return _form_page(
        request, case, form, run=run, success=_("The follow-up date was set."), page=page
    )


@never_cache
@sensitive_post_parameters("comment")
@login_required
def action_review(request: AuthenticatedHttpRequest, case_id: int, action_id: int) -> HttpResponse:
    """Record at follow-up whether an action was carried out."""
    case = get_case_for_user(request.user, case_id, WRITE)
    agreement = _agreement(case)
    action = _action(agreement, action_id)
    form = forms.ReviewForm(_posted(request))

    def run(**data):
        services.action_review(action=action, actor=request.user, **data)

    page: dict[str, Any] = {"title": _("Review an action"), "submit": _("Save the review")}
    # Say which action is reviewed: what, who and by when (reading it is recorded).
    page["reviewed"] = _open_action(agreement, action, request.user)
    return _form_page(request, case, form, run=run, success=_("The review was saved."), page=page)


@never_cache
@sensitive_post_parameters("text")
@login_required
def summary_edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Write or change the summary the parties may share with the referring coordinator."""
    case = get_case_for_user(request.user, case_id, WRITE)
    summary = ReferrerSummary.objects.filter(case=case).first()
    initial: dict[str, Any] = {}
    if summary is not None and request.method != "POST":
        summary.case = case
        with contextlib.suppress(CannotOpen):
            initial["text"] = services.summary_text(summary=summary, reader=request.user)
    form = forms.SummaryForm(_posted(request), initial=initial)

    def run(text):
        services.summary_write(case=case, text=text, actor=request.user)

    page = {"title": _("Summary for the referring coordinator"), "submit": _("Save the summary")}
    return _form_page(request, case, form, run=run, success=_("The summary was saved."), page=page)


@login_required
def summary_consent(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """Record that a party agreed to share the summary, or (action=withdraw) no longer does."""
    case = get_case_for_user(request.user, case_id, WRITE)
    summary = _summary(case)
    participation = _party(case, participation_id)
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        services.summary_consent_withdraw(
            summary=summary, participation=participation, actor=request.user
        )
        messages.success(request, _("The consent was withdrawn."))
        return redirect("agreements:agreement", case.pk)
    form = forms.SummaryConsentForm(_posted(request))

    def run(agreed_on):
        services.summary_consent_record(
            summary=summary, participation=participation, agreed_on=agreed_on, actor=request.user
        )

    page = {
        "title": _("%(name)s agrees to share the summary") % {"name": participation.party.name},
        "submit": _("Record the consent"),
    }
    return _form_page(
        request, case, form, run=run, success=_("The consent was recorded."), page=page
    )


# A party answers without an account.


def _link_problem(request, problem) -> HttpResponse:
    return render(
        request, "agreements/answer_problem.html", {"problem": problem}, status=problem.status
    )


@login_not_required  # open to everyone: the token is the key
@never_cache
@link_rate_limit("approval_link")  # one address cannot try tokens by the thousand
def agreement_answer(request: HttpRequest, token: str) -> HttpResponse:
    """Show the agreement to the party of the link, with Approve and Decline; POST records.

    GET changes nothing (mail scanners open links before people do); the link works once.
    """
    try:
        link = services.approval_link_open(token)
    except services.LinkProblem as problem:
        return _link_problem(request, problem)
    with override(link.language):
        form = forms.PartyAnswerForm(_posted(request))
        if request.method == "POST" and form.is_valid():
            try:
                approval = services.approval_by_link(
                    token=token, decision=form.cleaned_data["decision"]
                )
            except services.LinkProblem as problem:
                return _link_problem(request, problem)
            context = {"case": link.agreement.case, "approval": approval, "done": True}
            return render(request, "agreements/answer.html", context)
        try:
            opened = services.approval_link_show(link=link)
        except CannotOpen:
            unavailable = services.LinkProblem(
                _("The agreement cannot be shown right now. Please contact your mediator."),
                status=503,
            )
            return _link_problem(request, unavailable)
        context = {"case": link.agreement.case, "link": link, "opened": opened, "form": form}
        return render(request, "agreements/answer.html", context)
