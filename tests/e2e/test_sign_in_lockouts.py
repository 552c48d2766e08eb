"""Sign-in throttling in a real browser: the paused login page and the supervisor's lockouts
page, with axe in Dutch and English at 1280 and 320 px, and unlocking by keyboard as a person
would (issue 17)."""

import pytest
from playwright.sync_api import expect

from audit.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

PAUSED = {"nl": "Inloggen is gepauzeerd", "en": "Signing in is paused"}
HEADING = {"nl": "Blokkades bij inloggen", "en": "Sign-in lockouts"}
UNLOCK = {"nl": "Vrijgeven", "en": "Unlock"}
CONFIRM = {"nl": "Ja, vrijgeven", "en": "Yes, unlock"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_paused_sign_in_says_so_and_a_supervisor_unlocks_it(
    browser, live_server, personas, log_in, check_reflow, lang
):
    page = browser.new_context(locale=lang).new_page()
    for attempt in range(5):
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill("mediator")
        page.locator("#id_password").fill(f"wrong password {attempt}")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(PAUSED[lang])
    check_reflow(page, f"login-paused-{lang}")

    supervisor = browser.new_context(locale=lang).new_page()
    log_in(supervisor, live_server.url, "supervisor")
    supervisor.goto(f"{live_server.url}/accounts/lockouts/")
    expect(supervisor.get_by_role("heading", level=1)).to_have_text(HEADING[lang])
    check_reflow(supervisor, f"lockouts-{lang}")
    # By keyboard: the row's link, then the confirmation's button.
    unlock = supervisor.get_by_role("link", name=f"{UNLOCK[lang]} account mediator")
    unlock.focus()
    with supervisor.expect_navigation():
        supervisor.keyboard.press("Enter")
    check_reflow(supervisor, f"lockouts-confirm-{lang}")
    supervisor.get_by_role("button", name=CONFIRM[lang]).focus()
    with supervisor.expect_navigation():
        supervisor.keyboard.press("Enter")

    expect(supervisor.get_by_role("status")).to_contain_text("mediator")
    assert AuditEvent.objects.filter(action=AuditAction.UNLOCKED).count() == 1
    log_in(page, live_server.url, "mediator")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
