"""Two-factor sign-in in real Chromium (issue 17, point 2): enrol and sign in with a time-based
code, and with a passkey through Chromium's virtual authenticator (the DevTools Protocol's
WebAuthn domain). Every enrolment and verify page passes axe in Dutch and English at 1280 and
320 px, with no CSP violation (the `csp_violations` fixture)."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from audit.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD
from twofactor.models import AppDevice, RecoveryCode

pytestmark = pytest.mark.django_db(transaction=True)

HEADINGS = {
    "nl": {
        "start": "Inloggen in twee stappen",
        "app": "Een authenticator-app instellen",
        "passkey": "Een passkey instellen",
        "codes": "Uw herstelcodes",
        "verify": "Bevestig dat u het bent",
    },
    "en": {
        "start": "Two-step sign-in",
        "app": "Set up an authenticator app",
        "passkey": "Set up a passkey",
        "codes": "Your recovery codes",
        "verify": "Confirm it is you",
    },
}


@pytest.fixture
def required(settings, live_server):
    """Production's rule: a second factor is required; passkeys from the live server's origin
    (http://localhost is a secure context, so WebAuthn works without TLS)."""
    settings.TAFEL_REQUIRE_2FA = True
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")


def sign_in_with_password(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(TEST_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def app_code(secret: str, offset: int = 0) -> str:
    """The code an authenticator app shows for the key on the page (offset: steps later),
    computed with django-otp's TOTP as RFC 6238 says."""
    plain = secret.replace(" ", "")
    clock = TOTP(b32decode(plain + "=" * (-len(plain) % 8)), step=30, t0=0, digits=6)
    clock.time = time.time() + 30 * offset
    return f"{clock.token():06d}"


def unused_code(secret: str, username: str) -> str:
    """The app's code for the first half minute after the one last accepted (django-otp takes a
    step once, and one step either side of now): now, or the next one when now was used."""
    used = AppDevice.objects.get(user__username=username, confirmed=True).last_t
    return app_code(secret, offset=max(0, used + 1 - int(time.time()) // 30))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_mediator_enrols_an_app_and_signs_in_with_a_time_based_code(
    browser, live_server, personas, in_intake, required, check_reflow, lang
):
    base = live_server.url
    text = HEADINGS[lang]
    page = browser.new_context(locale=lang).new_page()
    sign_in_with_password(page, base, "mediator")

    # No case before enrolment: the case page sends the mediator to the guided start.
    page.goto(f"{base}/cases/{in_intake.pk}/")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["start"])
    check_reflow(page, f"2fa-start-{lang}")

    page.locator("main a[href^='/accounts/two-factor/app/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["app"])
    expect(page.locator("img.qr")).to_be_visible()
    check_reflow(page, f"2fa-app-{lang}")
    secret = page.locator("#secret-key").inner_text()

    # A wrong code: refused, the error announced and next to the field.
    right = app_code(secret)
    page.locator("#id_code").fill(f"{(int(right) + 1) % 1_000_000:06d}")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_attached()
    expect(page.locator("#id_code")).to_have_attribute("aria-invalid", "true")
    check_reflow(page, f"2fa-app-wrong-{lang}")
    page.wait_for_timeout(2100)  # django-otp's throttle: after a failure, wait a second or two

    page.locator("#id_code").fill(app_code(secret))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["codes"])
    codes = page.locator("ol.codes code").all_inner_texts()
    assert len(codes) == 10
    check_reflow(page, f"2fa-codes-{lang}")
    page.locator("main a.button").click()
    # The case the mediator asked for opens now.
    expect(page).to_have_url(f"{base}/cases/{in_intake.pk}/")

    # A new sign-in: the password, then the code before anything else.
    page.context.clear_cookies()
    sign_in_with_password(page, base, "mediator")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["verify"])
    check_reflow(page, f"2fa-verify-{lang}")
    # The code used at enrolment does not work again; the app shows the next one soon.
    page.locator("#id_code").fill(unused_code(secret, "mediator"))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(f"{base}/")

    device = AppDevice.objects.get(user=personas.mediator)
    assert device.confirmed
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_ENROLLED.value, actor=personas.mediator
    ).exists()
    assert RecoveryCode.objects.filter(device__user=personas.mediator).count() == 10


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_mediator_registers_a_passkey_and_signs_in_with_it(
    browser, live_server, personas, required, check_reflow, lang
):
    base = live_server.url
    text = HEADINGS[lang]
    page = browser.new_context(locale=lang).new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )["authenticatorId"]

    sign_in_with_password(page, base, "mediator")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/\?next="))
    page.locator("main a[href^='/accounts/two-factor/passkey/']").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(text["passkey"])
    button = page.locator("#passkey-register-button")
    expect(button).to_be_visible()
    check_reflow(page, f"2fa-passkey-{lang}")
    button.click()
    # The passkey is made; the page goes on to the recovery codes.
    expect(page.get_by_role("heading", level=1)).to_have_text(text["codes"])
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert len(credentials["credentials"]) == 1
    assert WebAuthnCredential.objects.filter(user=personas.mediator, confirmed=True).count() == 1
    page.locator("main a.button").click()
    expect(page).to_have_url(f"{base}/")

    page.context.clear_cookies()
    sign_in_with_password(page, base, "mediator")
    expect(page).to_have_url(re.compile(r"/accounts/two-factor/verify/"))
    verify_button = page.locator("#passkey-verification-button")
    expect(verify_button).to_be_visible()
    check_reflow(page, f"2fa-verify-passkey-{lang}")
    verify_button.click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Signed in for real: a page behind the second step opens.
    page.goto(f"{base}/accounts/settings/")
    expect(page).to_have_url(f"{base}/accounts/settings/")
    assert AuditEvent.objects.filter(
        action=AuditAction.SECOND_FACTOR_ENROLLED.value, actor=personas.mediator
    ).exists()
    page.context.close()
