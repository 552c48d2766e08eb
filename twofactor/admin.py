"""Second factors are not in the admin: the pages of django-otp would show an app's secret key
and the recovery codes to an administrator, and change devices without an audit event. Tafel's
own devices (`twofactor.models`) hold their secrets only sealed or hashed, and are left out too:
people manage their own on /accounts/two-factor/, and `manage.py twofactor_reset` removes a
user's (audited)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential, WebAuthnUserHandle

for model in (
    StaticDevice,
    TOTPDevice,
    WebAuthnCredential,
    WebAuthnAttestation,
    WebAuthnUserHandle,
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
