"""The letter templates in a real browser (issue 22): a supervisor opens the list from the menu,
opens the default invitation letter, sees a template with an unknown field refused (the message
names it) and saves a valid one as version 2; axe in Dutch and English at 1280 and 320 px on
the list, the edit page (also with the refusal) and an old version."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = {"nl": "Sjablonen voor brieven", "en": "Letter templates"}
INVITATION = {"nl": "Uitnodigingsbrief", "en": "Invitation letter"}
BUILT_IN = {"nl": "Ik nodig u uit", "en": "I invite you"}
UNKNOWN = {
    "nl": "Het sjabloon gebruikt een veld dat niet bestaat: $zaal.",
    "en": "The template uses a field that does not exist: $zaal.",
}
SAVED = {"nl": "Opgeslagen als versie 2.", "en": "Saved as version 2."}
OLD = {"nl": "Niet in gebruik: versie 2 wordt gebruikt.", "en": "Not in use: version 2 is in use."}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_supervisor_adjusts_a_letter_template(
    browser, live_server, personas, log_in, check_reflow, lang
):
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "supervisor")

    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.locator("nav a[href='/templates/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[lang])
    expect(page.locator("nav a[href='/templates/']").first).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.locator("main .empty-state")).to_be_visible()
    check_reflow(page, f"doctemplates-empty-{lang}")

    page.locator("#id_kind").select_option("invitation")
    page.locator("#id_organisation").select_option("")
    page.locator("#id_language").select_option(lang)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(INVITATION[lang])
    # The built-in wording, in the template's language.
    expect(page.locator("#id_body")).to_have_value(re.compile(BUILT_IN[lang]))
    expect(page.locator("main dl code", has_text="$how_to_answer")).to_be_visible()
    edit_url = page.url
    check_reflow(page, f"doctemplates-edit-{lang}")

    typed = "Beste $recipient_name,\nWe zien u in $zaal."
    page.locator("#id_body").fill(typed)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_contain_text(UNKNOWN[lang])
    expect(page.locator("#id_body")).to_have_value(typed)
    check_reflow(page, f"doctemplates-refused-{lang}")

    page.locator("#id_body").fill("Beste $recipient_name,\nWe zien u op $session_date.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(SAVED[lang])
    assert page.url == edit_url

    with page.expect_navigation():
        page.locator("main table a").last.click()  # version 1, the oldest
    expect(page.locator("main")).to_contain_text(OLD[lang])
    expect(page.locator("main")).to_contain_text(BUILT_IN[lang])
    check_reflow(page, f"doctemplates-version-{lang}")

    page.goto(f"{live_server.url}/templates/")
    expect(page.locator("main table tbody tr")).to_have_count(1)
    check_reflow(page, f"doctemplates-list-{lang}")
    page.context.close()
