"""Who needs a second factor. The one place that says so (the middleware and pages ask here).

Mediators, supervisors and administrators (staff and superusers) open confidential material, so
the Dutch government baseline (BIO) expects more than a password. Coordinators only refer cases
and read what they referred; they are included when `TAFEL_2FA_COORDINATORS` says so.
"""

from django.conf import settings
from django_otp_webauthn.models import WebAuthnCredential

from mediation.roles import Role, roles_of
from mediation.types import AnyUser
from twofactor.models import AppDevice, RecoveryDevice

# The devices Tafel issues. django-otp's own TOTP and static devices are not among them: their
# tables stay only for the migration that sealed them (twofactor/0002) and are empty, so
# django-otp's `user_has_device`, which asks every installed kind, would query them for nothing
# on every sign-in.
SECOND_FACTOR_DEVICES = (AppDevice, WebAuthnCredential, RecoveryDevice)


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
    return user.is_authenticated and any(
        kind.objects.filter(user=user, confirmed=True).exists() for kind in SECOND_FACTOR_DEVICES
    )
