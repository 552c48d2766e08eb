"""A participant's personal page, opened by their link (no account): each use is audited
(`parties.portal.portal_open`), rate-limited per address, in the participant's language."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from agreements.services import agreement_for_party, agreement_read_by_party, party_spoken_for
from mediation.crypto import CannotOpen
from mediation.forms import add_service_errors
from mediation.throttle import link_rate_limit
from parties.portal import (
    VERIFIED_SESSION_KEY,
    PortalProblem,
    PortalVisit,
    portal_code_check,
    portal_code_required_set,
    portal_code_send,
    portal_open,
)
from parties.services import party_details_correct
from portal import selectors
from portal.forms import AnswerForm, CodeForm, DetailsForm
from scheduling.rsvp import LinkProblem
from scheduling.services.sessions import rsvp_record_from_portal

View = Callable[..., HttpResponse]


def _language(request: HttpRequest, participant_language: str) -> str:
    """The participant's language, unless they chose another with the language switcher."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return request.LANGUAGE_CODE if chosen else participant_language


def portal_page(page: str) -> Callable[[View], View]:
    """Open the link of the URL's `token` (audited as a use of `page`), in the participant's
    language; a link that does not work gets a page that says why and nothing else."""

    def decorator(view: View) -> View:
        @login_not_required  # open to everyone: the token is the key
        @never_cache
        @link_rate_limit("portal")  # one address cannot try tokens by the thousand
        @wraps(view)
        def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                visit = portal_open(token, page=page)
            except PortalProblem as problem:
                language = _language(request, problem.language) if problem.language else None
                with override(language or request.LANGUAGE_CODE):
                    context = {"problem": problem}
                    return render(request, "link_problem.html", context, status=problem.status)
            with override(_language(request, visit.language)):
                if page != "code" and not _verified(request, visit):
                    return redirect("portal:code", token=token)
                return view(request, visit, token, *args, **kwargs)

        return wrapped

    return decorator


def _verified(request: HttpRequest, visit: PortalVisit) -> bool:
    """No second step asked for, or its code was entered in this browser session."""
    return not visit.link.code_required or visit.link.pk in request.session.get(
        VERIFIED_SESSION_KEY, []
    )


def _base(visit: PortalVisit, token: str) -> dict[str, Any]:
    return {
        "visit": visit,
        "token": token,
        "case": visit.case,
        "participant": visit.participation,
        "party": visit.participation.party,
        # The agreement is the parties': a support person or an interpreter gets no part of it.
        "for_a_party": party_spoken_for(visit.participation) is not None,
    }


@portal_page("home")
def home(request: HttpRequest, visit: PortalVisit, token: str) -> HttpResponse:
    sessions = selectors.portal_sessions(visit.participation)
    context = {
        **_base(visit, token),
        "status_words": selectors.STATUS_WORDS[visit.case.status],
        "upcoming": [shown for shown in sessions if shown.upcoming],
        "past": [shown for shown in sessions if not shown.upcoming],
        "answer_choices": AnswerForm.base_fields["answer"].choices,  # type: ignore[attr-defined]
        "agreement": agreement_for_party(participation=visit.participation),
        "mediators": selectors.case_mediators(visit.case),
    }
    return render(request, "portal/home.html", context)


@sensitive_post_parameters()
@portal_page("answer")
def answer(request: HttpRequest, visit: PortalVisit, token: str, attendee_id: int) -> HttpResponse:
    """Change the answer to a session invite: the visitor's own invitation only."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    shown = next(
        (
            row
            for row in selectors.portal_sessions(visit.participation)
            if row.mine is not None and row.mine.pk == attendee_id and row.upcoming
        ),
        None,
    )
    form = AnswerForm(request.POST)
    if shown is None or shown.mine is None or not form.is_valid():
        messages.error(request, _("Your answer was not saved: choose one of the answers."))
        return redirect("portal:home", token=token)
    try:
        rsvp_record_from_portal(attendee=shown.mine, answer=form.cleaned_data["answer"])
    except (LinkProblem, ValidationError):
        messages.error(request, _("Your answer was not saved: the session has changed."))
    else:
        messages.success(request, _("Thank you: your answer was saved."))
    return redirect(reverse("portal:home", args=[token]) + "#sessions")


@portal_page("agreement")
def agreement(request: HttpRequest, visit: PortalVisit, token: str) -> HttpResponse:
    """The agreement of the case to read, with the answer of the visitor's party."""
    shown = agreement_for_party(participation=visit.participation)
    context: dict[str, Any] = {**_base(visit, token), "shown": shown}
    if shown is not None:
        try:
            context["opened"] = agreement_read_by_party(
                shown=shown, participation=visit.participation
            )
        except CannotOpen:
            context["unreadable"] = True
    return render(request, "portal/agreement.html", context)


@sensitive_post_parameters()
@portal_page("details")
def details(request: HttpRequest, visit: PortalVisit, token: str) -> HttpResponse:
    """The visitor's own contact details and needs, which they can correct."""
    party = visit.participation.party
    if request.method == "POST":
        form = DetailsForm(request.POST, party=party)
        if form.is_valid():
            try:
                changed = party_details_correct(
                    participation=visit.participation, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if changed:
                    saved = _("Thank you: your details were saved. Your mediator can see them.")
                    messages.success(request, saved)
                else:
                    messages.info(request, _("Nothing was changed."))
                return redirect("portal:details", token=token)
        status = 400
    else:
        form = DetailsForm(initial=DetailsForm.initial_for(party), party=party)
        status = 200
    context = {**_base(visit, token), "form": form, "code_required": visit.link.code_required}
    return render(request, "portal/details.html", context, status=status)


@sensitive_post_parameters("code")
@portal_page("code")
def code(request: HttpRequest, visit: PortalVisit, token: str) -> HttpResponse:
    """The second step the participant asked for: a code sent to their email address."""
    if _verified(request, visit):
        return redirect("portal:home", token=token)
    form = CodeForm()
    sent = False
    if request.method == "POST" and request.POST.get("action") == "send":
        try:
            portal_code_send(visit=visit)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            sent = True
    elif request.method == "POST":
        form = CodeForm(request.POST)
        sent = True
        if form.is_valid():
            if portal_code_check(visit=visit, code=form.cleaned_data["code"]):
                request.session.cycle_key()
                verified = request.session.get(VERIFIED_SESSION_KEY, [])
                request.session[VERIFIED_SESSION_KEY] = [*verified, visit.link.pk]
                return redirect("portal:home", token=token)
            form.add_error(
                "code",
                _("This code is not right, or no longer works. Check it, or ask for a new one."),
            )
    context = {**_base(visit, token), "form": form, "sent": sent}
    return render(request, "portal/code.html", context, status=400 if form.errors else 200)


@portal_page("code_setting")
def code_setting(request: HttpRequest, visit: PortalVisit, token: str) -> HttpResponse:
    """Turn the code by email on or off (from the details page)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    wanted = request.POST.get("required") == "yes"
    try:
        portal_code_required_set(visit=visit, required=wanted)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if wanted:
            # This browser already showed it is theirs: no code until the session ends.
            verified = request.session.get(VERIFIED_SESSION_KEY, [])
            request.session[VERIFIED_SESSION_KEY] = [*verified, visit.link.pk]
            messages.success(request, _("From now on, we send you a code each time."))
        else:
            messages.success(request, _("You no longer need a code."))
    return redirect("portal:details", token=token)
