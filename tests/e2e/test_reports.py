"""The report and the annual overview in a real browser: axe in Dutch and English at 1280 and
320 px (no sideways scrolling), reached from the menu, with a wrong period and a suppressed cell."""

import pytest
from playwright.sync_api import expect

from tests.reporting.figures import other_coordinators_cases, planted_cases

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = {"nl": "Rapportages", "en": "Reports"}
BACKWARDS = {
    "nl": "De periode moet beginnen op of vóór de laatste dag.",
    "en": "The period must start on or before its last day.",
}
CHART = {"nl": "Staafdiagram: Zaken per soort", "en": "Bar chart: Cases by kind"}
ANNUAL = {"nl": "Mediation in 2026: Gemeente Utrecht", "en": "Mediation in 2026: Gemeente Utrecht"}
REFERRED = {
    "nl": "Er zijn 16 conflicten aangemeld voor mediation.",
    "en": "16 conflicts were referred for mediation.",
}


@pytest.fixture
def planted(personas):
    planted_cases(personas.coordinator, personas.mediator)
    other_coordinators_cases()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_report_is_accessible_in_each_state(
    browser, live_server, personas, planted, log_in, check_reflow, lang
):
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "coordinator")

    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.locator("nav a[href='/reports/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[lang])
    expect(page.locator("nav a[href='/reports/']").first).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("img", name=CHART[lang], exact=True)).to_have_count(1)
    expect(page.locator("svg.bar-chart[role=img]")).to_have_count(5)
    expect(page.locator("#table-kind-heading + .chart-pair table")).to_contain_text("< 5")
    expect(page.locator("#table-status-heading + .chart-pair svg")).to_contain_text("< 5")
    check_reflow(page, f"reports-{lang}")

    page.locator("#id_start").fill("2026-12-31")
    page.locator("#id_end").fill("2026-01-01")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(BACKWARDS[lang])
    check_reflow(page, f"reports-wrong-period-{lang}")
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_annual_overview_is_accessible(
    browser, live_server, personas, planted, log_in, check_reflow, lang
):
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "coordinator")
    page.goto(f"{live_server.url}/reports/annual/?year=2026&organisation=Gemeente+Utrecht")
    expect(page.get_by_role("heading", level=1)).to_have_text(ANNUAL[lang])
    expect(page.locator("main")).to_contain_text(REFERRED[lang])
    check_reflow(page, f"reports-annual-{lang}")
    page.emulate_media(media="print")
    expect(page.locator("main form")).to_be_hidden()
    page.context.close()

    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/reports/annual/?year=2026")
    expect(page.locator("main")).to_contain_text("21")
    check_reflow(page, f"reports-annual-supervisor-{lang}")
    page.context.close()
