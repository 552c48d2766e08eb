"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mediation.roles import roles_of


def roles(request: HttpRequest) -> dict:
    """`user_roles`: the user's roles, looked up only when a template asks."""
    return {"user_roles": SimpleLazyObject(lambda: roles_of(request.user))}


def environment(request: HttpRequest) -> dict:
    """`development`: true outside production (shows the development mailbox link)."""
    return {"development": not settings.PRODUCTION}
