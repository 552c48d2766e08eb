"""Project-wide views: the accessibility statement."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (toegankelijkheidsverklaring); open to everyone."""
    contact = settings.TAFEL_ACCESSIBILITY_CONTACT or settings.DEFAULT_FROM_EMAIL
    return render(request, "mediation/accessibility.html", {"contact": contact})
