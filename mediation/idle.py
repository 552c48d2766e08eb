"""Idle timeout: a signed-in user who sends no request for a while is signed out (issue 17).

The time of the user's last request is kept in their session. A request after
`TAFEL_IDLE_TIMEOUT_SECONDS` without one finds the user signed out: the logout is audited as an
idle timeout (the audit app's logout receiver reads `request.idle_timed_out`), and the user is
sent to the login page with a message. The server holds the timeout whatever the browser does;
the warning dialog (`mediation/static/mediation/idle.js`) only tells the user in time
(WCAG 2.2.1) and lets them stay signed in.

What counts as activity: every request to a view, except the warning's own questions about the
time left (a GET on a view marked `idle_poll`). Its "Stay signed in" button is a POST, and so
counts.
"""

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import ngettext

LAST_ACTIVITY = "tafel_last_activity"


def idle_poll(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view whose GET requests do not count as activity (the warning asks it the time)."""
    view.idle_poll = True  # type: ignore[attr-defined]
    return view


def _touch_every() -> int:
    # Write the session at most once a minute (less with a short timeout, as in tests), not on
    # every request of a page.
    return max(1, min(60, settings.TAFEL_IDLE_TIMEOUT_SECONDS // 30))


def idle_seconds_left(request: HttpRequest) -> int:
    """Seconds until this request's session is signed out for inactivity."""
    last = request.session.get(LAST_ACTIVITY)
    if not isinstance(last, int):
        return settings.TAFEL_IDLE_TIMEOUT_SECONDS
    return max(0, last + settings.TAFEL_IDLE_TIMEOUT_SECONDS - int(time.time()))


def idle_clock_start(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """At sign-in: the session's last activity is now."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())


def needs_sign_in(view: Callable[..., Any] | None) -> bool:
    """Whether a view is for signed-in users: views open to everyone (answer links, the login
    page) carry Django's `login_not_required` mark."""
    return view is not None and getattr(view, "login_required", True)


class IdleTimeoutMiddleware(MiddlewareMixin):
    """Sign out a user whose last request is older than the idle timeout; note the others'."""

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args, view_kwargs
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = int(time.time())
        if idle_seconds_left(request) == 0:
            return self._sign_out(request, view_func)
        poll = getattr(view_func, "idle_poll", False) and request.method in ("GET", "HEAD")
        last = request.session.get(LAST_ACTIVITY)
        if not poll and (not isinstance(last, int) or now - last >= _touch_every()):
            request.session[LAST_ACTIVITY] = now
        return None

    def _sign_out(self, request: HttpRequest, view_func: Callable[..., Any]) -> HttpResponse | None:
        request.idle_timed_out = True  # type: ignore[attr-defined]
        logout(request)
        minutes = settings.TAFEL_IDLE_TIMEOUT_SECONDS // 60
        messages.info(
            request,
            ngettext(
                "You were signed out because nothing happened for %(minutes)d minute. "
                "Sign in again to go on.",
                "You were signed out because nothing happened for %(minutes)d minutes. "
                "Sign in again to go on.",
                minutes,
            )
            % {"minutes": minutes},
        )
        if not needs_sign_in(view_func):
            # A page open to everyone (an answer link, the warning's own question) is served.
            return None
        return redirect_to_login(request.get_full_path())
