"""Who may call: a valid bearer token of an active client acting as an active coordinator."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from api.models import ApiClient, ApiScope
from api.services import api_client_token_renew
from audit.models import AuditAction, AuditEvent
from tests.api.conftest import REFERRALS, Caller

pytestmark = pytest.mark.django_db


def test_a_call_without_a_token_is_a_401_in_json():
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(REFERRALS)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "header",
    [
        "Bearer tafel_not-a-token",
        "Bearer",
        "Bearer two words",
        "Bearer " + "x" * 5000,
        "Bearer t\u00f6ken",
    ],
)
def test_a_wrong_or_malformed_token_is_a_401(caller, header):
    response = Client(HTTP_AUTHORIZATION=header).get(REFERRALS)

    assert response.status_code == 401
    assert response.json()["detail"]


def test_a_token_is_stored_only_as_its_hash(caller):
    client = ApiClient.objects.get()
    stored = [str(getattr(client, field.attname)) for field in ApiClient._meta.concrete_fields]

    assert client.token_hash == hashlib.sha256(caller.token.encode()).hexdigest()
    assert not [value for value in stored if caller.token in value]
    assert caller.token[12:] not in client.token_hint
    assert not AuditEvent.objects.filter(details__icontains=caller.token[10:]).exists()


def test_a_renewed_token_replaces_the_old_one_at_once(caller):
    new = api_client_token_renew(client=caller.client, actor=None)

    assert caller.get(REFERRALS).status_code == 401
    assert Caller(caller.client, new).get(REFERRALS).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.API_TOKEN_RENEWED).count() == 1


def test_an_inactive_client_is_refused(caller):
    ApiClient.objects.update(active=False)

    assert caller.get(REFERRALS).status_code == 401


def test_a_client_whose_coordinator_is_deactivated_is_refused(caller, personas):
    personas.coordinator.is_active = False
    personas.coordinator.save()

    assert caller.get(REFERRALS).status_code == 401


def test_a_client_whose_coordinator_lost_the_role_is_forbidden(caller, personas):
    personas.coordinator.groups.clear()

    response = caller.get(REFERRALS)

    assert response.status_code == 403
    assert "coordinator role" in response.json()["detail"]


def test_last_used_is_noted(caller):
    assert ApiClient.objects.get().last_used_at is None

    caller.get(REFERRALS)

    assert ApiClient.objects.get().last_used_at is not None


def test_the_command_prints_a_working_token_once(personas, capsys):
    call_command(
        "api_client_create",
        "--name=Zaaksysteem Zeist",
        "--organisation=Gemeente Zeist",
        f"--acts-as={personas.coordinator.username}",
        f"--scope={ApiScope.CASES_READ}",
    )

    token = capsys.readouterr().out.strip()
    client = ApiClient.objects.get()
    assert client.scopes == [ApiScope.CASES_READ]
    assert Caller(client, token).get(REFERRALS).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.API_CLIENT_CREATED)
    assert token not in str(event.details)


@pytest.mark.parametrize("who", ["mediator", "supervisor"])
def test_only_a_coordinator_can_be_acted_as(personas, who):
    with pytest.raises(CommandError, match="not a municipal coordinator"):
        call_command(
            "api_client_create",
            "--name=X",
            "--organisation=Gemeente X",
            f"--acts-as={getattr(personas, who).username}",
        )
    assert not ApiClient.objects.exists()
