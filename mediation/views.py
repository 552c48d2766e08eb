"""Project-wide views: the accessibility statement, the favicon and the idle warning's session."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render, resolve_url
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mediation.idle import idle_poll, idle_seconds_left


@login_not_required
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (toegankelijkheidsverklaring); open to everyone."""
    contact = settings.TAFEL_ACCESSIBILITY_CONTACT or settings.DEFAULT_FROM_EMAIL
    return render(request, "mediation/accessibility.html", {"contact": contact})


@login_not_required
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the SVG."""
    return HttpResponsePermanentRedirect(static("mediation/favicon.svg"))


@login_not_required  # it answers "signed out" itself, rather than sending to the login page
@idle_poll
@never_cache
@require_http_methods(["GET", "POST"])
def idle_session(request: HttpRequest) -> HttpResponse:
    """The idle warning's session: GET tells the seconds left (and is no activity); POST is the
    "Stay signed in" button (the request itself is the activity), from idle.js or, without
    JavaScript, a plain form that comes back to the page it was on."""
    signed_in = request.user.is_authenticated
    if request.method == "POST" and "application/json" not in request.headers.get("Accept", ""):
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = resolve_url("home")
        return HttpResponseRedirect(target)
    return JsonResponse(
        {
            "signed_in": signed_in,
            "remaining": idle_seconds_left(request) if signed_in else 0,
            "login_url": resolve_url(settings.LOGIN_URL),
        }
    )
