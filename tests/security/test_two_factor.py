"""Two-factor sign-in (issue 17, point 2): who must enrol, who must verify, and how.

`TAFEL_REQUIRE_2FA` is off in tests (as in development and the demo); these tests turn it on as
production does. Codes are computed from the device's key with django-otp's own TOTP, as an app
would; recovery codes are the ones the page showed.
"""

import re
import time
from base64 import b32decode
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib import admin
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditAction, AuditEvent
from mediation.models import OutboxMessage, UserSettings
from mediation.outbox import outbox_open
from tests.factories import TEST_PASSWORD, UserFactory
from tests.mediation.test_production_settings import PRODUCTION_ENV, run_manage
from twofactor import selectors
from twofactor.models import AppDevice, RecoveryCode, RecoveryDevice

pytestmark = pytest.mark.django_db

required = override_settings(TAFEL_REQUIRE_2FA=True)


def code_for(device: AppDevice, offset: int = 0) -> str:
    """The code an authenticator app shows now (offset: that many 30-second steps later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset * device.step
    return f"{totp.token():06d}"


def sign_in(username: str) -> Client:
    """Sign in with the password through the login form, as a person would."""
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(reverse("login"), {"username": username, "password": TEST_PASSWORD})
    assert response.status_code == 302, "the password was refused"
    return client


def enrol_app(client: Client) -> AppDevice:
    """Go through the guided enrolment with an app; return the confirmed device."""
    page = client.get(reverse("twofactor:app"))
    assert page.status_code == 200
    device = AppDevice.objects.get(user__username=page.wsgi_request.user.username)
    response = client.post(reverse("twofactor:app"), {"code": code_for(device)})
    assert response.status_code == 302, response.content.decode()[:2000]
    device.refresh_from_db()
    assert device.confirmed
    return device


def shown_codes(client: Client) -> list[str]:
    page = client.get(reverse("twofactor:recovery_codes")).content.decode()
    return re.findall(r"<li><code>([a-z2-7-]{19})</code></li>", page)


def events(action: AuditAction, user) -> int:
    return AuditEvent.objects.filter(action=action.value, actor=user).count()


@required
def test_a_mediator_without_a_second_factor_is_sent_to_enrolment_and_reaches_no_case(
    assigned, personas
):
    client = sign_in("mediator")
    case_url = reverse("cases:detail", args=[assigned.pk])
    for url in (case_url, reverse("cases:list"), reverse("home"), reverse("account_settings")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("twofactor:manage")), url
    # A POST does not get through either (a lifecycle step, a note): nothing is written.
    assert client.post(case_url, {}).status_code == 302

    # The enrolment, logout's neighbours and the language switch stay open.
    assert client.get(reverse("twofactor:manage")).status_code == 200
    assert client.post(reverse("set_language"), {"language": "nl", "next": "/"}).status_code == 302

    device = enrol_app(client)
    assert events(AuditAction.SECOND_FACTOR_ENROLLED, personas.mediator) == 1
    assert events(AuditAction.RECOVERY_CODES_GENERATED, personas.mediator) == 1
    assert len(shown_codes(client)) == 10
    # Now the case opens, in this (verified) session.
    assert client.get(case_url).status_code == 200

    # A new sign-in must confirm with the app before the case opens.
    client = sign_in("mediator")
    response = client.get(case_url)
    assert response["Location"].startswith(reverse("twofactor:verify"))
    response = client.post(
        reverse("twofactor:verify"), {"code": code_for(device, offset=1), "next": case_url}
    )
    assert response.status_code == 302
    assert response["Location"] == case_url
    assert client.get(case_url).status_code == 200


@required
@pytest.mark.parametrize("persona", ["supervisor", "staff", "superuser"])
def test_supervisors_and_administrators_are_sent_to_enrolment(personas, persona):
    if persona == "staff":
        UserFactory(username="staff", is_staff=True)
    if persona == "superuser":
        UserFactory(username="superuser", is_staff=True, is_superuser=True)
    client = sign_in(persona)
    for url in (reverse("home"), "/admin/"):
        response = client.get(url)
        assert response["Location"].startswith(reverse("twofactor:manage")), (persona, url)


@required
def test_a_coordinator_is_not_forced_unless_the_setting_asks(personas, assigned):
    client = sign_in("coordinator")
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200

    with override_settings(TAFEL_2FA_COORDINATORS=True):
        response = client.get(reverse("home"))
        assert response["Location"].startswith(reverse("twofactor:manage"))


def test_without_the_requirement_nobody_is_sent_to_enrolment(personas, assigned):
    client = sign_in("mediator")
    assert client.get(reverse("cases:detail", args=[assigned.pk])).status_code == 200
    # ... but whoever set up a second factor must still use it.
    enrol_app(client)
    client = sign_in("mediator")
    response = client.get(reverse("cases:detail", args=[assigned.pk]))
    assert response["Location"].startswith(reverse("twofactor:verify"))


@required
def test_a_wrong_code_is_refused_and_recorded(personas, assigned):
    client = sign_in("mediator")
    device = enrol_app(client)
    client = sign_in("mediator")
    right = code_for(device, offset=1)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("twofactor:verify"), {"code": wrong})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert events(AuditAction.SECOND_FACTOR_FAILED, personas.mediator) == 1
    response = client.get(reverse("cases:detail", args=[assigned.pk]))
    assert response["Location"].startswith(reverse("twofactor:verify"))


@required
def test_until_the_second_step_the_menu_offers_only_logging_out(personas):
    client = sign_in("mediator")
    enrolling = client.get(reverse("twofactor:manage")).content.decode()
    device = enrol_app(client)
    verified = client.get(reverse("home")).content.decode()
    owing = sign_in("mediator").get(reverse("twofactor:verify")).content.decode()

    for page in (enrolling, owing):
        assert "Log out (mediator)" in page
        assert reverse("cases:list") not in page
        assert reverse("account_settings") not in page
    assert reverse("cases:list") in verified
    assert device.confirmed


@required
def test_wrong_codes_are_throttled(personas):
    client = sign_in("mediator")
    device = enrol_app(client)
    client = sign_in("mediator")
    right = code_for(device, offset=1)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    client.post(reverse("twofactor:verify"), {"code": wrong})
    # Straight after a failure even the right code waits (1 s, then 2, 4, 8...).
    response = client.post(reverse("twofactor:verify"), {"code": right})
    assert response.status_code == 200
    assert "Too many wrong codes" in response.content.decode()


@required
def test_a_code_from_the_app_works_only_once(personas):
    client = sign_in("mediator")
    device = enrol_app(client)
    code = code_for(device, offset=1)
    first = sign_in("mediator")
    assert first.post(reverse("twofactor:verify"), {"code": code}).status_code == 302
    second = sign_in("mediator")
    response = second.post(reverse("twofactor:verify"), {"code": code})
    assert response.status_code == 200


@required
def test_a_recovery_code_works_once(personas, assigned):
    client = sign_in("mediator")
    enrol_app(client)
    codes = shown_codes(client)
    assert len(codes) == 10
    # Shown once: the page does not show them again.
    assert client.get(reverse("twofactor:recovery_codes")).status_code == 302

    client = sign_in("mediator")
    response = client.post(reverse("twofactor:verify"), {"recovery_code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("cases:detail", args=[assigned.pk])).status_code == 200
    assert events(AuditAction.RECOVERY_CODE_USED, personas.mediator) == 1
    assert RecoveryCode.objects.filter(device__user=personas.mediator).count() == 9

    client = sign_in("mediator")
    response = client.post(reverse("twofactor:verify"), {"recovery_code": codes[0]})
    assert response.status_code == 200
    assert "This code is not right" in response.content.decode()
    assert client.get(reverse("cases:detail", args=[assigned.pk])).status_code == 302


@required
def test_new_recovery_codes_replace_the_old_ones(personas):
    client = sign_in("mediator")
    enrol_app(client)
    old = shown_codes(client)
    assert client.get(reverse("twofactor:recovery_regenerate")).status_code == 200
    client.post(reverse("twofactor:recovery_regenerate"))
    new = shown_codes(client)
    assert len(new) == 10
    assert not set(old) & set(new)
    assert events(AuditAction.RECOVERY_CODES_GENERATED, personas.mediator) == 2
    client = sign_in("mediator")
    assert client.post(reverse("twofactor:verify"), {"recovery_code": old[1]}).status_code == 200
    # After the throttle's second (a wrong code makes the next wait 1 s, then 2, 4...).
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        response = client.post(reverse("twofactor:verify"), {"recovery_code": new[1]})
    assert response.status_code == 302


@required
def test_removing_the_last_app_asks_first_and_sends_back_to_enrolment(personas):
    client = sign_in("mediator")
    device = enrol_app(client)
    remove = reverse("twofactor:remove_app", args=[device.pk])
    page = client.get(remove)
    assert page.status_code == 200
    assert "your recovery codes are removed with it" in page.content.decode()
    assert AppDevice.objects.filter(pk=device.pk).exists()
    client.post(remove)
    assert not AppDevice.objects.filter(user=personas.mediator).exists()
    assert not RecoveryDevice.objects.filter(user=personas.mediator).exists()
    assert events(AuditAction.SECOND_FACTOR_REMOVED, personas.mediator) == 2
    client = sign_in("mediator")
    assert client.get(reverse("home"))["Location"].startswith(reverse("twofactor:manage"))


@required
def test_nobody_can_remove_another_users_device(personas):
    client = sign_in("mediator")
    device = enrol_app(client)
    other = sign_in("supervisor")
    enrol_app(other)
    assert other.get(reverse("twofactor:remove_app", args=[device.pk])).status_code == 404
    assert other.post(reverse("twofactor:remove_app", args=[device.pk])).status_code == 404
    assert AppDevice.objects.filter(pk=device.pk).exists()


def test_an_unverified_session_cannot_add_a_device_to_skip_the_second_step(personas):
    client = sign_in("mediator")
    enrol_app(client)
    client = sign_in("mediator")
    # The pages for adding a factor are open before the second step, but only to enrol a first
    # one: with a device, the passkey ceremony refuses and a new app needs the old one first.
    response = client.post(
        reverse("otp_webauthn:credential-registration-begin"), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 403
    response = client.get(reverse("twofactor:app"))
    assert response["Location"].startswith(reverse("twofactor:verify"))


def test_the_enrolment_page_shows_a_qr_code_and_the_key_as_text(personas):
    client = sign_in("mediator")
    page = client.get(reverse("twofactor:app")).content.decode()
    device = AppDevice.objects.get(user=personas.mediator)
    assert '<img class="qr" src="data:image/svg+xml;base64,' in page
    secret = re.search(r'<code id="secret-key">([A-Z2-7 ]+)</code>', page).group(1)
    assert b32decode(secret.replace(" ", "")) == device.bin_key
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    # The same key on a reload (the QR code in the app stays right).
    client.get(reverse("twofactor:app"))
    assert AppDevice.objects.filter(user=personas.mediator).count() == 1


def test_the_account_settings_page_links_to_the_second_factors(personas):
    client = sign_in("mediator")
    page = client.get(reverse("account_settings")).content.decode()
    assert reverse("twofactor:manage") in page


def test_the_admin_does_not_show_secret_keys_or_recovery_codes(personas):
    for model in (TOTPDevice, StaticDevice, AppDevice, RecoveryDevice, RecoveryCode):
        assert not admin.site.is_registered(model), model


@required
def test_an_administrator_resets_a_users_second_factors_from_the_command_line(personas):
    client = sign_in("mediator")
    enrol_app(client)
    out = StringIO()
    call_command("twofactor_reset", "mediator", reason="phone lost, checked by phone", stdout=out)
    assert "Removed 2 second factors" in out.getvalue()
    assert not AppDevice.objects.filter(user=personas.mediator).exists()
    assert not RecoveryDevice.objects.filter(user=personas.mediator).exists()
    removed = AuditEvent.objects.filter(action=AuditAction.SECOND_FACTOR_REMOVED.value)
    assert removed.count() == 2
    assert all(event.details["user"] == personas.mediator.pk for event in removed)
    # The old session owed nothing more; a new sign-in is sent to enrol again.
    client = sign_in("mediator")
    assert client.get(reverse("home"))["Location"].startswith(reverse("twofactor:manage"))


def test_production_settings_require_a_second_factor_and_bind_passkeys_to_the_site(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.TAFEL_REQUIRE_2FA, s.TAFEL_2FA_COORDINATORS, s.TAFEL_WEBAUTHN_RP_ID, "
        "s.OTP_WEBAUTHN_ALLOWED_ORIGINS)"
    )
    production = run_manage(
        "shell", "--no-imports", "-c", script, env=PRODUCTION_ENV, tmp_path=tmp_path
    )
    assert production.stdout.strip() == (
        "True False tafel.gemeente.example ['https://tafel.gemeente.example']"
    ), production.stderr
    development = run_manage("shell", "--no-imports", "-c", script, env={}, tmp_path=tmp_path)
    assert development.stdout.strip() == "False False localhost ['http://localhost:8000']", (
        development.stderr
    )
    # `make run ADDRESS=192.168.1.20:8000`: passkeys fall back to localhost, and Tafel starts.
    elsewhere = {"TAFEL_BASE_URL": "http://192.168.1.20:8000"}
    lan = run_manage("shell", "--no-imports", "-c", script, env=elsewhere, tmp_path=tmp_path)
    assert lan.stdout.strip() == "False False localhost ['http://localhost:8000']", lan.stderr
    assert run_manage("check", env=elsewhere, tmp_path=tmp_path).returncode == 0


def test_a_refused_passkey_is_a_second_factor_failure_in_the_trail(personas):
    client = sign_in("mediator")
    enrol_app(client)
    client = sign_in("mediator")
    # An answer without a ceremony begun (a replay, or a forged answer) is refused.
    response = client.post(
        reverse("otp_webauthn:credential-authentication-complete"),
        data="{}",
        content_type="application/json",
    )
    assert response.status_code >= 400
    assert events(AuditAction.SECOND_FACTOR_FAILED, personas.mediator) == 1
    assert client.get(reverse("home"))["Location"].startswith(reverse("twofactor:verify"))


@required
def test_the_user_is_told_by_email_of_every_change_to_their_sign_in(personas):
    UserSettings.objects.create(user=personas.mediator, email_language="en")
    client = sign_in("mediator")
    device = enrol_app(client)
    codes = shown_codes(client)
    client.post(reverse("twofactor:recovery_regenerate"))
    new_codes = shown_codes(client)
    client = sign_in("mediator")
    client.post(reverse("twofactor:verify"), {"recovery_code": new_codes[0]})
    client.post(reverse("twofactor:remove_app", args=[device.pk]))

    sent = OutboxMessage.objects.filter(purpose="account.sign_in_changed").order_by("pk")
    bodies = [outbox_open(message).body for message in sent]
    assert [message.recipient for message in sent] == [personas.mediator] * 4
    assert {outbox_open(message).subject for message in sent} == {"Tafel: your sign-in changed"}
    assert [body.splitlines()[0] for body in bodies] == [
        "A second sign-in step was added to your Tafel account.",
        "New recovery codes were made for your Tafel account; the old ones stopped working.",
        "A recovery code was used to sign in to your Tafel account.",
        "A second sign-in step was removed from your Tafel account.",
    ]
    # The message says what happened, never a code or the key.
    for body in bodies:
        assert not [code for code in codes + new_codes if code in body]
        assert selectors.app_secret_text(device).replace(" ", "") not in body.replace(" ", "")
