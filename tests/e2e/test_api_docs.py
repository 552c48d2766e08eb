"""The API's docs page in a real browser: Swagger UI, served from Tafel itself, draws every
operation of the schema under the site's Content-Security-Policy (any violation fails the
test, `csp_violations` in conftest.py)."""

from playwright.sync_api import expect


def test_the_api_docs_page_shows_every_operation_without_a_csp_violation(browser, live_server, db):
    page = browser.new_context(locale="en").new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(live_server.url) else None
        ),
    )

    page.goto(f"{live_server.url}/api/v1/docs/")

    for summary in (
        "Refer a conflict",
        "List this client's referrals",
        "List the kinds of conflict",
    ):
        expect(page.get_by_text(summary)).to_be_visible(timeout=15_000)
    expect(page.get_by_role("button", name="Authorize")).to_be_visible()
    assert outside == [], "the docs page loads everything from Tafel itself"
