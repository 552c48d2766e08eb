"""The app's URLs plus one bare view: the floor that the case list's throughput is held to."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """Django with the app's middleware and nothing else: no database, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("mediation.urls")),
]
