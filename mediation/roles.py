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


def is_admin_account(user) -> bool:
    """A superuser or staff account: it configures the system and holds no case role."""
    return bool(getattr(user, "is_superuser", False) or getattr(user, "is_staff", False))


def roles_of(user) -> frozenset[Role]:
    """Return the roles `user` holds: one query on their groups, once per user object.

    An administrator (superuser or staff) holds none, whatever groups the database says it
    is in: `cases.services.roles` refuses to put it in one, and this is the second lock.
    """
    if not user.is_authenticated or is_admin_account(user):
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
