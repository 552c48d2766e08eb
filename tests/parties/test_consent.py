"""Recording consent, confidentiality statements and a withdrawal of consent."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from tests.factories import ParticipationFactory
from tests.parties.conftest import case_url, close

pytestmark = pytest.mark.django_db


def consent_url(case, participation) -> str:
    return reverse("parties:consent", args=[case.pk, participation.pk])


def withdraw_url(case, participation) -> str:
    return reverse("parties:withdraw_consent", args=[case.pk, participation.pk])


def test_the_consent_page_of_a_party_asks_for_the_signed_agreement(
    client, personas, case, participation
):
    client.force_login(personas.mediator)

    response = client.get(consent_url(case, participation), HTTP_ACCEPT_LANGUAGE="en")

    content = response.content.decode()
    assert "Consent of <bdi>Marieke Jansen</bdi>" in content
    assert '<label for="id_signed_on">Mediation agreement signed on' in content
    assert '<label for="id_signed_by">Signed by' in content
    assert "No consent recorded yet" in content
    assert "Record a withdrawal of consent" not in content  # nothing to withdraw yet


def test_mediator_records_a_partys_consent(client, personas, case, participation):
    client.force_login(personas.mediator)

    response = client.post(
        consent_url(case, participation),
        {"signed_on": "2026-01-15", "signed_by": "M. Jansen, voorzitter"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    participation.refresh_from_db()
    assert participation.consent_signed_on == date(2026, 1, 15)
    assert participation.consent_signed_by == "M. Jansen, voorzitter"
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["The consent was recorded."]
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_RECORDED)
    assert event.details == {"kind": "consent"}


def test_mediator_records_an_interpreters_confidentiality_statement(client, personas, case):
    interpreter = ParticipationFactory(case=case, role="interpreter")
    client.force_login(personas.comediator)

    page = client.get(consent_url(case, interpreter), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(consent_url(case, interpreter), {"signed_on": "2026-02-01"})

    assert "Confidentiality statement signed on" in page.content.decode()
    assert "id_signed_by" not in page.content.decode()
    assert response.status_code == 302
    interpreter.refresh_from_db()
    assert interpreter.confidentiality_signed_on == date(2026, 2, 1)
    assert interpreter.consent_signed_on is None
    event = AuditEvent.objects.get(action=AuditAction.CONSENT_RECORDED)
    assert event.details == {"kind": "confidentiality"}


def test_a_date_in_the_future_is_refused_on_its_field(client, personas, case, participation):
    client.force_login(personas.mediator)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        consent_url(case, participation), {"signed_on": tomorrow}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response.context["form"].errors["signed_on"] == ["The date cannot be in the future."]
    participation.refresh_from_db()
    assert participation.consent_signed_on is None


def test_a_signer_name_with_a_line_break_is_refused(client, personas, case, participation):
    client.force_login(personas.mediator)

    response = client.post(
        consent_url(case, participation),
        {"signed_on": "2026-01-15", "signed_by": "M. Jansen\r\nX-Injected: yes"},
    )

    assert response.status_code == 200
    assert "signed_by" in response.context["form"].errors
    participation.refresh_from_db()
    assert participation.consent_signed_on is None


def test_mediator_records_that_a_party_withdrew_consent(client, personas, case, participation):
    participation.consent_signed_on = date(2026, 1, 15)
    participation.save()
    client.force_login(personas.mediator)

    page = client.get(consent_url(case, participation), HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(withdraw_url(case, participation), {"withdrawn_on": "2026-03-01"})

    assert "Record a withdrawal of consent" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    participation.refresh_from_db()
    assert participation.consent_withdrawn_on == date(2026, 3, 1)
    assert AuditEvent.objects.filter(action=AuditAction.CONSENT_WITHDRAWN).count() == 1


def test_a_withdrawal_in_the_future_is_refused_on_the_consent_page(
    client, personas, case, participation
):
    client.force_login(personas.mediator)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        withdraw_url(case, participation), {"withdrawn_on": tomorrow}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert response.context["withdrawal_form"].errors["withdrawn_on"] == [
        "The date cannot be in the future."
    ]
    assert 'role="alert"' in response.content.decode()
    participation.refresh_from_db()
    assert participation.consent_withdrawn_on is None


def test_withdrawal_is_only_for_parties(client, personas, case):
    interpreter = ParticipationFactory(case=case, role="interpreter")
    client.force_login(personas.mediator)

    response = client.post(withdraw_url(case, interpreter), {"withdrawn_on": "2026-03-01"})

    assert response.status_code == 404


def test_withdrawal_only_takes_a_post(client, personas, case, participation):
    client.force_login(personas.mediator)

    assert client.get(withdraw_url(case, participation)).status_code == 405


def test_recording_consent_again_clears_the_withdrawal(client, personas, case, participation):
    participation.consent_signed_on = date(2026, 1, 15)
    participation.consent_withdrawn_on = date(2026, 2, 1)
    participation.save()
    client.force_login(personas.mediator)

    client.post(consent_url(case, participation), {"signed_on": "2026-02-10"})

    participation.refresh_from_db()
    assert participation.consent_withdrawn_on is None
    assert participation.consent_signed_on == date(2026, 2, 10)


def test_a_closed_case_refuses_consent_and_withdrawal_with_a_message(
    client, personas, case, participation
):
    participation.consent_signed_on = date(2026, 1, 15)
    participation.save()
    close(case)
    client.force_login(personas.mediator)
    message = "The case is closed: its participants can no longer change."

    consent = client.post(
        consent_url(case, participation), {"signed_on": "2026-02-10"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    withdrawal = client.post(
        withdraw_url(case, participation), {"withdrawn_on": "2026-02-10"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert consent.context["form"].non_field_errors() == [message]
    assert withdrawal.context["withdrawal_form"].non_field_errors() == [message]
    participation.refresh_from_db()
    assert participation.consent_signed_on == date(2026, 1, 15)
    assert participation.consent_withdrawn_on is None
    assert not AuditEvent.objects.filter(action__startswith="party.").exists()
