"""Session pages of a case, the invitees' answer page, and the mediators' calendar feed.

Every case page loads the case with `schedule_case_sessions`: only its lead and co-mediators
get past it; everyone else, the referrer and supervisors included, gets a 404. Every write
goes through `scheduling.services`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases.permissions import get_case_for_user
from mediation.forms import add_service_errors
from mediation.roles import Role, role_required
from mediation.throttle import link_rate_limit
from mediation.types import AuthenticatedHttpRequest
from scheduling import forms, invites, selectors, services
from scheduling.models import Attendee, Session
from scheduling.rsvp import LinkProblem, rsvp_open

SCHEDULE = services.SCHEDULE


def _session(case, session_id) -> Session:
    """A session of this case, or 404: an id from another case does not exist here."""
    try:
        session = selectors.session_for_case(case=case, session_id=session_id)
    except (Session.DoesNotExist, ValueError):
        raise Http404 from None
    session.case = case  # loaded already: saves the services a query
    return session


def _to_session(session: Session) -> HttpResponse:
    return redirect("scheduling:detail", session.case_id, session.pk)


def _run(request, back_to: Session, service, success: str, **kwargs) -> HttpResponse:
    """Call a service; show its refusal or `success`, and go back to the session page."""
    try:
        service(actor=request.user, **kwargs)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return _to_session(back_to)


@login_required
def session_schedule(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Plan a session and invite people; the invites leave through the outbox."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    form = forms.SessionForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_schedule(
                case=case, actor=request.user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session was planned and the invitations queued."))
            return _to_session(session)
    return render(request, "scheduling/schedule.html", {"case": case, "form": form})


@login_required
def session_record(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Record a session that took place without invites (a phone call, an unplanned meeting)."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    form = forms.SessionRecordForm(request.POST or None, case=case, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_record(
                case=case, actor=request.user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session was recorded as held. Nobody was emailed."))
            return _to_session(session)
    return render(request, "scheduling/record.html", {"case": case, "form": form})


def _detail(
    request: AuthenticatedHttpRequest,
    case,
    session: Session,
    held_form: forms.SessionHeldForm | None = None,
) -> HttpResponse:
    attendees = list(selectors.attendee_list(session=session))
    started = session.starts_at <= timezone.now()
    invited = [a.participation for a in attendees if a.removed_at is None and a.participation]
    context = {
        "case": case,
        "session": session,
        "attendees": attendees,
        "needs": invites.session_needs(session),
        "add_form": forms.AttendeeAddForm(session=session),
        "answer_choices": forms.AnswerForm.base_fields["answer"].choices,  # type: ignore[attr-defined]
        "started": started,
        "held_form": held_form
        or (forms.SessionHeldForm(session=session) if session.is_planned and started else None),
        # Rule 7c: a place with steps, and someone invited who needs step-free access.
        "step_free_needed": selectors.step_free_needed(participations=invited)
        if session.is_planned and session.place and not session.step_free_access
        else [],
    }
    return render(request, "scheduling/detail.html", context, status=400 if held_form else 200)


@login_required
def session_detail(
    request: AuthenticatedHttpRequest, case_id: int, session_id: int
) -> HttpResponse:
    """A session: when, where, who is invited and what they answered (or who attended)."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    return _detail(request, case, _session(case, session_id))


@login_required
def session_reschedule(
    request: AuthenticatedHttpRequest, case_id: int, session_id: int
) -> HttpResponse:
    """Change time, place or arrangements; everyone invited gets the new version."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    session = _session(case, session_id)
    form = forms.SessionForm(
        request.POST or None,
        case=case,
        session=session,
        initial=forms.SessionForm.initial_for(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.session_reschedule(
                session=session, actor=request.user, **form.service_values()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The session was changed and the invitees informed."))
            return _to_session(session)
    context = {"case": case, "session": session, "form": form}
    return render(request, "scheduling/schedule.html", context)


@login_required
def session_cancel(
    request: AuthenticatedHttpRequest, case_id: int, session_id: int
) -> HttpResponse:
    """Ask for confirmation, then cancel the session and send everyone a cancellation."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    session = _session(case, session_id)
    if request.method == "POST":
        success = _("The session was cancelled and the invitees informed.")
        return _run(request, session, services.session_cancel, success, session=session)
    return render(request, "scheduling/cancel.html", {"case": case, "session": session})


@login_required
def session_mark_held(
    request: AuthenticatedHttpRequest, case_id: int, session_id: int
) -> HttpResponse:
    """Record that the session took place, who attended and how long it took."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    session = _session(case, session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    success = _("The session was marked as held.")
    if not session.is_planned or session.starts_at > timezone.now():
        # No form to fill in yet (or any more): the service says why.
        return _run(request, session, services.session_mark_held, success, session=session)
    form = forms.SessionHeldForm(request.POST, session=session)
    if not form.is_valid():
        return _detail(request, case, session, held_form=form)
    return _run(
        request,
        session,
        services.session_mark_held,
        success,
        session=session,
        attended=list(form.cleaned_data["attended"]),
        duration_minutes=form.cleaned_data["duration_minutes"],
    )


@login_required
def attendee_add(request: AuthenticatedHttpRequest, case_id: int, session_id: int) -> HttpResponse:
    """Invite one more participant; the form sits on the session page."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    session = _session(case, session_id)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = forms.AttendeeAddForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("Choose a participant of this case to invite."))
        return _to_session(session)
    success = _("The participant was invited.")
    participation = form.cleaned_data["participation"]
    return _run(
        request,
        session,
        services.attendee_add,
        success,
        session=session,
        participation=participation,
    )


@login_required
def attendee_remove(
    request: HttpRequest, case_id: int, session_id: int, attendee_id: int
) -> HttpResponse:
    """Ask for confirmation, then take someone off the session; only they are told."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    session = _session(case, session_id)
    attendee = get_object_or_404(
        Attendee.objects.select_related("participation__party__key", "user"),
        pk=attendee_id,
        session=session,
        removed_at__isnull=True,
    )
    attendee.session = session
    if request.method == "POST":
        success = _("They were removed from the session and sent a cancellation.")
        return _run(request, session, services.attendee_remove, success, attendee=attendee)
    context = {"case": case, "session": session, "attendee": attendee}
    return render(request, "scheduling/attendee_remove.html", context)


@login_required  # first: a stranger is sent to sign in, whatever the method
@require_POST
def attendee_answer(
    request: AuthenticatedHttpRequest, case_id: int, session_id: int, attendee_id: int
) -> HttpResponse:
    """Record the answer a participant gave by letter or by phone."""
    case = get_case_for_user(request.user, case_id, SCHEDULE)
    session = _session(case, session_id)
    attendee = get_object_or_404(
        Attendee, pk=attendee_id, session=session, participation__isnull=False
    )
    attendee.session = session
    form = forms.AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether they come, may come, or do not come."))
        return _to_session(session)
    try:
        services.rsvp_record_by_mediator(
            attendee=attendee, answer=form.cleaned_data["answer"], actor=request.user
        )
    except LinkProblem:
        messages.error(request, _("This session is no longer planned, or they were taken off it."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Their answer was recorded."))
    return _to_session(session)


# Invitees answer without an account.


@login_not_required  # open to everyone: the token is the key
@never_cache
@link_rate_limit("answer_link")  # one address cannot try tokens by the thousand
def rsvp(request: HttpRequest, token: str) -> HttpResponse:
    """Show the answer the invitee chose and a button to confirm it; POST records it.

    GET changes nothing: mail scanners open links before people do.
    """
    try:
        link = rsvp_open(token)
    except LinkProblem as problem:
        return render(
            request, "scheduling/rsvp_problem.html", {"problem": problem}, status=problem.status
        )
    attendee = link.attendee
    with override(attendee.language):
        if request.method == "POST":
            form = forms.RsvpForm(request.POST)
            if form.is_valid():
                try:
                    attendee = services.rsvp_record(link=link, answer=form.cleaned_data["answer"])
                except LinkProblem as problem:
                    context: dict[str, Any] = {"problem": problem}
                    return render(
                        request, "scheduling/rsvp_problem.html", context, status=problem.status
                    )
                context = {"attendee": attendee, "session": attendee.session, "done": True}
                context["answer"] = forms.party_answer_label(attendee.rsvp)
                context["title"] = invites.session_title(attendee.session)
                context["when"] = invites.when_text(attendee.session)
                return render(request, "scheduling/rsvp.html", context)
        else:
            answer = request.GET.get("answer")
            form = forms.RsvpForm(
                initial={"answer": answer if answer in dict(forms.RSVP_ANSWERS) else None}
            )
        context = {
            "attendee": attendee,
            "session": attendee.session,
            "answer": forms.party_answer_label(attendee.rsvp),
            "form": form,
            "title": invites.session_title(attendee.session),
            "when": invites.when_text(attendee.session),
        }
        return render(request, "scheduling/rsvp.html", context)


# Calendar feeds


@role_required(Role.MEDIATOR)
def feed_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A mediator's private feed URL: make, replace or revoke it. The URL is shown once."""
    had_feed = hasattr(request.user, "calendar_feed")
    context: dict[str, Any] = {"has_feed": had_feed}
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.feed_revoke(user=request.user)
            messages.success(request, _("The calendar URL was revoked: it no longer works."))
            return redirect("scheduling:feed_settings")
        token = services.feed_create(user=request.user)
        context["feed_url"] = invites.base_url() + reverse("scheduling:feed", args=[token])
        context["has_feed"] = True
        # Only a replaced address stops working; the first one replaces nothing.
        context["replaced"] = had_feed
    return render(request, "scheduling/feed_settings.html", context)


@login_not_required  # open to everyone: the token is the key
@link_rate_limit("calendar_feed", "TAFEL_FEED_RATE_LIMIT")
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A mediator's sessions as iCalendar, for their calendar program (no login: the token).

    Served from the copy stored for the feed's version stamp; a repeat request with the ETag
    or the Last-Modified time it was given answers 304.
    """
    feed = selectors.feed_for_token(token)
    if feed is None or not feed.user.is_active or request.method not in ("GET", "HEAD"):
        raise Http404
    document = services.feed_current(feed=feed, language=get_language())
    last_modified = int(document.last_modified.timestamp())
    not_modified = get_conditional_response(
        request, etag=document.etag, last_modified=last_modified
    )
    response = not_modified or HttpResponse(
        document.body, content_type="text/calendar; charset=utf-8"
    )
    if not_modified is None:
        response["Content-Disposition"] = 'inline; filename="tafel.ics"'
    else:
        # A 304 says the length of what the client holds (RFC 9110 15.4.5), not 0, which is
        # what CommonMiddleware would add to an empty body.
        response["Content-Length"] = str(len(document.body))
    # On the 304 too: the client keeps validating with them (RFC 9110 15.4.5).
    response["ETag"] = document.etag
    response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, private=True, no_cache=True)
    response["X-Robots-Tag"] = "noindex"
    return response
