"""Global roles. Each is a Django group, created by a data migration."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles a staff user can hold; the value is the name of the group."""

    COORDINATOR = "coordinator", _("Municipal coordinator")
    MEDIATOR = "mediator", _("Mediator")
    SUPERVISOR = "supervisor", _("Supervisor")


def roles_of(user) -> set[Role]:
    """Return the roles `user` holds, from one query on their groups."""
    if not user.is_authenticated:
        return set()
    names = set(user.groups.values_list("name", flat=True))
    return {role for role in Role if role.value in names}
