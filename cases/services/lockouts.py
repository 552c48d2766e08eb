"""Unlocking sign-in early: a supervisor or administrator lifts a lockout (issue 17).

The lockouts themselves are django-axes' (`mediation.throttle`); lifting one is a change to
who may sign in, so it is checked and audited here.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from mediation.roles import Role, roles_of
from mediation.throttle import lockout_clear
from mediation.types import AnyUser, User

LOCKOUT_KINDS = ("account", "address")


def may_unlock(user: AnyUser) -> bool:
    """Supervisors and administrators (superusers) may lift a lockout."""
    return user.is_authenticated and (bool(user.is_superuser) or Role.SUPERVISOR in roles_of(user))


@transaction.atomic
def lockout_release(*, kind: str, value: str, actor: User) -> int:
    """Forget the failed sign-ins of one account (`kind="account"`, its user name) or one
    client address (`kind="address"`) so it may sign in again; audited as `auth.unlocked`."""
    if not may_unlock(actor):
        raise PermissionDenied
    if kind not in LOCKOUT_KINDS or not value or len(value) > 255:
        raise ValidationError(_("Choose an account or address from the list."))
    cleared = lockout_clear(kind=kind, value=value)
    if not cleared:
        raise ValidationError(_("This account or address is not locked any more."))
    account = None
    if kind == "account":
        user_model = get_user_model()
        account = user_model._default_manager.filter(**{user_model.USERNAME_FIELD: value}).first()
    audit_record(
        action=AuditAction.UNLOCKED,
        actor=actor,
        target=account,
        details={"kind": kind, ("username" if kind == "account" else "address"): value},
    )
    return cleared
