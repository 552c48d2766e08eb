"""Registering a client in the admin: the token is shown once, after it is made or renewed;
the admin never shows its hash, and every change is in the audit trail."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from api.models import ApiClient
from audit.models import AuditAction, AuditEvent
from tests.api.conftest import REFERRALS, Caller
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_browser():
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return browser


def shown_token(page: str) -> str:
    return re.search(r'id="api-token"[^>]*value="(tafel_[^"]+)"', page).group(1)


def test_adding_a_client_shows_its_token_once(admin_browser, personas):
    response = admin_browser.post(
        reverse("admin:api_apiclient_add"),
        {
            "name": "Zaaksysteem Utrecht",
            "organisation": "Gemeente Utrecht",
            "acts_as": personas.coordinator.pk,
            "scopes": ["referrals:write", "cases:read"],
            "active": "on",
        },
    )

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = shown_token(response.content.decode())
    client = ApiClient.objects.get()
    assert client.scopes == ["referrals:write", "cases:read"]
    assert Caller(client, token).get(REFERRALS).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.ADMIN_ADDED, target_id=str(client.pk))
    change = admin_browser.get(reverse("admin:api_apiclient_change", args=[client.pk]))
    listing = admin_browser.get(reverse("admin:api_apiclient_changelist"))
    for page in (change, listing):
        assert token not in page.content.decode()
        assert client.token_hash not in page.content.decode()


@pytest.mark.parametrize("who", ["mediator", "supervisor"])
def test_only_a_coordinator_can_be_chosen(admin_browser, personas, who):
    response = admin_browser.post(
        reverse("admin:api_apiclient_add"),
        {"name": "X", "organisation": "Gemeente X", "acts_as": getattr(personas, who).pk},
    )

    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not ApiClient.objects.exists()


def test_the_renew_action_shows_a_new_token_and_the_old_one_stops(admin_browser, caller):
    response = admin_browser.post(
        reverse("admin:api_apiclient_changelist"),
        {"action": "renew_token", "_selected_action": [caller.client.pk]},
    )

    token = shown_token(response.content.decode())
    assert token != caller.token
    assert caller.get(REFERRALS).status_code == 401
    assert Caller(caller.client, token).get(REFERRALS).status_code == 200


def test_a_client_is_deactivated_not_deleted(admin_browser, caller):
    url = reverse("admin:api_apiclient_delete", args=[caller.client.pk])

    assert admin_browser.post(url, {"post": "yes"}).status_code == 403
    assert ApiClient.objects.exists()
