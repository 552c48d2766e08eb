import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("accept_language", "lang", "heading"),
    [
        ("nl-NL,nl;q=0.9", "nl", "Inloggen"),
        ("en-GB,en;q=0.9", "en", "Log in"),
        ("", "nl", "Inloggen"),
    ],
)
def test_login_page_speaks_the_browsers_language_and_dutch_by_default(
    client, accept_language, lang, heading
):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language)

    content = response.content.decode()
    assert f'<html lang="{lang}">' in content
    assert f"<h1>{heading}</h1>" in content


def test_a_language_the_product_does_not_speak_falls_back_to_dutch(client):
    content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert '<html lang="nl">' in content


@pytest.mark.parametrize(
    ("accept_language", "welcome", "cases"),
    [("nl", "Welkom, ", "Uw zaken"), ("en", "Welcome, ", "Your cases")],
)
def test_overview_speaks_the_browsers_language(client, personas, accept_language, welcome, cases):
    client.force_login(personas.mediator)

    content = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=accept_language).content.decode()

    assert welcome in content
    assert f">{cases}</h2>" in content


def test_switcher_choice_outranks_the_browser_and_returns_to_the_same_page(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})

    assert response["Location"] == reverse("login")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "<h1>Log in</h1>" in content


def test_switcher_marks_the_current_language_for_screen_readers(client):
    content = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'value="en" lang="en" aria-pressed="true"' in content
    assert 'value="nl" lang="nl" aria-pressed="false"' in content
