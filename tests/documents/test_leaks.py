"""A marker planted in an uploaded file's bytes and name reaches no database file, log, audit
event, admin page or email."""

import json

import pytest
from django.contrib import admin
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from documents.models import Document, DocumentChunk, DocumentKind
from documents.services import document_delete, document_download, document_upload
from mediation.models import HttpDelivery, OutboxMessage
from tests import leaks
from tests.documents import helpers
from tests.documents.helpers import MARKER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_marker_in_a_document_is_nowhere_in_the_sqlite_file_or_logs(tmp_path, settings):
    env = leaks.sqlite_env(tmp_path, settings.TAFEL_MASTER_KEYS)
    migrate = leaks.run("manage.py", "migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr

    result = leaks.run("-m", "tests.documents.marker_documents", MARKER, env=env)

    assert result.returncode == 0, result.stderr
    assert "documents written" in result.stdout
    files = leaks.sqlite_files(tmp_path)
    assert leaks.contains("Lektest documenten", *files)  # the case is there, in plain text
    assert not leaks.contains(MARKER, result.stdout, result.stderr, *files)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_marker_in_a_document_is_nowhere_in_a_pg_dump(settings):
    env = leaks.postgresql_env(settings.TAFEL_MASTER_KEYS)

    result = leaks.run("-m", "tests.documents.marker_documents", MARKER, env=env)
    dump = leaks.pg_dump()

    assert result.returncode == 0, result.stderr
    assert leaks.contains("Lektest documenten", dump)
    assert not leaks.contains(MARKER, dump)


def test_documents_are_not_in_the_admin(client, assigned, personas):
    document_upload(
        case=assigned,
        upload=SimpleUploadedFile(f"{MARKER}.pdf", helpers.pdf(MARKER)),
        kind=DocumentKind.REPORT,
        participation=None,
        actor=personas.mediator,
    )
    assert not any(admin.site.is_registered(model) for model in (Document, DocumentChunk))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))

    pages = [reverse("admin:index")] + [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    for page in pages:
        response = client.get(page)
        assert MARKER not in response.content.decode(errors="replace"), page


def test_a_marker_in_a_document_reaches_no_email_audit_event_or_outgoing_call(assigned, personas):
    document = document_upload(
        case=assigned,
        upload=SimpleUploadedFile(f"{MARKER}.pdf", helpers.pdf(MARKER)),
        kind=DocumentKind.SIGNED_AGREEMENT,
        participation=assigned.participations.first(),
        actor=personas.mediator,
    )
    download = document_download(document=document, reader=personas.comediator)
    assert MARKER.encode() in b"".join(download.stream)
    document_delete(document=document, actor=personas.comediator)

    stored = [OutboxMessage.objects.values(), HttpDelivery.objects.values()]
    assert MARKER not in json.dumps([list(rows) for rows in stored], default=str)
    assert all(MARKER not in message.message().as_string() for message in mail.outbox)
    assert MARKER not in json.dumps(list(AuditEvent.objects.values()), default=str)
