"""An administrator sets up a municipality's Zaken API in the admin: the client secret can be
set but never read back, the RSINs must pass the elfproef, and every change is audited (the
fields' names, never the secret)."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from mediation.models import HttpDelivery, OutboxStatus
from tests.factories import UserFactory
from tests.zgw.conftest import ZAAKTYPE, deliver
from zgw.models import ZgwConfiguration
from zgw.services import configuration_secret
from zgw.validators import rsin_valid

pytestmark = pytest.mark.django_db

SECRET = "SECRETMARK-for-the-zaken-api-0123456789"


@pytest.fixture
def admin_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def form(**changes) -> dict:
    data = {
        "organisation": "Gemeente Zeist",
        "active": "on",
        "zaken_api_url": "https://zaken.zeist.example.nl/zaken/api/v1",
        "zaaktype_url": ZAAKTYPE,
        "bronorganisatie": "001005650",
        "verantwoordelijke_organisatie": "001005650",
        "vertrouwelijkheidaanduiding": "vertrouwelijk",
        "archiefnominatie": "vernietigen",
        "client_id": "tafel-zeist",
        "client_secret": SECRET,
    }
    data.update(changes)
    return data


def test_the_administrator_adds_a_configuration_with_a_sealed_secret(admin_client):
    response = admin_client.post(reverse("admin:zgw_zgwconfiguration_add"), form())

    assert response.status_code == 302
    configuration = ZgwConfiguration.objects.get()
    assert SECRET.encode() not in bytes(configuration.sealed_secret)
    assert configuration_secret(configuration) == SECRET
    page = admin_client.get(
        reverse("admin:zgw_zgwconfiguration_change", args=[configuration.pk])
    ).content.decode()
    assert SECRET not in page
    event = AuditEvent.objects.filter(action=AuditAction.ADMIN_ADDED).latest("sequence")
    assert "client_secret" in event.details["fields"]
    assert SECRET not in json.dumps(event.details)


def test_a_change_without_a_secret_keeps_the_stored_one(admin_client):
    admin_client.post(reverse("admin:zgw_zgwconfiguration_add"), form())
    configuration = ZgwConfiguration.objects.get()

    response = admin_client.post(
        reverse("admin:zgw_zgwconfiguration_change", args=[configuration.pk]),
        form(client_secret="", client_id="tafel-zeist-2"),
    )

    assert response.status_code == 302
    configuration.refresh_from_db()
    assert configuration.client_id == "tafel-zeist-2"
    assert configuration_secret(configuration) == SECRET
    event = AuditEvent.objects.filter(action=AuditAction.ADMIN_CHANGED).latest("sequence")
    assert event.details["fields"] == ["client_id"]


def test_a_new_configuration_needs_a_secret_and_valid_rsins(admin_client):
    response = admin_client.post(
        reverse("admin:zgw_zgwconfiguration_add"),
        form(client_secret="", bronorganisatie="123456789"),
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "client_secret" in errors and "bronorganisatie" in errors
    assert not ZgwConfiguration.objects.exists()


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("002220647", True),  # Gemeente Utrecht
        ("001005650", True),
        ("123456782", True),
        ("123456789", False),
        ("00222064", False),
        ("0022206470", False),
        ("00222064a", False),
        ("000000000", False),
    ],
)
def test_an_rsin_passes_the_elfproef(value, valid):
    assert rsin_valid(value) is valid


def test_two_configurations_for_one_organisation_are_refused(admin_client, configuration):
    response = admin_client.post(
        reverse("admin:zgw_zgwconfiguration_add"), form(organisation="gemeente utrecht")
    )
    assert response.status_code == 200
    assert ZgwConfiguration.objects.count() == 1


def test_the_administrator_queues_a_failed_call_again_and_it_is_audited(
    admin_client, configuration, refer, zaken
):
    case = refer()
    zaken.answer_with = 400
    deliver()
    failed = HttpDelivery.objects.get(case_id=case.pk, purpose="zgw.zaak")
    assert failed.status == OutboxStatus.FAILED
    zaken.answer_with = None

    response = admin_client.post(
        reverse("admin:mediation_httpdelivery_changelist"),
        {"action": "queue_again", "_selected_action": [failed.pk]},
    )

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    event = AuditEvent.objects.filter(action=AuditAction.ADMIN_CHANGED).latest("sequence")
    assert event.details["model"] == "mediation.httpdelivery"
    assert event.details["id"] == str(failed.pk)
    # The others of its group failed with it (no zaak); queued again, all arrive.
    admin_client.post(
        reverse("admin:mediation_httpdelivery_changelist"),
        {
            "action": "queue_again",
            "_selected_action": list(HttpDelivery.objects.values_list("pk", flat=True)),
        },
    )
    deliver()
    assert zaken.paths() == ["POST /zaken", "POST /rollen", "POST /statussen"]
