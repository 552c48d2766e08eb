"""Every page a mediator, a supervisor and a coordinator reach from the demo data, checked
with axe-core in Dutch and English at 1280 px and at 320 px (no horizontal scrolling: WCAG 2.1
1.4.10 Reflow): a small crawler follows the links on each page. The pages without an account
(login, answer links) are checked at both widths too."""

import re
from collections import Counter
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from agreements.models import Agreement
from agreements.services.approvals import approval_token
from parties.models import PortalLink
from parties.portal import portal_token
from scheduling.models import Session, SessionStatus
from scheduling.rsvp import rsvp_token

# Links a crawler must not follow: they act, download or leave the page's purpose.
SKIP = re.compile(
    r"(logout|\.csv(\?.*)?$|\.ics$|/print/|/download/$|/dev/mailbox/.+/\d+/$|/admin/)"
)
PAGE_LIMIT = 50
# The case and agreement pages differ with the case's state: each is visited. Of the other
# kinds of page (a party's edit form, a session) one per role and language.
EVERY_ONE = ("/cases/N/", "/cases/N/agreement/")
LINKS = "main a[href], header nav a[href]"
# Confidential demo content: a note title and text, a party's name and address, agreement text.
# A party the demo coordinator named in their referral (the referrer reads back the names).
NAMED_BY_REFERRER = ("Yusuf Demir",)
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


def page_kind(path: str) -> str:
    """The page's URL with its ids left out: /cases/7/participants/17/edit/ is one kind."""
    return re.sub(r"\d+", "N", path)


def crawl(page, base_url: str, start: str, limit: int) -> list[str]:
    """Pages reached from `start` through the links in the menu and the page, breadth first.

    Of most kinds of page one is visited (see EVERY_ONE), so that the limit reaches every kind
    rather than six edit forms.
    """
    seen, queue, kinds = [], [start], Counter()
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or (kinds[page_kind(path)] and page_kind(path) not in EVERY_ONE):
            continue
        page.goto(base_url + path)
        seen.append(path)
        kinds[page_kind(path)] += 1
        yield path
        for href in page.eval_on_selector_all(LINKS, "els => els.map(e => e.href)"):
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
            # The coordinator named Yusuf Demir in their own referral and reads that back.
            named = NAMED_BY_REFERRER if username == "coordinator" else ()
            assert not [s for s in SECRETS if s in content and s not in named], path
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
        "survey-problem": "/survey/not-a-valid-link/",
        "portal-problem": "/p/not-a-valid-link/",
    }
    # The demo party's personal page, each of its parts.
    link = PortalLink.objects.get(revoked_at__isnull=True)
    for part in ("", "agreement/", "details/"):
        pages[f"portal-{part.strip('/') or 'home'}"] = f"/p/{portal_token(link)}/{part}"
    page = browser.new_context(locale=lang).new_page()
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        check_reflow(page, f"public-{lang}-{name}")
