"""Login and the overview in a real browser: accessible, in Dutch and English, by keyboard."""

import pytest
from playwright.sync_api import expect

LANGUAGES = {"nl": ("Inloggen", "Uw zaken"), "en": ("Log in", "Your cases")}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_login_and_overview_pages_have_no_accessibility_violations(
    browser, live_server, personas, check_accessibility, log_in, lang
):
    context = browser.new_context(locale=lang)
    page = context.new_page()
    login_title, cases_title = LANGUAGES[lang]

    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("h1").inner_text() == login_title
    assert page.locator("html").get_attribute("lang") == lang
    check_accessibility(page, f"login-{lang}")

    page.locator("main form button[type=submit]").click()  # empty form: errors shown
    check_accessibility(page, f"login-errors-{lang}")
    page.goto(f"{live_server.url}/accessibility/")
    check_accessibility(page, f"accessibility-statement-{lang}")

    for persona in ("coordinator", "mediator", "supervisor"):
        log_in(page, live_server.url, persona)
        if persona == "mediator":
            expect(page.get_by_role("heading", name=cases_title)).to_be_visible()
        check_accessibility(page, f"overview-{persona}-{lang}")
        page.locator("header form button[type=submit]").click()
        check_accessibility(page, f"logged-out-{lang}")
    context.close()


def test_keyboard_user_skips_to_content_and_logs_in_without_a_mouse(browser, live_server, personas):
    page = browser.new_context(locale="en").new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    assert skip_link.evaluate("el => el === document.activeElement")
    outline = skip_link.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "id_username"
    page.keyboard.type("mediator")
    page.keyboard.press("Tab")
    page.keyboard.type("a-Long-test-passw0rd")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your cases")).to_be_visible()


def test_switching_language_in_the_browser_keeps_the_page(browser, live_server):
    page = browser.new_context(locale="nl").new_page()
    page.goto(f"{live_server.url}/accounts/login/")

    page.get_by_role("button", name="English").click()

    assert page.url == f"{live_server.url}/accounts/login/"
    assert page.locator("h1").inner_text() == "Log in"
    assert page.locator("html").get_attribute("lang") == "en"
