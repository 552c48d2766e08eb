"""The accessibility check waits for the page to load: it once injected axe-core into a page
the browser had committed but not yet parsed, and failed with `Cannot read properties of null
(reading 'appendChild')` (there was no `document.head` yet)."""

import threading

import pytest
from django.http import StreamingHttpResponse
from django.urls import include, path

from mediation import views

# The slow page's second half waits for this; the test sets it.
rest_of_the_page = threading.Event()


def accessibility_statement_slowly(request):
    """The accessibility statement, sent in two parts: up to `<head>`, then the rest once
    `rest_of_the_page` is set (at most 30 seconds later)."""
    html = views.accessibility_statement(request).content.decode()
    head = html.index("<head>")

    def parts():
        yield html[:head]
        rest_of_the_page.wait(timeout=30)
        yield html[head:]

    return StreamingHttpResponse(parts(), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("slow/accessibility/", accessibility_statement_slowly),
    path("", include("mediation.urls")),
]


@pytest.fixture
def slow_page():
    rest_of_the_page.clear()
    yield
    rest_of_the_page.set()  # never leave the live server's thread waiting


@pytest.mark.urls(__name__)
def test_the_accessibility_check_waits_for_a_page_that_is_still_loading(
    browser, live_server, slow_page, check_accessibility
):
    page = browser.new_context(locale="en").new_page()

    page.goto(f"{live_server.url}/slow/accessibility/", wait_until="commit")
    # The browser has the page's first bytes and no more: no head to inject a script into.
    assert page.evaluate("document.readyState") == "loading"
    assert page.evaluate("document.head") is None
    # The server sends the rest while the check runs, as a busy one would. The delay only has
    # to outlast the start of the check (sending axe-core to a page took 0.5 s on a busy
    # machine); a check that waits for the page passes however long it is.
    threading.Timer(3, rest_of_the_page.set).start()

    check_accessibility(page, "slow-accessibility-statement")

    assert page.locator("h1").count() == 1
    page.context.close()
