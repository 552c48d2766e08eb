"""Project-wide views: the accessibility statement and the favicon."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (toegankelijkheidsverklaring); open to everyone."""
    contact = settings.TAFEL_ACCESSIBILITY_CONTACT or settings.DEFAULT_FROM_EMAIL
    return render(request, "mediation/accessibility.html", {"contact": contact})


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the SVG."""
    return HttpResponsePermanentRedirect(static("mediation/favicon.svg"))
