"""A mediator's day on the demo data, in a real browser: the home shows what needs them and
each line leads to where it is handled; the to-do list and the board show the demo cases; a
phone call recorded afterwards joins the case's session history and contact time."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from mediation.outbox import outbox_drain
from tests.e2e.test_all_pages import log_in_demo


@pytest.fixture
def demo(transactional_db, settings, tmp_path, live_server):
    """The demo data, its mail in a development mailbox of its own, links pointing here."""
    settings.EMAIL_BACKEND = "mediation.mail.DevMailboxBackend"
    settings.VAR_DIR = tmp_path
    settings.TAFEL_BASE_URL = live_server.url
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_mediators_day_starts_on_the_home_and_every_line_leads_somewhere(
    browser, live_server, demo, check_accessibility, lang
):
    page = browser.new_context(locale=lang).new_page()
    log_in_demo(page, live_server.url, "mediator")
    check_accessibility(page, f"day-home-{lang}")
    home = page.url

    # Each part of "what needs you now", with the demo's line in it and where it leads.
    expected = {
        "#invites-heading": "/sessions/",  # a party declined tomorrow's joint session
        "#approvals-heading": "/agreement/",  # the drafted agreement waits for approvals
        "#actions-heading": "/agreement/",  # the municipality's action is overdue
    }
    for heading, target in expected.items():
        links = page.locator(f"ul[aria-labelledby='{heading[1:]}'] a")
        assert links.count() >= 1, heading
        href = links.first.get_attribute("href")
        assert target in href, (heading, href)
    assert page.locator(".badge-alert").count() >= 2  # the declined invite, the overdue action

    # Tomorrow's session is on the home, and its link opens the session page.
    week = page.locator("ul[aria-labelledby='week-heading'] a")
    assert week.count() >= 1
    week.first.click()
    page.wait_for_load_state("load")
    assert "/sessions/" in page.url
    assert page.locator("h1").count() == 1
    page.goto(home)

    for heading in expected:
        page.locator(f"ul[aria-labelledby='{heading[1:]}'] a").first.click()
        page.wait_for_load_state("load")
        assert page.locator("h1").count() == 1
        page.goto(home)

    # The to-do list and the board show the demo cases.
    page.goto(f"{live_server.url}/todo/")
    check_accessibility(page, f"day-todo-{lang}")
    assert page.locator("ol.todo-list > li").count() >= 3
    page.goto(f"{live_server.url}/board/")
    check_accessibility(page, f"day-board-{lang}")
    cards = page.locator(".board-card")
    assert cards.count() >= 5
    assert page.locator(".board-card form button").count() >= 1


def test_the_board_moves_a_case_by_keyboard_and_says_what_is_missing(browser, live_server, demo):
    page = browser.new_context(locale="en").new_page()
    log_in_demo(page, live_server.url, "mediator")
    page.goto(f"{live_server.url}/board/")

    # The case in the agreement column cannot start its follow-up: no party approved yet.
    column = page.locator("section[aria-labelledby='column-agreement']")
    button = column.locator("form button").first
    reference = column.locator(".board-card-title a").first.inner_text()
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Refused (409): the case's page says what is missing, with the way back to the board.
    assert page.url.endswith("/transition/")
    messages = page.locator(".messages")
    assert reference in messages.inner_text()
    assert "approves version" in messages.inner_text()
    back = page.get_by_role("link", name="Back to where you were")
    assert back.get_attribute("href").endswith("/board/#column-agreement")
    with page.expect_navigation():
        back.click()
    # Nothing moved: the case is still in the agreement column.
    assert column.locator(".board-card-title a", has_text=reference).count() == 1


def test_a_phone_call_recorded_afterwards_joins_the_history_and_the_contact_time(
    browser, live_server, demo, check_accessibility
):
    page = browser.new_context(locale="en").new_page()
    log_in_demo(page, live_server.url, "mediator")
    # The case of tomorrow's session, reached from the home.
    href = page.locator("ul[aria-labelledby='invites-heading'] a").first.get_attribute("href")
    case_id = re.search(r"/cases/(\d+)/", href).group(1)
    page.goto(f"{live_server.url}/cases/{case_id}/")
    before = page.locator(".contact-time strong").inner_text()
    held_before = page.locator("ul[aria-labelledby='sessions-past'] > li").count()

    page.get_by_role("link", name="Record a session afterwards").click()
    page.wait_for_load_state("load")
    check_accessibility(page, "day-record-en")
    page.get_by_label("Individual intake").check()
    page.get_by_label("Phone call").check()
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Date").fill(yesterday.isoformat())
    page.get_by_label("Start time").fill("10:00")
    page.get_by_label("Duration").fill("25")
    page.locator("input[name='participations']").first.check()
    with page.expect_navigation():
        page.get_by_role("button", name="Record the session").click()

    assert page.url.rstrip("/").endswith(f"/cases/{case_id}") or "/sessions/" in page.url
    page.goto(f"{live_server.url}/cases/{case_id}/")
    past = page.locator("ul[aria-labelledby='sessions-past'] > li")
    assert past.count() == held_before + 1
    assert (
        "phone call, recorded afterwards"
        in page.locator("ul[aria-labelledby='sessions-past']").inner_text()
    )
    after = page.locator(".contact-time strong").inner_text()
    assert (before, after) == ("2 h", "2 h 25 min")


def test_the_mediators_emails_are_in_the_development_mailbox(browser, live_server, demo):
    outbox_drain()
    page = browser.new_context(locale="en").new_page()
    log_in_demo(page, live_server.url, "mediator")

    page.goto(f"{live_server.url}/dev/mailbox/")

    rows = page.locator("main tbody tr")
    to_mediator = [
        rows.nth(i).inner_text()
        for i in range(rows.count())
        if "mediator@tafel.example" in rows.nth(i).inner_text()
    ]
    text = "\n".join(to_mediator)
    # In the mediator's email language: Dutch, the default.
    assert "u bent toegewezen aan zaak MED-" in text
    assert "een partij heeft een gesprek afgezegd" in text
    assert "alle partijen hebben de overeenkomst goedgekeurd" in text
    # Nothing confidential: the demo's note, party address and agreement text are not there.
    page.locator("main tbody tr", has_text="een partij heeft een gesprek afgezegd").locator(
        "a"
    ).first.click()
    page.wait_for_load_state("load")
    body = page.locator("main").inner_text()
    assert "MED-" in body and "yusuf.demir@example.nl" not in body
