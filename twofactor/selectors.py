"""Reads of two-factor sign-in: a user's devices, and the pictures and text to set one up."""

from base64 import b32encode, b64encode
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django_otp_webauthn.models import WebAuthnCredential

from mediation.types import User
from twofactor.models import AppDevice, RecoveryDevice


@dataclass(frozen=True)
class SecondFactors:
    """What a user has set up: confirmed apps, passkeys, and unused recovery codes."""

    apps: list[AppDevice]
    passkeys: list[WebAuthnCredential]
    recovery_left: int | None  # None: never made

    @property
    def any(self) -> bool:
        return bool(self.apps or self.passkeys)


def second_factors_of(user: User) -> SecondFactors:
    """The user's own devices (three queries)."""
    recovery = RecoveryDevice.objects.filter(user=user, confirmed=True).first()
    return SecondFactors(
        apps=list(AppDevice.objects.filter(user=user, confirmed=True).order_by("pk")),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk")),
        recovery_left=None if recovery is None else recovery.codes.count(),
    )


def app_secret_text(device: AppDevice) -> str:
    """The app's secret key in base32, in groups of four, for typing it in by hand (opened
    from its seal: shown only while the app is set up)."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def app_qr_data_uri(device: AppDevice) -> str:
    """The otpauth:// address of the app as a QR code: an SVG image in a data: URI.

    An <img> with a data: URI is allowed by the Content-Security-Policy (img-src data:),
    needs no script and no style attribute, and never leaves the server.
    """
    image = qrcode.make(
        device.config_url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=8,
        border=4,
    )
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode("ascii")
