"""The links opened without an account: rate limited, and tampered or expired links explain
themselves without revealing anything (issue 17).

`planted` (tests/security/conftest.py) is a case with real answer and approval links whose
case title and party name hold markers, so a page that names them is caught.
"""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from scheduling.services.feeds import feed_create
from tests.security.conftest import escaped, payload

pytestmark = pytest.mark.django_db

# What a link's page must never show when the link is refused: whose case, which parties.
SECRETS = ("case.title", "party.name", "case.referral_reason", "session.place")


def reveals(page: str, case) -> list[str]:
    found = [name for name in SECRETS if payload(name) in page or escaped(name) in page]
    return found + ([case.reference] if case.reference in page else [])


def browser(address="192.0.2.50", language="en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language, REMOTE_ADDR=address)


@pytest.mark.parametrize("link", ["rsvp", "approval"])
def test_too_many_requests_to_a_link_get_a_plain_429_page(planted, settings, link):
    settings.TAFEL_LINK_RATE_LIMIT = "3/m"
    path = planted.public_paths[link]
    client = browser()

    answers = [client.get(path) for _ in range(4)]

    assert [answer.status_code for answer in answers[:3]] == [200] * 3
    assert answers[3].status_code == 429
    page = answers[3].content.decode()
    assert "Too many requests" in page and "Nothing was changed." in page
    assert reveals(page, planted.case) == []
    # Another address is not held back.
    assert browser("192.0.2.51").get(path).status_code == 200


def test_guessing_tokens_is_held_back_too(planted, settings):
    settings.TAFEL_LINK_RATE_LIMIT = "5/m"
    client = browser()

    answers = [client.get(f"/invite/guess{n}/") for n in range(6)]

    assert [answer.status_code for answer in answers[:5]] == [400] * 5
    assert answers[5].status_code == 429


def test_the_429_page_speaks_dutch(planted, settings):
    settings.TAFEL_LINK_RATE_LIMIT = "1/m"
    client = browser(language="nl")
    client.get(planted.public_paths["approval"])

    answer = client.get(planted.public_paths["approval"])

    assert answer.status_code == 429
    assert '<html lang="nl">' in answer.content.decode()
    assert "Te veel verzoeken" in answer.content.decode()


def test_the_calendar_feed_has_its_own_higher_limit(personas, settings):
    settings.TAFEL_LINK_RATE_LIMIT = "1/m"
    settings.TAFEL_FEED_RATE_LIMIT = "3/m"
    path = f"/calendar/{feed_create(user=personas.mediator)}.ics"
    client = browser()

    answers = [client.get(path) for _ in range(4)]

    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]


def tamper(path: str) -> str:
    """Change one character of the token's signature."""
    token = path.rstrip("/").rsplit("/", 1)[1]
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    return path.replace(token, changed)


@pytest.mark.parametrize("link", ["rsvp", "approval"])
def test_an_altered_link_explains_itself_and_reveals_nothing(planted, link):
    response = browser().get(tamper(planted.public_paths[link]))

    page = response.content.decode()
    assert response.status_code == 400
    assert "This link is not complete or was changed." in page
    assert reveals(page, planted.case) == []


@pytest.mark.parametrize("link", ["rsvp", "approval"])
def test_an_expired_link_explains_itself_and_reveals_nothing(planted, link):
    # Past the session's end (answer link) and past 30 days (approval link).
    with time_machine.travel(timezone.now() + timedelta(days=40), tick=False):
        response = browser().get(planted.public_paths[link])

    page = response.content.decode()
    assert response.status_code == 410
    assert ("expired" in page) or ("answers to its invitation are closed" in page)
    assert reveals(page, planted.case) == []


def test_a_link_cut_short_explains_itself(planted):
    path = planted.public_paths["rsvp"]
    response = browser().get(path[: len(path) // 2] + "/")

    assert response.status_code in (400, 404)
    assert reveals(response.content.decode(), planted.case) == []
