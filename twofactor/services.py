"""Every write of two-factor sign-in: enrol, remove, recovery codes, and the second step itself.

Each change is recorded in the audit trail in the same transaction. Apps and recovery codes are
Tafel's own devices (`twofactor.models`: the key sealed, the codes as HMACs), passkeys are
django-otp-webauthn's; this module is the only code of Tafel that changes them.
"""

import secrets
from base64 import b32encode
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import AuditAction
from audit.services import audit_record
from mediation.models import user_settings_for
from mediation.outbox import outbox_enqueue
from mediation.types import AuthenticatedHttpRequest, StrOrPromise, User
from twofactor.models import APP_KEY_BYTES, AppDevice, RecoveryCode, RecoveryDevice

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
APP_DEVICE_NAME = "Authenticator app"
# The session remembers whether its user had a confirmed device at sign-in, so a page needs no
# query to know whether the second step is still due (see middleware.py).
SESSION_HAS_DEVICE = "twofactor_has_device"
# Fresh recovery codes wait here for the one page that shows them, once.
SESSION_NEW_CODES = "twofactor_new_codes"

WRONG_CODE = _("This code is not right. Check the code and try again.")
TOO_MANY = _("Too many wrong codes. Wait a minute, then try again.")

# What the email to the user says happened (ASVS 2.2.3, 2.8.5: told of every change).
_CHANGES = {
    "enrolled": _("A second sign-in step was added to your Tafel account."),
    "removed": _("A second sign-in step was removed from your Tafel account."),
    "codes": _(
        "New recovery codes were made for your Tafel account; the old ones stopped working."
    ),
    "code_used": _("A recovery code was used to sign in to your Tafel account."),
    "reset": _("An administrator removed every second sign-in step of your Tafel account."),
}


def _tell_user(user: User, change: str) -> None:
    """Email the user that their sign-in changed, through the outbox, in their language.

    Always sent (not a notice one can turn off): it is how someone learns that another person
    has their password. Nothing else is in it.
    """
    if not user.email or not user.is_active:
        return
    language = user_settings_for(user).email_language or settings.LANGUAGE_CODE
    with translation.override(language):
        body = render_to_string(
            "twofactor/email/changed.txt",
            {
                "event": _CHANGES[change],
                "link": settings.TAFEL_BASE_URL + reverse("twofactor:manage"),
            },
        )
        subject = str(_("Tafel: your sign-in changed"))
    message = EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )
    outbox_enqueue(message=message, purpose="account.sign_in_changed", recipient=user)


def device_kind(device: Device) -> str:
    """The kind of a device in the audit trail and in URLs: app, passkey or recovery."""
    if isinstance(device, AppDevice):
        return "app"
    if isinstance(device, WebAuthnCredential):
        return "passkey"
    return "recovery"


@transaction.atomic
def totp_device_start(*, user: User) -> AppDevice:
    """The user's unconfirmed authenticator app, made now unless one is waiting already.

    Reusing the waiting one keeps the QR code the same when the page is reloaded. The new key
    is stored only sealed (bound to the row, so the row is made first).
    """
    waiting = AppDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if waiting is not None:
        return waiting
    device = AppDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    device.key_set(secrets.token_bytes(APP_KEY_BYTES))
    device.save(update_fields=["sealed_key"])
    return device


@transaction.atomic
def totp_device_confirm(
    *, request: AuthenticatedHttpRequest, device: AppDevice, token: str
) -> bool:
    """Confirm the waiting app with a code it shows; the session counts as verified by it.

    A wrong code is a second-factor failure in the trail. Other waiting apps are removed.
    """
    user = request.user
    if not device.verify_token(token.strip()):
        _failure(user=user, kind="app", reason="enrolment")
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    AppDevice.objects.filter(user=user, confirmed=False).delete()
    device_enrolled(request=request, device=device)
    return True


@transaction.atomic
def device_enrolled(*, request: AuthenticatedHttpRequest, device: Device) -> None:
    """Record a newly confirmed device and count the session as verified by it."""
    user = request.user
    audit_record(
        action=AuditAction.SECOND_FACTOR_ENROLLED,
        actor=user,
        target=device,
        details={"kind": device_kind(device)},
    )
    _tell_user(user, "enrolled")
    if not getattr(user, "is_verified", lambda: False)():
        otp_login(request, device)
    request.session[SESSION_HAS_DEVICE] = True


def _new_code() -> str:
    # 80 random bits in 16 base32 letters (four groups of four to type).
    return b32encode(secrets.token_bytes(10)).decode("ascii").lower()


def format_code(code: str) -> str:
    """A recovery code as it is shown: four groups of four, easier to copy by hand."""
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def normalise_code(text: str) -> str:
    """What the user typed, without spaces and dashes, in lower case."""
    return "".join(text.split()).replace("-", "").lower()


@transaction.atomic
def recovery_codes_generate(*, request: AuthenticatedHttpRequest) -> list[str]:
    """Make a new set of recovery codes for the signed-in user; the old set stops working.

    The codes are returned once (and kept in the session for the page that shows them); the
    database keeps only their HMACs.
    """
    user = request.user
    device, _created = RecoveryDevice.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    codes = [_new_code() for _index in range(RECOVERY_CODE_COUNT)]
    device.code_add_all(codes)
    audit_record(
        action=AuditAction.RECOVERY_CODES_GENERATED,
        actor=user,
        target=device,
        details={"count": len(codes)},
    )
    if not _created:  # the first set comes with the enrolment, which has its own message
        _tell_user(user, "codes")
    shown = [format_code(code) for code in codes]
    request.session[SESSION_NEW_CODES] = shown
    request.session[SESSION_HAS_DEVICE] = True
    return shown


def recovery_codes_left(user: User) -> int | None:
    """How many unused recovery codes the user has; None when they never made any."""
    device = RecoveryDevice.objects.filter(user=user).first()
    return None if device is None else device.codes.count()


@transaction.atomic
def device_remove(*, request: AuthenticatedHttpRequest, device: Device) -> None:
    """Remove one of the signed-in user's apps or passkeys.

    Removing the last one also removes the recovery codes: they are a way back to an app or
    passkey, not a second factor of their own.
    """
    user = request.user
    if device.user_id != user.pk:
        raise PermissionError("not the user's own device")
    kind = device_kind(device)
    audit_record(
        action=AuditAction.SECOND_FACTOR_REMOVED,
        actor=user,
        target=device,
        details={"kind": kind},
    )
    device.delete()
    _tell_user(user, "removed")
    others = (
        AppDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )
    if not others:
        for recovery in RecoveryDevice.objects.filter(user=user):
            audit_record(
                action=AuditAction.SECOND_FACTOR_REMOVED,
                actor=user,
                target=recovery,
                details={"kind": "recovery"},
            )
            recovery.delete()
        request.session[SESSION_HAS_DEVICE] = False


@dataclass(frozen=True)
class VerifyResult:
    """The outcome of a second step: the device that matched, or the message to show."""

    device: Device | None
    error: StrOrPromise = ""


@transaction.atomic
def second_factor_verify(*, request: AuthenticatedHttpRequest, code: str) -> VerifyResult:
    """Check a code from an app or a recovery code; on success the session is verified.

    Six digits are tried against the user's apps, anything else against the recovery codes
    (each works once: its row is deleted). Failures are throttled per device by django-otp
    (1, 2, 4, 8... seconds) and recorded in the trail.
    """
    user = request.user
    typed = normalise_code(code)
    if typed.isdigit() and len(typed) == 6:
        kind = "app"
        devices: list[Device] = list(AppDevice.objects.filter(user=user, confirmed=True))
    else:
        kind = "recovery"
        devices = list(RecoveryDevice.objects.filter(user=user, confirmed=True))
    allowed = [device for device in devices if device.verify_is_allowed()[0]]
    if devices and not allowed:
        _failure(user=user, kind=kind, reason="throttled")
        return VerifyResult(device=None, error=TOO_MANY)
    for device in allowed:
        if device.verify_token(typed):
            otp_login(request, device)
            request.session[SESSION_HAS_DEVICE] = True
            if kind == "recovery":
                audit_record(
                    action=AuditAction.RECOVERY_CODE_USED,
                    actor=user,
                    target=device,
                    details={"left": RecoveryCode.objects.filter(device=device).count()},
                )
                _tell_user(user, "code_used")
            return VerifyResult(device=device)
    _failure(user=user, kind=kind, reason="wrong code")
    return VerifyResult(device=None, error=WRONG_CODE)


def passkey_failure(*, user: User) -> None:
    """Record a passkey that did not verify (a refused or forged answer)."""
    _failure(user=user, kind="passkey", reason="refused")


@transaction.atomic
def _failure(*, user: User, kind: str, reason: str) -> None:
    audit_record(
        action=AuditAction.SECOND_FACTOR_FAILED,
        actor=user,
        details={"kind": kind, "reason": reason},
    )


@transaction.atomic
def second_factors_reset(*, user: User, reason: str) -> int:
    """Remove all of a user's second factors (lost phone and codes), recorded in the trail.

    Run by an administrator from the command line (`manage.py twofactor_reset`), after checking
    who is asking outside Tafel; the user then enrols again at their next sign-in. Returns how
    many devices were removed.
    """
    devices: list[Device] = [
        *AppDevice.objects.filter(user=user),
        *WebAuthnCredential.objects.filter(user=user),
        *RecoveryDevice.objects.filter(user=user),
    ]
    for device in devices:
        audit_record(
            action=AuditAction.SECOND_FACTOR_REMOVED,
            actor=None,
            actor_label="twofactor_reset",
            target=device,
            details={"kind": device_kind(device), "user": user.pk, "reason": reason[:200]},
        )
        device.delete()
    if devices:
        _tell_user(user, "reset")
    return len(devices)
