"""Content-Security-Policy and the idle warning in a real browser (issue 17, point 6).

Every browser test fails on a CSP violation (`csp_violations` in conftest.py); the first test
here shows that check can fail. The idle warning runs with times shortened by settings: it
opens, takes the focus, passes axe, keeps the user signed in with its button, and without an
answer the server signs the user out and the login page says why.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from audit.models import AuditAction, AuditEvent

STAY = {"nl": "Ingelogd blijven", "en": "Stay signed in"}
SIGNED_OUT = {"nl": "uitgelogd", "en": "signed out"}


def test_a_csp_violation_on_a_page_is_caught(browser, live_server, personas, csp_violations):
    page = browser.new_context(locale="en").new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    ran = page.evaluate(
        """() => {
          const script = document.createElement('script');
          script.textContent = 'window.plantedScriptRan = true';
          document.body.append(script);
          document.querySelector('h1').setAttribute('style', 'color: red');
          return window.plantedScriptRan === true;
        }"""
    )
    page.title()  # let the console events arrive

    assert ran is False
    assert any("script-src-elem" in text for text in csp_violations), csp_violations
    assert any("style-src-attr" in text for text in csp_violations), csp_violations
    csp_violations.clear()  # caught as it should be: this test passes


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_idle_warning_takes_the_focus_and_stay_signed_in_keeps_the_user_signed_in(
    browser, live_server, personas, settings, check_accessibility, log_in, lang
):
    settings.TAFEL_IDLE_TIMEOUT_SECONDS = 20
    settings.TAFEL_IDLE_WARNING_SECONDS = 15
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "mediator")
    page.goto(f"{live_server.url}/cases/")
    loaded = time.monotonic()

    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=10_000)
    button = dialog.get_by_role("button", name=STAY[lang])
    expect(button).to_be_focused()
    assert page.evaluate("document.getElementById('idle-warning').contains(document.activeElement)")
    expect(dialog).to_have_accessible_name(re.compile(r"\S"))
    check_accessibility(page, f"idle-warning-{lang}")

    page.keyboard.press("Enter")  # the focused button, by keyboard

    expect(dialog).to_be_hidden()
    # Past the time the page was loaded with: only the button's request kept the session.
    page.wait_for_timeout(max(0, (loaded + 21 - time.monotonic()) * 1000))
    page.goto(f"{live_server.url}/cases/")
    assert page.url == f"{live_server.url}/cases/"
    assert not AuditEvent.objects.filter(action=AuditAction.LOGOUT_IDLE).exists()


def test_without_an_answer_the_user_is_signed_out_and_told_why(
    browser, live_server, personas, settings, log_in
):
    settings.TAFEL_IDLE_TIMEOUT_SECONDS = 8
    settings.TAFEL_IDLE_WARNING_SECONDS = 5
    page = browser.new_context(locale="en").new_page()
    log_in(page, live_server.url, "mediator")
    page.goto(f"{live_server.url}/cases/")

    expect(page.get_by_role("alertdialog")).to_be_visible(timeout=8_000)
    page.wait_for_url(re.compile(r"/accounts/login/\?next=(/|%2F)cases(/|%2F)$"), timeout=15_000)

    expect(page.locator(".messages")).to_contain_text(SIGNED_OUT["en"])
    event = AuditEvent.objects.get(action=AuditAction.LOGOUT_IDLE)
    assert event.actor_id == personas.mediator.pk
