"""Oversized requests (issue 17, point 9): a text longer than its field allows gets a clear form
error and nothing is stored; a request over Django's limits (DATA_UPLOAD_MAX_MEMORY_SIZE,
DATA_UPLOAD_MAX_NUMBER_FIELDS) gets a clear page, and nothing is stored."""

from django.conf import settings
from django.urls import reverse

from audit.models import AuditEvent
from cases.models import Case, Note
from cases.services.notes import BODY_MAX_LENGTH


def test_a_note_longer_than_allowed_gets_a_form_error_and_is_not_stored(
    client, personas, in_intake
):
    client.force_login(personas.mediator)

    response = client.post(
        reverse("cases:note_add", args=[in_intake.pk]),
        {"kind": "dossier", "title": "Intake", "body": "x" * (BODY_MAX_LENGTH + 1)},
    )

    assert response.status_code == 200
    assert "at most 100000 characters" in response.content.decode().replace(",", "")
    assert not Note.objects.exists()


def test_a_referral_reason_of_a_megabyte_gets_a_form_error(client, personas, kind):
    client.force_login(personas.coordinator)

    response = client.post(
        reverse("parties:refer"),
        {"kind": kind.pk, "title": "Park", "referral_reason": "x" * 1_000_000},
    )

    assert response.status_code == 200
    assert "at most 5000 characters" in response.content.decode().replace(",", "")
    assert not Case.objects.exists()


def test_a_request_over_the_memory_limit_gets_a_clear_page_and_stores_nothing(
    client, personas, in_intake
):
    client.force_login(personas.mediator)
    events = AuditEvent.objects.count()
    body = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = client.post(
        reverse("cases:note_add", args=[in_intake.pk]),
        {"kind": "dossier", "title": "Intake", "body": body},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "too large" in html and "nothing was saved" in html
    assert "Content-Security-Policy" in response
    assert not Note.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_request_with_too_many_fields_gets_a_clear_page(client, personas, in_intake):
    client.force_login(personas.mediator)
    fields = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}

    response = client.post(
        reverse("cases:note_add", args=[in_intake.pk]),
        {"kind": "dossier", "title": "Intake", "body": "Tekst", **fields},
    )

    assert response.status_code == 400
    assert "nothing was saved" in response.content.decode()
    assert not Note.objects.exists()
