"""Passkeys through django-otp-webauthn, with Tafel's audit trail and relying party.

The library's views do the WebAuthn ceremonies; these subclasses add what Tafel records: a
passkey registered is an enrolled device, a refused passkey at sign-in a second-factor failure.
Its URLs keep the library's namespace (`otp_webauthn`), which its templates and script use.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import views
from django_otp_webauthn.exceptions import OTPWebAuthnApiError
from django_otp_webauthn.models import WebAuthnCredential

from twofactor import services


def relying_party_id(request: HttpRequest) -> str:
    """The host name passkeys are bound to: `TAFEL_WEBAUTHN_RP_ID`, else the request's host.

    The request's host is checked against ALLOWED_HOSTS by Django before it gets here, and the
    browser refuses an id that is not the page's own host (or a parent of it).
    """
    return settings.TAFEL_WEBAUTHN_RP_ID or (urlsplit(f"//{request.get_host()}").hostname or "")


class CompleteRegistration(views.CompleteCredentialRegistrationView):
    """Register a passkey, and record it in the trail as an enrolled device."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            device = WebAuthnCredential.objects.get(
                pk=json.loads(response.content)["id"], user=self.request.user
            )
            services.device_enrolled(request=self.request, device=device)
        return response


class CompleteAuthentication(views.CompleteCredentialAuthenticationView):
    """Verify a passkey at sign-in; a refused one is a second-factor failure in the trail."""

    def handle_exception(self, exc):
        user = self.request.user
        if isinstance(exc, OTPWebAuthnApiError) and user.is_authenticated:
            services.passkey_failure(user=user)
        return super().handle_exception(exc)

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            self.request.session[services.SESSION_HAS_DEVICE] = True
        return response


app_name = "otp_webauthn"

urlpatterns = [
    path(
        "registration/begin/",
        views.BeginCredentialRegistrationView.as_view(),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        views.BeginCredentialAuthenticationView.as_view(),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]),
        name="js-i18n-catalog",
    ),
]
