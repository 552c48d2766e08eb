"""The devices of two-factor sign-in that hold a secret: authenticator apps and recovery codes.

Tafel's own django-otp devices, in place of django-otp's TOTPDevice and StaticDevice, which store
the app's key and the recovery codes in plain text: with a database dump one could make codes.
Here the key is sealed and the codes are kept as HMACs (`twofactor.sealing`). Being subclasses
of django-otp's `Device`, they are found by `devices_for_user`, `user_has_device`, `otp_login`
and the OTP middleware like django-otp's own (its `device_classes` lists every installed
subclass). Passkeys stay django-otp-webauthn's (they hold only public keys).
"""

from __future__ import annotations

import hmac
import time
from base64 import b32encode
from functools import cached_property
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from twofactor import sealing

APP_KEY_BYTES = 20  # 160 bits, as RFC 4226 recommends and django-otp makes them


class AppDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app: time-based codes (RFC 6238) from a key that is stored sealed.

    Verification is django-otp's TOTPDevice's: 30-second steps, one step of tolerance either
    way, the clock drift learnt, and no code accepted at or before the step of the last one
    (`last_t`), also when two sign-ins send the same code at once.
    """

    # Annotated: django-otp's Device has no types, so the Django plugin cannot infer these.
    sealed_key: models.BinaryField[bytes | memoryview, bytes | memoryview] = models.BinaryField(
        _("sealed key"),
        editable=False,
        default=b"",
        help_text=_("The key the app computes its codes from, sealed under a system key."),
    )
    step: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        default=30, help_text="The time step in seconds."
    )
    t0: models.BigIntegerField[int, int] = models.BigIntegerField(
        default=0, help_text="The Unix time at which to begin counting steps."
    )
    digits: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        choices=[(6, 6), (8, 8)], default=6, help_text="The number of digits in a code."
    )
    tolerance: models.PositiveSmallIntegerField[int, int] = models.PositiveSmallIntegerField(
        default=1, help_text="The number of time steps in the past or future to allow."
    )
    drift: models.SmallIntegerField[int, int] = models.SmallIntegerField(
        default=0, help_text="The number of time steps the app is known to be off our clock."
    )
    last_t: models.BigIntegerField[int, int] = models.BigIntegerField(
        default=-1,
        help_text="The time step of the last accepted code; the next must be at a later one.",
    )

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def key_set(self, key: bytes) -> None:
        """Seal `key` as this device's key (the device must be saved first: the seal is bound
        to its row); the caller saves `sealed_key`."""
        self.sealed_key = sealing.app_key_seal(self.pk, key)
        self.__dict__.pop("bin_key", None)

    @cached_property
    def bin_key(self) -> bytes:
        """The key itself, opened from its seal (`crypto.CannotOpen` if it cannot be)."""
        return sealing.app_key_open(self.pk, self.sealed_key)

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        """Whether `token` is the app's code now; on success it is used up."""
        if not self.verify_is_allowed()[0]:
            return False
        try:
            number = int(token)
        except (TypeError, ValueError):
            number = None
        verified = False
        if number is not None:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            if totp.verify(number, self.tolerance, self.last_t + 1):
                # Claim the step only if no other sign-in claimed it (or a later one) meanwhile:
                # the same code sent twice at once signs in once.
                step = totp.t()
                claimed = AppDevice.objects.filter(pk=self.pk, last_t__lt=step).update(last_t=step)
                if claimed:
                    verified = True
                    self.last_t = step
                    if getattr(settings, "OTP_TOTP_SYNC", True):
                        self.drift = totp.drift
                    self.throttle_reset(commit=False)
                    self.set_last_used_timestamp(commit=False)
                    self.save(
                        update_fields=[
                            "drift",
                            "throttling_failure_timestamp",
                            "throttling_failure_count",
                            "last_used_at",
                        ]
                    )
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    @property
    def config_url(self) -> str:
        """The otpauth:// address an app reads from the QR code (Google's Key Uri Format)."""
        label = str(self.user.get_username())
        params = urlencode(
            {
                "secret": b32encode(self.bin_key),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "") or "").replace(":", "")
        if issuer:
            label = f"{issuer}:{label}"
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"


class RecoveryDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's set of single-use recovery codes, kept only as HMACs (`RecoveryCode`)."""

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def code_add_all(self, codes: list[str]) -> None:
        """Store `codes` (normalised) as this device's codes, in place of any before."""
        self.codes.all().delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(device=self, digest=sealing.recovery_code_digest(self.pk, code))
            for code in codes
        )

    def verify_token(self, token) -> bool:
        """Whether `token` is one of the unused codes; on success that code is gone.

        The digest is compared with every stored one in constant time; the code is used up by
        deleting its row, so two sign-ins with the same code at once succeed once.
        """
        if not self.verify_is_allowed()[0]:
            return False
        digest = sealing.recovery_code_digest(self.pk, str(token))
        match = None
        for pk, stored in self.codes.values_list("pk", "digest"):
            if hmac.compare_digest(stored, digest) and match is None:
                match = pk
        used = match is not None and RecoveryCode.objects.filter(pk=match).delete()[0] == 1
        if used:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment(commit=True)
        return used


class RecoveryCode(models.Model):
    """One unused recovery code, as its HMAC: the code itself is shown once and never stored."""

    device = models.ForeignKey(
        RecoveryDevice,
        verbose_name=_("recovery codes"),
        on_delete=models.CASCADE,
        related_name="codes",
    )
    digest = models.CharField(
        _("digest"),
        max_length=64,
        editable=False,
        help_text=_("HMAC-SHA256 of the code under a system key, bound to its device."),
    )

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.device_id}: {self.pk}"
