"""Participant pages of a case: add, change details, consent, remove and restore.

Every view loads the case with `manage_case_parties`: anyone else gets a 404, as if the case
did not exist. Every write goes through `parties.services`; a refusal is shown, nothing saved.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cases.permissions import CasePermission, get_case_for_user, visible_cases
from mediation.forms import add_service_errors
from mediation.roles import Role, role_required
from mediation.types import AuthenticatedHttpRequest
from parties import forms, hooks, portal, services
from parties.models import ParticipantRole, Participation, Party

MANAGE: CasePermission = CasePermission.MANAGE_PARTIES
# Every view loads the case and the participant before it looks at the method: to anyone
# without the right, and for a participant of another case, every URL answers 404.


def _participation(case, participation_id, **filters) -> Participation:
    """A participant of this case, or 404: an id from another case does not exist here."""
    participation = get_object_or_404(
        Participation.objects.select_related("party__key", "represents__party"),
        pk=participation_id,
        case=case,
        **filters,
    )
    participation.case = case  # The services read `case.is_open`; the case is loaded already.
    return participation


def _to_case(case) -> HttpResponse:
    return redirect("cases:detail", case.pk)


def _run(request: HttpRequest, case, service, participation, success: str) -> HttpResponse:
    """Call a service that takes only the participation; report its refusal, or success."""
    try:
        service(participation=participation, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return _to_case(case)


@login_required
def participant_add(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Add a participant: a new party record, or an existing one after a duplicate check."""
    case = get_case_for_user(request.user, case_id, MANAGE)
    # Suggest only parties from cases this user may see: no other case leaks through.
    candidates = Party.objects.filter(participations__case__in=visible_cases(request.user))
    form = forms.ParticipantAddForm(
        request.POST or None, case=case, candidates=candidates.distinct()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.participant_add(
                case=case,
                role=data["role"],
                represents=data["represents"],
                existing_party=data.get("existing_party"),
                party_fields=form.party_fields(),
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The participant was added to the case."))
            return _to_case(case)
    return render(request, "parties/add.html", {"case": case, "form": form})


@login_required
def participant_edit(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """Change a party's details; only the fields the user changed are saved and audited."""
    case = get_case_for_user(request.user, case_id, MANAGE)
    participation = _participation(case, participation_id)
    form = forms.PartyForm(request.POST or None, instance=participation.party)
    if request.method == "POST" and form.is_valid():
        try:
            if form.has_changed():
                services.party_update(
                    party=participation.party,
                    actor=request.user,
                    case=case,
                    **form.changed_fields(),
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The participant's details were saved."))
            return _to_case(case)
    context = {"case": case, "participation": participation, "form": form}
    return render(request, "parties/edit.html", context)


def _consent_page(request, case, participation, *, form, withdrawal) -> HttpResponse:
    context = {"case": case, "participation": participation, "form": form}
    context["withdrawal_form"] = withdrawal
    # Documents about the participant (their scanned signed agreement), from the apps above.
    context["participant_links"] = hooks.participant_links(participation=participation)
    return render(request, "parties/consent.html", context)


@login_required
def participant_consent(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """Record a party's consent (signed mediation agreement) or someone's confidentiality."""
    case = get_case_for_user(request.user, case_id, MANAGE)
    participation = _participation(case, participation_id, removed_at__isnull=True)
    form = forms.ConsentForm(request.POST or None, participation=participation)
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(
                participation=participation, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if participation.is_party:
                messages.success(request, _("The consent was recorded."))
            else:
                messages.success(request, _("The confidentiality statement was recorded."))
            return _to_case(case)
    return _consent_page(request, case, participation, form=form, withdrawal=forms.WithdrawalForm())


@login_required
def participant_consent_withdraw(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """Record that a party withdrew their consent; the form sits on the consent page."""
    case = get_case_for_user(request.user, case_id, MANAGE)
    participation = _participation(
        case, participation_id, role=ParticipantRole.PARTY, removed_at__isnull=True
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    withdrawal = forms.WithdrawalForm(request.POST)
    if withdrawal.is_valid():
        try:
            services.consent_withdraw(
                participation=participation, actor=request.user, **withdrawal.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(withdrawal, error)
        else:
            messages.success(request, _("The withdrawal of consent was recorded."))
            return _to_case(case)
    form = forms.ConsentForm(participation=participation)
    return _consent_page(request, case, participation, form=form, withdrawal=withdrawal)


@login_required
def participant_remove(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """Ask for confirmation, then take the participant off the case (restorable while open)."""
    case = get_case_for_user(request.user, case_id, MANAGE)
    participation = _participation(case, participation_id, removed_at__isnull=True)
    if request.method == "POST":
        success = _("The participant was removed. You can restore them until the case closes.")
        return _run(request, case, services.participation_remove, participation, success)
    context = {"case": case, "participation": participation}
    return render(request, "parties/remove.html", context)


@login_required
def participant_restore(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """Bring a removed participant back, while the case is open."""
    case = get_case_for_user(request.user, case_id, MANAGE)
    participation = _participation(case, participation_id, removed_at__isnull=False)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    success = _("The participant was restored.")
    return _run(request, case, services.participation_restore, participation, success)


@role_required(Role.COORDINATOR)
def case_refer(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A coordinator refers a conflict and names its parties."""
    if "add_party" in request.POST:
        return _refer_with_another_party(request)
    form = forms.ReferralForm(request.POST or None)
    party_forms = forms.referral_party_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() and party_forms.is_valid():
        parties = [row for row in party_forms.cleaned_data if row.get("name")]
        try:
            case = services.referral_make(
                referred_by=request.user, parties=parties, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Referral %(reference)s was sent.") % {"reference": case.reference}
            )
            return redirect("cases:detail", case.pk)
    return render(request, "parties/refer.html", {"form": form, "party_forms": party_forms})


def _refer_with_another_party(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "Add another party" (works without JavaScript): the same page, what was typed kept
    (not yet checked), with one empty party row more, up to the maximum."""
    rows = forms.referral_party_rows(request.POST)
    form = forms.ReferralForm(initial=request.POST.dict())
    party_forms = forms.referral_party_formset(rows=rows)
    context = {"form": form, "party_forms": party_forms, "added": True}
    if len(rows) >= forms.MAX_REFERRAL_PARTIES:
        context["at_most"] = forms.MAX_REFERRAL_PARTIES
    return render(request, "parties/refer.html", context)


@never_cache
@login_required
def participant_portal(
    request: AuthenticatedHttpRequest, case_id: int, participation_id: int
) -> HttpResponse:
    """The participant's personal page link: its state, and send, show, renew or stop it."""
    case = get_case_for_user(request.user, case_id, MANAGE)
    participation = _participation(case, participation_id, removed_at__isnull=True)
    shown_url = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "send":
                portal.portal_link_send(participation=participation, actor=request.user)
                messages.success(request, _("The link was sent by email."))
            elif action == "make":
                link = portal.portal_link_make(participation=participation, actor=request.user)
                shown_url = portal.portal_url(link)
                messages.success(
                    request, _("A new link was made. Any earlier link no longer works.")
                )
            elif action == "revoke":
                portal.portal_link_revoke(participation=participation, actor=request.user)
                messages.success(request, _("The link no longer works."))
            else:
                messages.error(request, _("Choose what to do with the link."))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        if not shown_url:
            return redirect("parties:portal", case.pk, participation.pk)
    context = {
        "case": case,
        "participation": participation,
        "link": portal.portal_link_latest(participation),
        "active": portal.portal_link_active(participation),
        "shown_url": shown_url,
        "now": timezone.now(),
    }
    return render(request, "parties/portal.html", context)
