"""The agreement, its actions, review comments and the referrer summary are sealed at rest."""

import json

import pytest
from django.utils import timezone

from agreements.models import ActionReview, Agreement, AgreementAction, AgreementVersion
from agreements.services import (
    action_add,
    action_review,
    agreement_read,
    agreement_write,
    summary_write,
)
from audit.models import AuditEvent
from cases.services import case_key_destroy, case_transition
from mediation.crypto import CannotOpen
from tests import leaks
from tests.cases.agreement_helpers import approve_all, parties

MARKER = "GIRAFFE-91ab-AFSPRAAK"

pytestmark = pytest.mark.django_db


def test_a_marker_in_the_agreement_reaches_neither_its_rows_nor_the_audit_trail(
    in_agreement, personas
):
    agreement = agreement_write(case=in_agreement, text=f"Tekst {MARKER}", actor=personas.mediator)
    action = action_add(
        agreement=agreement,
        description=f"Actie {MARKER}",
        owner=None,
        due_on=timezone.localdate(),
        actor=personas.mediator,
    )
    agreement = agreement_write(case=in_agreement, text=f"Nieuw {MARKER}", actor=personas.mediator)
    approve_all(agreement, personas.mediator)
    summary_write(case=in_agreement, text=f"Samenvatting {MARKER}", actor=personas.mediator)
    case_transition(case=in_agreement, name="start_follow_up", actor=personas.mediator)
    action_review(
        action=action, status="done", comment=f"Notitie {MARKER}", actor=personas.mediator
    )
    agreement_read(agreement=agreement, reader=personas.mediator)

    stored = [
        *Agreement.objects.values_list("sealed_text", flat=True),
        *AgreementVersion.objects.values_list("sealed_text", "sealed_actions"),
        *AgreementAction.objects.values_list("sealed_description", flat=True),
        *ActionReview.objects.values_list("sealed_comment", flat=True),
    ]
    flat = b"".join(bytes(v) for row in stored for v in (row if isinstance(row, tuple) else (row,)))
    assert MARKER.encode() not in flat
    assert MARKER not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_an_agreement_whose_key_was_destroyed_says_so(drafted, personas, client):
    case_key_destroy(case=drafted.case, actor=personas.supervisor, reason="bewaartermijn")

    with pytest.raises(CannotOpen):
        agreement_read(agreement=drafted, reader=personas.mediator)
    client.force_login(personas.mediator)
    page = client.get(
        f"/cases/{drafted.case.pk}/agreement/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The agreement cannot be opened" in page


def test_a_sealed_text_moved_to_another_action_does_not_open(drafted, personas):
    first = drafted.actions.first()
    second = action_add(
        agreement=drafted,
        description="Tweede",
        owner=parties(drafted.case)[0],
        due_on=timezone.localdate(),
        actor=personas.mediator,
    )
    AgreementAction.objects.filter(pk=second.pk).update(
        sealed_description=AgreementAction.objects.get(pk=first.pk).sealed_description
    )
    drafted.refresh_from_db()

    with pytest.raises(CannotOpen):
        agreement_read(agreement=drafted, reader=personas.mediator)


def test_a_marker_in_the_agreement_is_nowhere_in_the_sqlite_file_or_logs(tmp_path, settings):
    env = leaks.sqlite_env(tmp_path, settings.TAFEL_MASTER_KEYS)
    migrate = leaks.run("manage.py", "migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr

    result = leaks.run("-m", "tests.cases.marker_agreement", MARKER, env=env)

    assert result.returncode == 0, result.stderr
    assert "agreement written" in result.stdout
    files = leaks.sqlite_files(tmp_path)
    assert leaks.contains("Lektest", *files)  # the case is there, in plain text
    assert not leaks.contains(MARKER, result.stdout, result.stderr, *files)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_marker_in_the_agreement_is_nowhere_in_a_pg_dump(settings):
    env = leaks.postgresql_env(settings.TAFEL_MASTER_KEYS)

    result = leaks.run("-m", "tests.cases.marker_agreement", MARKER, env=env)
    dump = leaks.pg_dump()

    assert result.returncode == 0, result.stderr
    assert leaks.contains("Lektest", dump)
    assert not leaks.contains(MARKER, dump)
