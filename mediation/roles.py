"""Global roles. Each is a Django group, created by a data migration."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles a staff user can hold; the value is the name of the group."""

    COORDINATOR = "coordinator", _("Municipal coordinator")
    MEDIATOR = "mediator", _("Mediator")
    SUPERVISOR = "supervisor", _("Supervisor")


def roles_of(user) -> frozenset[Role]:
    """Return the roles `user` holds: one query on their groups, once per user object."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_tafel_roles", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = user._tafel_roles = frozenset(role for role in Role if role.value in names)
    return cached


def role_required(*roles: Role):
    """View decorator: log in first, then refuse (403) users who hold none of `roles`."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not roles_of(request.user) & set(roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
