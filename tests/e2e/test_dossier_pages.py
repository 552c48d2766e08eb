"""The supervisor's retention and data-rights pages in a real browser: axe in Dutch and English
at 1280 and 320 px, and the destruction list carried out by keyboard and mouse as a person
would."""

from datetime import date

import pytest
from playwright.sync_api import expect

from cases.models import Case, Note
from cases.services import note_write
from dossier.models import DestructionList, ListStatus
from dossier.services import destruction_propose, legal_hold_set
from tests.cases.agreement_helpers import (  # noqa: F401 - fixtures
    drafted,
    in_agreement,
    in_follow_up,
)
from tests.dossier.conftest import close

pytestmark = pytest.mark.django_db(transaction=True)

HEADINGS = {
    "nl": ("Vernietigingslijsten", "Verzoeken over persoonsgegevens", "Register van verwerkingen"),
    "en": ("Destruction lists", "Requests about personal data", "Register of processing"),
}


@pytest.fixture
def ended_long_ago(in_follow_up, personas):  # noqa: F811 - the fixture imported above
    """A case with a note, closed with full agreement, its end moved six years back in the
    database."""
    note_write(
        case=in_follow_up, author=personas.mediator, kind="dossier", title="Verslag", body="Tekst"
    )
    case = close(in_follow_up, personas.mediator)
    Case.objects.filter(pk=case.pk).update(ended_on=date(2020, 11, 2))
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_dossier_pages_are_accessible_and_a_list_is_carried_out(
    browser, live_server, personas, ended_long_ago, log_in, check_reflow, lang
):
    proposal = destruction_propose(actor=personas.supervisor)
    page = browser.new_context(locale=lang).new_page()
    lists_heading, people_heading, register_heading = HEADINGS[lang]
    log_in(page, live_server.url, "supervisor")

    page.goto(f"{live_server.url}/dossier/destruction/")
    expect(page.get_by_role("heading", level=1)).to_have_text(lists_heading)
    check_reflow(page, f"dossier-lists-{lang}")

    page.goto(f"{live_server.url}/dossier/destruction/{proposal.pk}/")
    check_reflow(page, f"dossier-list-proposed-{lang}")
    with page.expect_navigation():
        page.locator("form:has(input[value=approve]) button").click()
    expect(page.get_by_role("status").first).to_be_visible()
    # Carrying out without the confirmation is refused with the reason next to the box.
    with page.expect_navigation():
        page.locator("form:has(input[value=execute]) button").click()
    check_reflow(page, f"dossier-list-unconfirmed-{lang}")
    assert Note.objects.filter(case=ended_long_ago).exists()
    box = page.locator("input[name=confirm]")
    box.focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.locator("form:has(input[value=execute]) button").click()
    assert DestructionList.objects.get(pk=proposal.pk).status == ListStatus.EXECUTED
    check_reflow(page, f"dossier-list-executed-{lang}")

    page.goto(f"{live_server.url}/dossier/destruction/{proposal.pk}/statement/")
    expect(page.get_by_role("cell", name="Jan de Vries")).to_have_count(0)
    check_reflow(page, f"dossier-statement-{lang}")

    page.goto(f"{live_server.url}/dossier/people/?q=Gemeente")
    expect(page.get_by_role("heading", level=1)).to_have_text(people_heading)
    check_reflow(page, f"dossier-people-{lang}")

    page.goto(f"{live_server.url}/dossier/register/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(register_heading)
    check_reflow(page, f"dossier-register-{lang}")
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_hold_and_person_pages_are_accessible(
    browser, live_server, personas, in_sessions, log_in, check_reflow, lang
):
    legal_hold_set(case=in_sessions, actor=personas.supervisor, reason="Klacht.")
    party = in_sessions.participations.get(party__name="Jan de Vries").party
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "supervisor")

    for path, name in (
        (f"/cases/{in_sessions.pk}/", "case-with-hold"),
        (f"/dossier/cases/{in_sessions.pk}/hold/", "hold"),
        (f"/dossier/people/{party.pk}/", "person"),
        (f"/dossier/people/{party.pk}/export/", "person-export"),
        (f"/dossier/people/{party.pk}/erase/", "person-erase"),
    ):
        page.goto(f"{live_server.url}{path}")
        check_reflow(page, f"dossier-{name}-{lang}")
    # Erasure waits for the running case, and says so next to the form.
    page.get_by_role("radio").first.check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    check_reflow(page, f"dossier-person-erase-refused-{lang}")
    page.context.close()
