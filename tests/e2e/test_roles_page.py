"""The roles page in a real browser: axe in Dutch and English at 1280 and 320 px, a role given
and one taken away (with its confirmation) by keyboard, as a supervisor would."""

import pytest
from playwright.sync_api import expect

from audit.models import AuditAction, AuditEvent
from mediation.roles import Role, roles_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = {
    "nl": {"heading": "Rollen", "confirm": "Bevestig het afnemen van rollen"},
    "en": {"heading": "Roles", "confirm": "Confirm taking roles away"},
}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_roles_page_is_accessible_and_gives_and_takes_a_role(
    browser, live_server, personas, log_in, check_reflow, lang
):
    person = UserFactory(
        username="nieuwkomer", first_name="Noor", last_name="Bakker", roles=[Role.COORDINATOR]
    )
    UserFactory(username="root", is_superuser=True, is_staff=True)
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "supervisor")
    text = TEXT[lang]

    page.goto(f"{live_server.url}/accounts/roles/")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["heading"])
    check_reflow(page, f"roles-list-{lang}")

    with page.expect_navigation():
        page.locator(f"a[href='/accounts/roles/{person.pk}/']").click()
    check_reflow(page, f"roles-change-{lang}")
    # By keyboard: tick "mediator", untick "coordinator", submit.
    page.locator("input[value=mediator]").focus()
    page.keyboard.press("Space")
    page.locator("input[value=coordinator]").focus()
    page.keyboard.press("Space")
    page.locator("main form button[type=submit]").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()

    expect(page.get_by_role("heading", level=2)).to_have_text(text["confirm"])
    assert roles_of(type(person).objects.get(pk=person.pk)) == {Role.COORDINATOR}
    check_reflow(page, f"roles-confirm-{lang}")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page.get_by_role("status").first).to_be_visible()
    assert roles_of(type(person).objects.get(pk=person.pk)) == {Role.MEDIATOR}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {AuditAction.ROLE_GRANTED, AuditAction.ROLE_REVOKED} <= actions
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_role_refused_for_an_administrator_is_said_next_to_the_form(
    browser, live_server, personas, log_in, check_reflow, lang
):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    page = browser.new_context(locale=lang).new_page()
    log_in(page, live_server.url, "supervisor")

    page.goto(f"{live_server.url}/accounts/roles/{root.pk}/")
    page.locator("input[value=mediator]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()

    expect(page.locator(".form-errors")).to_be_visible()
    check_reflow(page, f"roles-refused-{lang}")
    assert not root.groups.exists()
    page.context.close()
