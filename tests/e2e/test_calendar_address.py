"""The calendar address in a real browser: a wrapping read-only box and a copy button that
announces itself, also on a 320 px wide screen; without JavaScript the address still shows."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_calendar_address_wraps_at_320px_and_can_be_copied(
    browser, live_server, personas, check_accessibility, log_in, javascript
):
    context = browser.new_context(
        locale="en", viewport={"width": 320, "height": 800}, java_script_enabled=javascript
    )
    page = context.new_page()
    log_in(page, live_server.url, "mediator")
    page.goto(f"{live_server.url}/calendar/")
    page.get_by_role("button", name="Make my calendar address").click()

    address = page.get_by_label("Your new calendar address")
    assert ".ics" in address.input_value()
    # The box wraps the long address inside the page; the page's own frame (header, footer)
    # is the phone layout's concern.
    box = address.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320
    assert page.evaluate("document.querySelector('main').scrollWidth") <= 320
    assert address.evaluate("el => el.scrollWidth <= el.clientWidth")
    assert "earlier no longer works" not in page.content()
    copy = page.get_by_role("button", name="Copy the address")
    if javascript:
        check_accessibility(page, "calendar-address-320")
        copy.click()
        expect(page.locator("[data-copy-status]")).not_to_be_empty()
    else:
        expect(copy).to_be_hidden()
    context.close()
