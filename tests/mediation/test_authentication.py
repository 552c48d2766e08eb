import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_of_the_home_page_is_sent_to_the_login_page(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"
    assert client.get(response["Location"]).status_code == 200


def test_mediator_logs_in_and_lands_on_the_overview(client, personas):
    response = client.post(
        reverse("login"), {"username": "mediator", "password": TEST_PASSWORD}, follow=True
    )

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert client.session[SESSION_KEY] == str(personas.mediator.pk)


def test_wrong_password_shows_an_error_and_logs_nobody_in(client, personas):
    response = client.post(reverse("login"), {"username": "mediator", "password": "wrong"})

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    content = response.content.decode()
    assert 'role="alert"' in content
    assert 'class="errorlist nonfield"' in content
    assert 'value="mediator"' in content  # what was typed is kept


def test_login_keeps_the_next_page_but_never_leaves_the_site(client, personas):
    good = client.post(
        f"{reverse('login')}?next=/accounts/password/",
        {"username": "mediator", "password": TEST_PASSWORD, "next": "/accounts/password/"},
    )
    client.logout()
    evil = client.post(
        reverse("login"),
        {"username": "mediator", "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )

    assert good["Location"] == "/accounts/password/"
    assert evil["Location"] == reverse("home")


def test_logout_needs_a_post_and_ends_the_session(client, personas):
    client.force_login(personas.mediator)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_password_change_refuses_a_weak_password_and_accepts_a_strong_one(client, personas):
    client.force_login(personas.mediator)
    url = reverse("password_change")

    weak = client.post(
        url, {"old_password": TEST_PASSWORD, "new_password1": "1234", "new_password2": "1234"}
    )
    strong = client.post(
        url,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "Tafel-ronde-2026!",
            "new_password2": "Tafel-ronde-2026!",
        },
    )

    assert weak.status_code == 200
    assert 'aria-invalid="true"' in weak.content.decode()
    assert strong["Location"] == reverse("password_change_done")
    personas.mediator.refresh_from_db()
    assert personas.mediator.check_password("Tafel-ronde-2026!")


def test_password_change_page_needs_login(client):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["login", "password_change"])
def test_forms_do_not_steal_focus_from_the_skip_link(client, personas, url_name):
    client.force_login(personas.mediator)
    if url_name == "login":
        client.logout()

    content = client.get(reverse(url_name)).content.decode()

    assert "<form" in content
    assert "autofocus" not in content
