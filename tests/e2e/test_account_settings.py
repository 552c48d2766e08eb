"""The settings page in a real browser: accessible in Dutch and English, usable by keyboard."""

import pytest
from playwright.sync_api import expect

from mediation.models import UserSettings

TEXT = {
    "nl": ("Mijn instellingen", "Mail me als", "alle partijen de overeenkomst hebben goedgekeurd"),
    "en": ("My settings", "Email me when", "All parties approved the agreement"),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_settings_page_is_accessible_and_saves_by_keyboard(
    browser, live_server, personas, check_accessibility, log_in, lang
):
    page = browser.new_context(locale=lang).new_page()
    title, legend, all_approved = TEXT[lang]
    log_in(page, live_server.url, "mediator")

    page.goto(f"{live_server.url}/accounts/settings/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("group", name=legend)).to_be_visible()
    check_accessibility(page, f"account-settings-{lang}")

    box = page.get_by_role("checkbox", name=all_approved)
    box.focus()
    page.keyboard.press("Space")
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("checkbox", name=all_approved)).not_to_be_checked()
    check_accessibility(page, f"account-settings-saved-{lang}")
    assert UserSettings.objects.get(user=personas.mediator).notices_off == ["all_approved"]
    page.context.close()
