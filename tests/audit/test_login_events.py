import json

import pytest
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_is_recorded_with_the_client_address(client, personas):
    client.post(
        reverse("login"),
        {"username": "mediator", "password": TEST_PASSWORD},
        REMOTE_ADDR="192.0.2.10",
    )

    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == personas.mediator
    assert event.client_address == "192.0.2.10"


def test_failed_login_is_recorded_without_the_password_attempt(client, personas):
    client.post(
        reverse("login"),
        {"username": "mediator", "password": "Geheim-wachtwoord-123"},
        REMOTE_ADDR="192.0.2.11",
    )

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor is None
    assert event.actor_label == "anonymous"
    assert event.details == {"username": "mediator"}
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "Geheim-wachtwoord-123" not in stored


def test_hostile_user_names_are_recorded_safely_and_the_page_still_answers(client):
    hostile = "<script>x</script>\r\nSet-Cookie: a=b\t" + "x" * 100

    response = client.post(reverse("login"), {"username": hostile, "password": "x"})

    assert response.status_code == 200
    assert "<script>x</script>" not in response.content.decode()
    recorded = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).details["username"]
    assert recorded.startswith("<script>x</script>Set-Cookie: a=b")
    assert not any(char in recorded for char in "\r\n\t")


def test_a_huge_user_name_is_refused_and_recorded_shortened(client):
    response = client.post(reverse("login"), {"username": "x" * 100_000, "password": "x"})

    assert response.status_code == 200
    assert 'class="errorlist nonfield"' in response.content.decode()
    recorded = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).details["username"]
    assert recorded == "x" * 150


def test_a_user_name_with_a_nul_character_gets_a_message_not_an_error_page(client):
    response = client.post(reverse("login"), {"username": "nul\x00byte", "password": "x"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_logout_is_recorded(client, personas):
    client.force_login(personas.coordinator)

    client.post(reverse("logout"))

    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert event.actor == personas.coordinator


def test_address_behind_a_proxy_is_the_one_the_proxy_appended(client, personas, settings):
    settings.TAFEL_BEHIND_PROXY = True

    client.post(
        reverse("login"),
        {"username": "mediator", "password": TEST_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.66, 198.51.100.7",
    )

    assert AuditEvent.objects.get(action=AuditAction.LOGIN).client_address == "198.51.100.7"
