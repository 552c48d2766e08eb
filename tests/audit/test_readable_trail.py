"""The audit trail on screen names people, records and values; the CSV keeps the ids
(issue 15, part 6)."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditAction
from audit.services import audit_record
from cases.services import note_write
from parties.models import Participation
from parties.services import participation_add, party_create

pytestmark = pytest.mark.django_db


def trail(client, user, case=None) -> str:
    client.force_login(user)
    url = reverse("cases:trail", args=[case.pk]) if case else reverse("audit:trail")
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def table_text(page: str) -> str:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_the_case_trail_names_users_participants_and_statuses_not_ids(client, personas, in_intake):
    jan = Participation.objects.get(case=in_intake, party__name="Jan de Vries")

    text = table_text(trail(client, personas.mediator, in_intake))

    assert f"parties.participation {jan.pk}" not in text
    assert "Participant: Jan de Vries (Party)" in text
    mediator = personas.mediator.get_full_name() or personas.mediator.get_username()
    comediator = personas.comediator.get_full_name() or personas.comediator.get_username()
    assert f"co-mediators: {comediator}" in text and f"lead mediator: {mediator}" in text
    assert f"co_mediators: [{personas.comediator.pk}]" not in text
    assert "from: Referred" in text and "to: Intake" in text
    assert in_intake.reference in text
    assert f"cases.case {in_intake.pk}" not in text


def test_the_supervisors_trail_names_no_party_only_its_role_and_case(client, personas, in_intake):
    for page in (trail(client, personas.supervisor, in_intake), trail(client, personas.supervisor)):
        text = table_text(page)
        assert "Jan de Vries" not in text and "Gemeente Utrecht, afdeling Wonen" not in text
        assert f"Participant (Party) in {in_intake.reference}" in text


def test_a_note_is_named_by_its_kind_never_its_title(client, personas, in_intake):
    note_write(case=in_intake, author=personas.mediator, kind="dossier", title="Geheim-x", body="")

    text = table_text(trail(client, personas.mediator, in_intake))

    assert f"Dossier record ({in_intake.reference})" in text
    assert "Geheim-x" not in text


def test_a_deleted_record_is_named_by_its_kind(client, personas, in_intake):
    event = audit_record(
        action=AuditAction.PARTICIPANT_REMOVED,
        actor=personas.mediator,
        case_id=in_intake.pk,
        details={"participation": 999999},
    )

    text = table_text(trail(client, personas.mediator, in_intake))

    assert event.details == {"participation": 999999}
    assert "participant: Participant" in text and "999999" not in text


def test_the_csv_export_keeps_the_ids(client, personas, in_intake):
    client.force_login(personas.supervisor)

    response = client.get(reverse("audit:export"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    flat = " ".join(" ".join(row) for row in rows)
    assert "parties.participation" in flat
    assert f"[{personas.comediator.pk}]" in flat and "co_mediators" in flat


def test_the_trail_resolves_names_with_a_constant_number_of_queries(
    client, personas, in_intake, django_assert_max_num_queries
):
    client.force_login(personas.mediator)
    url = reverse("cases:trail", args=[in_intake.pk])
    client.get(url)  # the session and the like, loaded once

    def add(count):
        for number in range(count):
            party = party_create(actor=personas.mediator, kind="person", name=f"Tolk {number}")
            participation_add(
                case=in_intake, party=party, role="interpreter", actor=personas.mediator
            )
            note_write(case=in_intake, author=personas.mediator, kind="dossier", title="t", body="")

    add(2)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(20)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert "Participant: Tolk 19 (Interpreter)" in response.content.decode()
