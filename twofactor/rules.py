"""Who needs a second factor. The one place that says so (the middleware and pages ask here).

Mediators, supervisors and administrators (staff and superusers) open confidential material, so
the Dutch government baseline (BIO) expects more than a password. Coordinators only refer cases
and read what they referred; they are included when `TAFEL_2FA_COORDINATORS` says so.
"""

from django.conf import settings
from django_otp import user_has_device

from mediation.roles import Role, roles_of
from mediation.types import AnyUser


def second_factor_expected(user: AnyUser) -> bool:
    """Whether `user`'s role calls for a second factor (whether or not one is required now)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    roles = roles_of(user)
    if roles & {Role.MEDIATOR, Role.SUPERVISOR}:
        return True
    return bool(settings.TAFEL_2FA_COORDINATORS and Role.COORDINATOR in roles)


def second_factor_required(user: AnyUser) -> bool:
    """Whether `user` must enrol before anything else (`TAFEL_REQUIRE_2FA` and their role)."""
    return bool(settings.TAFEL_REQUIRE_2FA) and second_factor_expected(user)


def has_second_factor(user: AnyUser) -> bool:
    """Whether `user` has a confirmed device: an app, a passkey or recovery codes."""
    return user.is_authenticated and user_has_device(user, confirmed=True)
