"""CSRF and open redirects (issue 17, point 9): a POST without the CSRF token is refused by
every view and changes nothing; no `next` parameter sends a user to another site."""

from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD
from tests.security.test_headers import _example, _patterns

API = "/api/v1/"
ELSEWHERE = (
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "https:evil.example",
    "http://testserver@evil.example/",
    " https://evil.example/",
    "javascript:alert(1)",
)


def stays_here(location: str) -> bool:
    url = urlparse(location)
    return (
        url.scheme in ("", "http")
        and url.netloc in ("", "testserver")
        and location.startswith("/")
        and not location.startswith(("//", "/\\"))
    )


@pytest.mark.parametrize("persona", ["supervisor", "mediator", "coordinator", None])
def test_a_post_without_the_csrf_token_is_refused_by_every_view(planted, personas, persona):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    if persona:
        client.force_login(getattr(personas, persona))
    paths = [_example(route, planted.case.pk) for route in _patterns(get_resolver())]
    paths += list(planted.public_paths.values())
    events = AuditEvent.objects.count()

    for path in paths:
        response = client.post(path, {"action": "create", "name": "accept", "decision": "x"})
        if path.startswith(API):
            # The API reads no session or cookie, only a bearer token, which another site
            # cannot make a browser send: refused as unauthenticated (or not offered).
            assert response.status_code in (401, 404, 405), path
        else:
            assert response.status_code == 403, path

    # The API records each call it refuses (tests/api/test_audit.py); nothing else happened.
    assert AuditEvent.objects.exclude(action=AuditAction.API_CALL).count() == events


def test_with_the_token_the_same_post_goes_through(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    client.force_login(personas.mediator)
    page = client.get(reverse("scheduling:feed_settings"))
    token = page.context["csrf_token"]

    response = client.post(
        reverse("scheduling:feed_settings"), {"action": "create", "csrfmiddlewaretoken": token}
    )

    assert response.status_code in (200, 302)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_login_never_sends_a_user_elsewhere(personas, target):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(
        reverse("login") + "?next=x",
        {"username": "mediator", "password": TEST_PASSWORD, "next": target},
    )

    assert response.status_code == 302
    assert stays_here(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_language_switch_logout_and_stay_signed_in_never_send_a_user_elsewhere(
    personas, target
):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.mediator)
    posts = [
        (reverse("set_language"), {"language": "nl", "next": target}),
        (reverse("idle_session"), {"next": target}),
        (reverse("logout"), {"next": target}),
    ]
    for path, data in posts:
        response = client.post(path, data, HTTP_REFERER=target)
        location = response.get("Location", "/")
        assert stays_here(location), (path, location)


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_lifecycle_step_never_sends_a_user_elsewhere(in_intake, personas, target):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:transition", args=[in_intake.pk]), {"name": "withdraw", "next": target}
    )

    assert response.status_code in (302, 409)
    if response.status_code == 302:
        assert stays_here(response["Location"]), response["Location"]
