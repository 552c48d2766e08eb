"""A URLconf with one view that fails, for the test that a server error logs no secret."""

from django.conf import settings
from django.urls import include, path


def broken(request):
    # The error names a setting's value as careless code might; the log must still not show
    # the secrets, since Django logs the exception with its message.
    raise RuntimeError(f"failed while the time zone was {settings.TIME_ZONE}")


urlpatterns = [path("broken/", broken), path("", include("mediation.urls"))]
