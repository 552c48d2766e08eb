"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mediation.idle import idle_seconds_left, needs_sign_in
from mediation.roles import roles_of


def roles(request: HttpRequest) -> dict:
    """`user_roles`: the user's roles, looked up only when a template asks."""
    return {"user_roles": SimpleLazyObject(lambda: roles_of(request.user))}


def environment(request: HttpRequest) -> dict:
    """`development`: true outside production (shows the development mailbox link)."""
    return {"development": not settings.PRODUCTION}


def idle_warning(request: HttpRequest) -> dict:
    """`idle_warning`: for a signed-in user on a page that needs sign-in, the seconds left before
    the idle timeout and the warning's lead time (read by idle.js); absent elsewhere."""
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    if not (user and user.is_authenticated and match and needs_sign_in(match.func)):
        return {}
    return {
        "idle_warning": {
            "remaining": idle_seconds_left(request),
            "warning": settings.TAFEL_IDLE_WARNING_SECONDS,
        }
    }
