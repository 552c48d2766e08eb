"""Every body Tafel sends to a Zaken API validates against the VNG Zaken API 1.5.1 request
schemas, and the validation can fail: a broken body is refused (by the schema here, and by
the fake Zaken API, as a real one would)."""

import copy
from datetime import timedelta

import pytest
from django.utils import timezone

from mediation.http_outbox import http_enqueue
from mediation.models import HttpDelivery, OutboxStatus
from tests.zgw.conftest import deliver, resultaattype, statustype
from tests.zgw.schema import ValidationError, validate_request
from zgw import payloads
from zgw.services import SENDER, case_group

pytestmark = pytest.mark.django_db

ZAAK_URL = "https://zaken.example.nl/zaken/api/v1/zaken/5a2b1c6e-3f1d-4d6e-9a4e-0a1b2c3d4e5f"


@pytest.fixture
def bodies(configuration, refer):
    """Each body Tafel makes for a case, as sent (with the zaak's URL where it belongs)."""
    case = refer()
    case.ended_on = timezone.localdate()
    return {
        ("POST", "/zaken"): payloads.zaak_body(case, configuration),
        ("POST", "/rollen"): {**payloads.rol_body(case, configuration), "zaak": ZAAK_URL},
        ("POST", "/statussen"): {
            **payloads.status_body(statustype("intake"), timezone.now()),
            "zaak": ZAAK_URL,
        },
        ("POST", "/resultaten"): {
            **payloads.resultaat_body(resultaattype("withdrawn")),
            "zaak": ZAAK_URL,
        },
        ("PATCH", "/zaken/{uuid}"): payloads.archive_body(case, configuration),
    }


def test_every_body_validates_against_the_zaken_api_schema(bodies):
    for (method, path), body in bodies.items():
        validate_request(method, path, body)


def test_the_archive_body_of_a_reopened_case_validates_too(configuration, refer):
    validate_request("PATCH", "/zaken/{uuid}", payloads.archive_body(refer(), configuration))


@pytest.mark.parametrize(
    ("method", "path", "change"),
    [
        # A description longer than the 80 characters the schema allows.
        ("POST", "/zaken", {"omschrijving": "x" * 81}),
        # An RSIN of ten digits.
        ("POST", "/zaken", {"bronorganisatie": "0022206470"}),
        # A field the Zaken API sets itself (readOnly) must not be sent.
        ("POST", "/zaken", {"einddatum": "2026-01-01"}),
        ("POST", "/zaken", {"startdatum": "yesterday"}),
        ("POST", "/zaken", {"vertrouwelijkheidaanduiding": "top secret"}),
        ("POST", "/rollen", {"betrokkeneType": "kabouter"}),
        ("POST", "/rollen", {"betrokkeneIdentificatie": {"statutaireNaam": "x" * 501}}),
        ("POST", "/statussen", {"datumStatusGezet": "soon"}),
        ("POST", "/statussen", {"statustype": None}),
        ("POST", "/resultaten", {"resultaattype": 12}),
        ("PATCH", "/zaken/{uuid}", {"archiefnominatie": "misschien"}),
    ],
)
def test_a_broken_body_fails_validation(bodies, method, path, change):
    body = {**copy.deepcopy(bodies[(method, path)]), **change}
    with pytest.raises(ValidationError):
        validate_request(method, path, body)


@pytest.mark.parametrize(
    ("path", "left_out"),
    [("/zaken", "zaaktype"), ("/rollen", "roltoelichting"), ("/statussen", "statustype")],
)
def test_a_body_without_a_required_field_fails_validation(bodies, path, left_out):
    body = copy.deepcopy(bodies[("POST", path)])
    del body[left_out]
    with pytest.raises(ValidationError):
        validate_request("POST", path, body)


def test_the_fake_zaken_api_refuses_a_body_that_does_not_validate(configuration, zaken):
    delivery = http_enqueue(
        sender=SENDER,
        purpose="zgw.zaak",
        method="POST",
        url=f"{zaken.root}/zaken",
        body={"omschrijving": "x" * 81},
        group=case_group(0),
        case_id=None,
    )
    # No case: the sender cannot make it.
    deliver()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.last_error) == (OutboxStatus.FAILED, "cannot-prepare no-case")


def test_a_broken_body_reaches_the_fake_api_and_is_refused_with_400(configuration, refer, zaken):
    case = refer()
    zaak = HttpDelivery.objects.get(case_id=case.pk, purpose="zgw.zaak")
    zaak.body = {**zaak.body, "omschrijving": "x" * 81}
    zaak.save()

    deliver(after=timedelta(seconds=1))

    zaak.refresh_from_db()
    assert (zaak.status, zaak.last_error, zaak.response_status) == ("failed", "HTTP 400", 400)
    assert zaken.refused[0][:3] == ("POST", "/zaken", 400)
    assert zaken.received == []
