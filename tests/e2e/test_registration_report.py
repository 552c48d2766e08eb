"""The mediator's registration report in a real browser: axe in Dutch and English at 1280 and
320 px, for a mediator's own report, a wrong period, and a supervisor picking a mediator."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Outcome
from tests.dossier.test_registration import mediation

pytestmark = pytest.mark.django_db(transaction=True)

HEADING = {"nl": "Registratierapport (MfN)", "en": "Registration report (MfN)"}
NOT_MET = {"nl": "Niet gehaald", "en": "Not met"}
BACKWARDS = {
    "nl": "De periode moet beginnen op of vóór de laatste dag.",
    "en": "The period must start on or before its last day.",
}


@pytest.fixture
def mediations(personas):
    """Three closed cases with a written agreement (one co-mediated), ended this year."""
    today = timezone.localdate()
    for days, mediators in (
        (10, [personas.mediator]),
        (20, [personas.mediator]),
        (30, [personas.comediator, personas.mediator]),
    ):
        mediation(
            personas.coordinator,
            mediators,
            ended_on=today - timedelta(days=days),
            approved=True,
            outcome=Outcome.FULL_AGREEMENT,
            minutes=150,
        )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_registration_report_is_accessible_in_each_state(
    browser, live_server, personas, mediations, log_in, check_reflow, lang
):
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "mediator")

    # From the menu, as a mediator finds it.
    page.goto(f"{live_server.url}/")
    with page.expect_navigation():
        page.locator("nav a[href='/dossier/registration/']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING[lang])
    expect(page.locator("main table").first).to_contain_text(NOT_MET[lang])
    check_reflow(page, f"registration-own-{lang}")

    page.locator("#id_start").fill("2025-12-31")
    page.locator("#id_end").fill("2025-01-01")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(BACKWARDS[lang])
    check_reflow(page, f"registration-wrong-period-{lang}")
    page.context.close()

    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "supervisor")
    page.goto(f"{live_server.url}/dossier/registration/")
    check_reflow(page, f"registration-supervisor-pick-{lang}")
    page.locator("#id_mediator").select_option(str(personas.comediator.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator("main table").nth(1).locator("tbody tr")).to_have_count(1)
    check_reflow(page, f"registration-supervisor-{lang}")
    page.context.close()
