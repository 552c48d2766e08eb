"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Playwright cannot download its own browser here, so it launches the system's `chromium`.
axe-core (from npm, `node_modules/`) checks every visited page against WCAG 2.1 A and AA.
"""

import contextlib
import json
import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from tests.factories import TEST_PASSWORD

# The live server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDE, NARROW = 1280, 320  # a desktop, and WCAG 1.4.10's 320 CSS px (a 1280 px screen at 400 %)
VIEWPORT_HEIGHT = 720

# The element or text that sticks out furthest past the viewport, to name in a failure.
WIDEST_OFFENDER = """() => {
  const limit = window.innerWidth;
  let worst = null;
  const note = (right, node, el) => {
    if (right > limit + 0.5 && (!worst || right > worst.right)) {
      const id = el.id ? '#' + el.id : '';
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      worst = {right: Math.round(right), element: el.tagName.toLowerCase() + id + cls,
               text: (node.textContent || '').trim().slice(0, 60)};
    }
  };
  for (const el of document.body.querySelectorAll('*')) {
    note(el.getBoundingClientRect().right, el, el);
  }
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    range.selectNodeContents(walker.currentNode);
    note(range.getBoundingClientRect().right, walker.currentNode, walker.currentNode.parentElement);
  }
  return worst;
}"""

# Table headers broken inside a word ("Rol/e"): a word whose letters span two line boxes.
BROKEN_HEADERS = """() => {
  const broken = [];
  const range = document.createRange();
  for (const th of document.querySelectorAll('th')) {
    if (th.offsetParent === null) continue;
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      // Words between spaces, hyphens and slashes: a line may end after a hyphen or slash.
      for (const word of node.data.matchAll(/[^\\s\\/\\u002d\\u2010]+/g)) {
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const tops = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
        if (tops.size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if not executable:
        pytest.fail("Chromium is not installed: run `apt-get install -y chromium` (see README).")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is not installed: run `npm ci` (see README).")
    return AXE_SCRIPT


@pytest.fixture
def check_accessibility(axe_script):
    """Run axe-core on the page; fail listing every WCAG 2.1 A/AA violation."""

    def check(page, name: str) -> None:
        # A click that submits a form returns once the next page is committed, before the
        # browser has parsed it: until then there is no `document.head` to inject axe into,
        # and the screenshot would show half a page.
        page.wait_for_load_state("load")
        if not page.evaluate("typeof window.axe !== 'undefined'"):  # once per page, not per width
            # Evaluated, not added as a <script> tag: the Content-Security-Policy refuses
            # inline scripts, and the tests must not loosen it.
            page.evaluate(axe_script.read_text(encoding="utf-8"))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
            AXE_TAGS,
        )
        violations = [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "help": violation["help"],
                "targets": [node["target"] for node in violation["nodes"]],
            }
            for violation in result["violations"]
        ]
        print(f"axe {name} ({page.url}): {len(violations)} violations")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        assert violations == [], f"{name}: " + json.dumps(violations, indent=2)

    return check


@pytest.fixture
def check_reflow(check_accessibility):
    """Check the page at 1280 px (axe, whole headers) and at 320 px (axe, no horizontal
    scrolling), with a screenshot at each width; the viewport is left at 1280 px."""

    def check(page, name: str) -> None:
        page.set_viewport_size({"width": WIDE, "height": VIEWPORT_HEIGHT})
        check_accessibility(page, f"{name}-{WIDE}")
        broken = page.evaluate(BROKEN_HEADERS)
        assert broken == [], f"{name}: table headers break inside a word: {broken}"
        page.set_viewport_size({"width": NARROW, "height": VIEWPORT_HEIGHT})
        try:
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            offender = page.evaluate(WIDEST_OFFENDER) if scroll_width > NARROW else None
            assert scroll_width <= NARROW, (
                f"{name} ({page.url}) scrolls sideways at {NARROW} px: {scroll_width} px wide, "
                f"widest element {offender}"
            )
            check_accessibility(page, f"{name}-{NARROW}")
        finally:
            page.set_viewport_size({"width": WIDE, "height": VIEWPORT_HEIGHT})

    return check


@pytest.fixture
def log_in():
    """Log in through the login form, as a person would."""

    def log_in_as(page, base_url: str, username: str) -> None:
        page.goto(f"{base_url}/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(TEST_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base_url}/")

    return log_in_as


# Content-Security-Policy (issue 17): every violation the browser reports fails the test. The
# listener runs in every page before the page's own scripts (an init script is not subject to
# the policy) and reports each `securitypolicyviolation` event on the console.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  console.error('CSP violation: ' + event.effectiveDirective + ' refused '
    + (event.blockedURI || 'inline') + ' on ' + event.documentURI
    + (event.sourceFile ? ' at ' + event.sourceFile + ':' + event.lineNumber : '')
    + (event.sample ? ' (' + event.sample + ')' : ''));
}, true);
"""


def _is_csp_violation(text: str) -> bool:
    return text.startswith("CSP violation: ") or "Content Security Policy" in text


@pytest.fixture(autouse=True)
def csp_violations(monkeypatch):
    """Collect the CSP violations of every browser context the test opens; fail if any."""
    violations: list[str] = []
    contexts = []
    new_context = Browser.new_context

    def new_context_watched(self, *args, **kwargs):
        context = new_context(self, *args, **kwargs)
        context.add_init_script(script=CSP_LISTENER)
        context.on(
            "console",
            lambda message: _is_csp_violation(message.text) and violations.append(message.text),
        )
        contexts.append(context)
        return context

    monkeypatch.setattr(Browser, "new_context", new_context_watched)
    yield violations
    for context in contexts:  # let the last page's console events arrive
        for open_page in context.pages:
            with contextlib.suppress(PlaywrightError):  # a closed page has nothing more to say
                open_page.evaluate("0")
    assert violations == [], "The browser reported CSP violations:\n" + "\n".join(violations)
