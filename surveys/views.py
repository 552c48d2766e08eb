from django.conf import settings
from django.contrib.auth.decorators import login_not_required, login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import override
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from cases.permissions import CasePermission, get_case_for_user
from mediation.throttle import link_rate_limit
from mediation.types import AuthenticatedHttpRequest
from surveys import services
from surveys.forms import SurveyForm


def _language(request: HttpRequest, invitation_language: str) -> str:
    """The party's language, unless they chose another with the page's language switcher."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return request.LANGUAGE_CODE if chosen else invitation_language


def _problem(request: HttpRequest, problem: services.LinkProblem) -> HttpResponse:
    """Why the link cannot be used: in the party's language when the link says whose it is."""
    language = _language(request, problem.language) if problem.language else None
    with override(language or request.LANGUAGE_CODE):
        return render(request, "link_problem.html", {"problem": problem}, status=problem.status)


@login_not_required  # open to everyone: the token is the key
@never_cache
@sensitive_post_parameters("comment")
@link_rate_limit("survey_link")  # one address cannot try tokens by the thousand
def survey_answer_page(request: HttpRequest, token: str) -> HttpResponse:
    """The survey of the link's party; POST records the answer, once.

    GET changes nothing (mail scanners open links before people do).
    """
    try:
        invitation = services.survey_link_open(token)
    except services.LinkProblem as problem:
        return _problem(request, problem)
    with override(_language(request, invitation.language)):
        form = SurveyForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer(token=token, answers=form.answers())
            except services.LinkProblem as problem:
                return _problem(request, problem)
            return render(request, "surveys/answer.html", {"done": True})
        status = 400 if form.is_bound else 200
        return render(request, "surveys/answer.html", {"form": form}, status=status)


@never_cache
@login_required
def case_survey(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The survey of a case, for its mediators only (404 for everyone else)."""
    case = get_case_for_user(request.user, case_id, CasePermission.READ_NOTES)
    survey = services.case_survey_read(case=case, reader=request.user)
    return render(request, "surveys/case_survey.html", {"case": case, "survey": survey})
