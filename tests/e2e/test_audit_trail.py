"""The supervisor's audit trail in a real browser, in Dutch and English."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_supervisor_filters_the_trail_and_every_state_is_accessible(
    browser, live_server, personas, check_accessibility, log_in, lang
):
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "mediator")
    page.locator("header form button[type=submit]").click()
    log_in(page, live_server.url, "supervisor")

    page.locator("nav a[href='/audit/']").click()
    expect(page.locator("table caption")).to_be_visible()
    check_accessibility(page, f"audit-trail-{lang}")

    page.locator("#id_date_from").fill("2026-11-20")
    page.locator("#id_date_to").fill("2026-11-01")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator("#id_date_to")).to_have_attribute("aria-invalid", "true")
    check_accessibility(page, f"audit-trail-invalid-filter-{lang}")

    page.locator("#id_actor").fill("nobody")
    page.locator("#id_date_to").fill("")
    page.locator("form.filters button[type=submit]").click()
    expect(page.locator(".empty-state")).to_be_visible()
    check_accessibility(page, f"audit-trail-empty-{lang}")
