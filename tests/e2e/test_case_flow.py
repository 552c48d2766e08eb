"""Referral to intake in a real browser: coordinator, supervisor and mediator, nl and en."""

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseKind

TEXT = {
    "nl": {"refer": "Aanmelding versturen", "check": "Controleren op belangenverstrengeling"},
    "en": {"refer": "Send the referral", "check": "Check for conflicts of interest"},
}


@pytest.fixture
def kinds(transactional_db):
    CaseKind.objects.get_or_create(
        code="citizen_government",
        defaults={"name_nl": "Burger en overheid", "name_en": "Citizens and government"},
    )


def log_out(page):
    page.locator("header form button[type=submit]").click()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_referral_assignment_declaration_and_accept_are_accessible(
    browser, live_server, personas, kinds, check_accessibility, log_in, lang
):
    page = browser.new_context(locale=lang).new_page()
    url = live_server.url

    # The coordinator refers a conflict, using the keyboard for the choices.
    log_in(page, url, "coordinator")
    page.goto(f"{url}/cases/refer/")
    check_accessibility(page, f"refer-{lang}")
    page.locator("button.button[type=submit]:not([name=add_party])").click()  # empty: errors
    expect(page.locator(".form-errors")).to_be_visible()
    check_accessibility(page, f"refer-errors-{lang}")
    page.locator("#id_kind_0").check()
    page.locator("#id_title").fill("Wantrouwen rond het Julianapark")
    page.locator("#id_referring_organisation").fill("Gemeente Utrecht")
    page.locator("#id_referral_reason").fill("Bewoners voelen zich niet gehoord.")
    page.locator("#id_party-0-name").fill("Jan de Vries")
    page.locator("#id_party-1-kind").select_option("government")
    page.locator("#id_party-1-name").fill("Gemeente Utrecht, afdeling Groen")
    page.locator("#id_party-1-name").press("Enter")
    expect(page.locator("h1")).to_contain_text("MED-")
    check_accessibility(page, f"case-referrer-{lang}")
    case = Case.objects.get()
    log_out(page)

    # The supervisor assigns the mediator after checking for conflicts of interest.
    log_in(page, url, "supervisor")
    check_accessibility(page, f"overview-supervisor-queue-{lang}")
    page.goto(f"{url}/cases/{case.pk}/assign/")
    check_accessibility(page, f"assign-{lang}")
    page.locator("#id_lead").select_option(str(personas.mediator.pk))
    page.get_by_role("button", name=TEXT[lang]["check"]).click()
    check_accessibility(page, f"assign-matches-{lang}")
    page.locator("form button.button[type=submit]").first.click()
    expect(page.locator(".message-success")).to_be_visible()
    log_out(page)

    # The mediator declares no conflict and accepts the case.
    log_in(page, url, "mediator")
    page.goto(f"{url}/cases/{case.pk}/")
    check_accessibility(page, f"case-mediator-referred-{lang}")
    page.goto(f"{url}/cases/{case.pk}/declaration/")
    check_accessibility(page, f"declare-{lang}")
    page.locator("#id_declaration_0").check()
    page.locator("form button.button[type=submit]").click()
    page.locator("form[action$='/transition/'] button").first.click()
    expect(page.locator(".badge-intake")).to_be_visible()
    check_accessibility(page, f"case-mediator-intake-{lang}")
    page.goto(f"{url}/cases/{case.pk}/notes/add/")
    check_accessibility(page, f"note-form-{lang}")
    page.locator("input[name=kind]").first.check()
    page.locator("#id_title").fill("Eerste indruk")
    page.locator("#id_body").fill("Beide partijen willen verder praten.")
    page.locator("main form button[type=submit]").click()
    check_accessibility(page, f"notes-{lang}")
    page.locator("main table a").first.click()
    expect(page.locator("main")).to_contain_text("Beide partijen willen verder praten.")
    check_accessibility(page, f"note-{lang}")
    page.goto(f"{url}/cases/")
    check_accessibility(page, f"case-list-{lang}")
    page.goto(f"{url}/cases/{case.pk}/trail/")
    check_accessibility(page, f"case-trail-{lang}")
    log_out(page)

    # The coordinator sees the status and reads back their own referral, not the notes.
    log_in(page, url, "coordinator")
    page.goto(f"{url}/cases/{case.pk}/")
    expect(page.locator(".badge-intake")).to_be_visible()
    expect(page.locator("#my-referral-heading")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Bewoners voelen zich niet gehoord.")
    expect(page.locator("body")).not_to_contain_text("Eerste indruk")
