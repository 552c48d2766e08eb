"""The second step of sign-in, enforced on every request.

Placed right after django-otp's OTPMiddleware (which tells whether this session passed a second
factor). A signed-in user who has a device and has not verified this session is sent to the
verify page; a user whose role requires a second factor (`TAFEL_REQUIRE_2FA`) and who has none
is sent to the guided enrolment. Until then they reach no other page: only the two-factor pages,
the passkey ceremonies, logout, the language switch, the idle timeout's questions and static files.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from twofactor.rules import has_second_factor, second_factor_required
from twofactor.services import SESSION_HAS_DEVICE

# Open before the second step to everyone signed in: the second step itself, leaving, the
# language, the idle timeout's questions (URL names, namespaced where they have one).
OPEN_ALWAYS = frozenset(
    {
        "twofactor:verify",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
        "logout",
        "login",
        "set_language",
        "idle_session",
        "accessibility",
        "favicon",
    }
)
# Open also to a user who has no device yet: the guided enrolment. Never to a session that owes
# the second step, or a stolen password could add its own app and skip it.
OPEN_FOR_ENROLMENT = frozenset({"twofactor", "otp_webauthn"})


@receiver(user_logged_in, dispatch_uid="twofactor_device_at_login")
def remember_device_at_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Note in the new session whether the user has a device (one look-up per sign-in)."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_HAS_DEVICE] = has_second_factor(user)


class TwoFactorMiddleware:
    """Send users who owe a second step to the verify page or the enrolment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified():  # type: ignore[attr-defined]
            return None
        if request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}"):
            return None
        owed = self._owed(request)
        if owed is None:
            return None
        # The pages still open say so: the menu offers only logging out (templates/base.html).
        request.second_step_owed = True  # type: ignore[attr-defined]
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_ALWAYS:
            return None
        if owed == "twofactor:manage":
            if match is not None and OPEN_FOR_ENROLMENT & set(match.namespaces):
                return None
            return self._send(request, owed, _("Set up a second sign-in step first."))
        return self._send(request, owed, _("Confirm it is you first."))

    @staticmethod
    def _owed(request: HttpRequest) -> str | None:
        """The page of the step this session still owes (verify or enrol), or None."""
        user = request.user
        has_device = request.session.get(SESSION_HAS_DEVICE)
        if has_device is None:  # a session from before two-factor sign-in existed
            has_device = request.session[SESSION_HAS_DEVICE] = has_second_factor(user)
        if has_device:
            return "twofactor:verify"
        if second_factor_required(user):
            if has_second_factor(user):  # enrolled in another session since this one began
                request.session[SESSION_HAS_DEVICE] = True
                return "twofactor:verify"
            return "twofactor:manage"
        return None

    @staticmethod
    def _send(request: HttpRequest, name: str, message: str) -> HttpResponse:
        if request.headers.get("accept", "").startswith("application/json"):
            return JsonResponse({"detail": message}, status=403)
        target = reverse(name)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
