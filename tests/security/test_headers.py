"""Headers on every page (issue 17, point 6): a Content-Security-Policy without `unsafe-inline`,
and pages with no inline script, style element, style attribute or event handler for it to
refuse; Permissions-Policy, Referrer-Policy and Cross-Origin-Opener-Policy besides."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.admin.sites import site as admin_site
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import UserFactory
from tests.security.conftest import crawl

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


class InlineCode(HTMLParser):
    """What the policy refuses, so a page must not hold it: a <script> without src, a <style>
    element, a style attribute, an on* event handler attribute, a javascript: URL."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        # A JSON data block (json_script) is not code: the browser never runs it.
        data_block = dict(attrs).get("type") == "application/json"
        if (tag == "script" and "src" not in names and not data_block) or tag == "style":
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=>")
            if (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}=javascript:>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def policy_of(response) -> dict[str, str]:
    header = response.get("Content-Security-Policy", "")
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (piece.strip() for piece in header.split(";"))
        if part
    }


def check_page(visit_path: str, response) -> None:
    assert policy_of(response) == POLICY, visit_path
    assert "unsafe-inline" not in response["Content-Security-Policy"], visit_path
    if response.get("Content-Type", "").startswith("text/html"):
        found = inline_code(response.content.decode())
        assert found == [], (visit_path, found)


@pytest.mark.parametrize("persona", ["mediator", "comediator", "supervisor", "coordinator"])
def test_every_page_a_persona_reaches_carries_the_policy_and_no_inline_code(crawl_as, persona):
    visits = crawl_as(persona)

    assert len(visits) >= 8
    for visit in visits:
        check_page(visit.path, visit.response)


def test_the_pages_without_an_account_and_the_error_pages_carry_the_policy(planted, personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    paths = [
        "/accounts/login/",
        "/accessibility/",
        "/dev/mailbox/",
        "/invite/not-a-valid-link/",
        "/cases/agreement/answer/not-a-valid-link/",
        *planted.public_paths.values(),
    ]
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 400), path  # 400: a link that does not work
        check_page(path, response)

    refused = client.post("/accounts/login/", {"username": "x", "password": "y"})  # no token
    assert refused.status_code == 403
    check_page("csrf failure", refused)
    client.force_login(personas.outsider)
    not_found = client.get(f"/cases/{planted.case.pk}/")
    assert not_found.status_code == 404
    check_page("404", not_found)
    no_role = client.get(reverse("cases:queue"))
    assert no_role.status_code == 403
    check_page("403", no_role)


def test_the_admin_pages_carry_the_policy_and_no_inline_code(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    paths = ["/admin/"]
    for model in admin_site._registry:
        meta = model._meta
        paths += [
            reverse("admin:app_list", args=[meta.app_label]),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        ]
    visits = crawl(client, list(dict.fromkeys(paths)), limit=200)

    assert len(visits) > len(admin_site._registry)
    for visit in visits:
        check_page(visit.path, visit.response)


def _patterns(resolver: URLResolver, prefix: str = ""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _patterns(pattern, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _example(route: str, case_id: int) -> str:
    """A URL for a route, with the planted case's id for every number and text for the rest."""
    path = re.sub(r"<int:[^>]+>", str(case_id), route)
    path = re.sub(r"<(str|slug|path):[^>]+>|<[^>:]+>", "x", path)
    return "/" + path.lstrip("^").rstrip("$")


@pytest.mark.parametrize("persona", ["supervisor", "mediator", None])
def test_every_url_pattern_answers_with_the_policy(planted, personas, persona):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if persona:
        client.force_login(getattr(personas, persona))
    routes = [route for route in _patterns(get_resolver()) if "logout" not in route]

    assert len(routes) > 40
    for route in routes:
        path = _example(route, planted.case.pk)
        response = client.get(path)
        check_page(f"{route} as {persona}", response)


def test_permissions_referrer_and_opener_policies_are_set(client):
    response = client.get("/accounts/login/")

    features = dict(
        part.strip().split("=", 1) for part in response["Permissions-Policy"].split(",")
    )
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
    # Passkeys (WebAuthn) stay allowed on Tafel's own pages.
    assert features["publickey-credentials-get"] == "(self)"
    assert features["publickey-credentials-create"] == "(self)"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
