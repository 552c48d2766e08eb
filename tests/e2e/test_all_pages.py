"""Every page a mediator, a supervisor and a coordinator reach from the demo data, checked
with axe-core in Dutch and English at 1280 px and at 320 px (no horizontal scrolling: WCAG 2.1
1.4.10 Reflow): a small crawler follows the links on each page. The pages without an account
(login, answer links) are checked at both widths too."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from agreements.models import Agreement
from agreements.services.approvals import approval_token
from scheduling.models import Session, SessionStatus
from scheduling.rsvp import rsvp_token

# Links a crawler must not follow: they act, download or leave the page's purpose.
SKIP = re.compile(r"(logout|/export\.csv|\.ics$|/print/|/dev/mailbox/.+/\d+/$|/admin/)")
PAGE_LIMIT = 40
# Confidential demo content: a note title and text, a party's name and address, agreement text.
SECRETS = (
    "Intakegesprek met de heer Demir",
    "Let op de spreektijd",
    "Yusuf Demir",
    "yusuf.demir@example.nl",
    "na 22.00 uur is het er stil",
)


@pytest.fixture
def demo(transactional_db, settings):
    call_command("demo_data", stdout=open("/dev/null", "w"))  # noqa: SIM115


def crawl(page, base_url: str, start: str, limit: int) -> list[str]:
    seen, queue = [], [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        page.goto(base_url + path)
        seen.append(path)
        yield path
        for href in page.eval_on_selector_all("main a[href]", "els => els.map(e => e.href)"):
            url = urlparse(urljoin(page.url, href))
            if url.netloc == urlparse(base_url).netloc and not SKIP.search(url.path):
                target = url.path + (f"?{url.query}" if url.query and "page=" in url.query else "")
                if target not in seen and target not in queue:
                    queue.append(target)


def log_in_demo(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize(
    ("username", "start"),
    [("mediator", "/cases/"), ("supervisor", "/cases/queue/"), ("coordinator", "/cases/")],
)
def test_every_page_reached_from_the_demo_is_accessible(
    browser, live_server, demo, check_reflow, username, start, lang
):
    page = browser.new_context(locale=lang).new_page()
    log_in_demo(page, live_server.url, username)

    visited = []
    for path in crawl(page, live_server.url, start, PAGE_LIMIT):
        assert page.locator("h1").count() == 1, path
        name = f"{username}-{lang}-" + (re.sub(r"[^a-z0-9]+", "-", path).strip("-") or "home")
        check_reflow(page, name)
        if username != "mediator":  # the coordinator and supervisor never see the content
            content = page.content()
            assert not [secret for secret in SECRETS if secret in content], path
        visited.append(path)

    print(f"{username} ({lang}): {len(visited)} pages checked")
    assert len(visited) >= 3


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_pages_without_an_account_reflow_at_320_px(browser, live_server, demo, check_reflow, lang):
    session = Session.objects.filter(status=SessionStatus.PLANNED).first()
    attendee = session.attendees.filter(participation__isnull=False, removed_at__isnull=True)[0]
    agreement = Agreement.objects.first()
    participation = agreement.case.participations.filter(removed_at__isnull=True).first()
    pages = {
        "login": "/accounts/login/",
        "accessibility": "/accessibility/",
        "rsvp": "/invite/" + rsvp_token(attendee, sequence=session.sequence) + "/",
        "rsvp-problem": "/invite/not-a-valid-link/",
        "agreement-answer": "/cases/agreement/answer/"
        + approval_token(agreement=agreement, participation=participation)
        + "/",
        "agreement-answer-problem": "/cases/agreement/answer/not-a-valid-link/",
    }
    page = browser.new_context(locale=lang).new_page()
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        check_reflow(page, f"public-{lang}-{name}")
