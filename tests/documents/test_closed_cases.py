"""A closed case takes no new documents and loses none: no upload form, no delete link, an
upload or deletion sent anyway refused with a message; its documents can still be downloaded."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.models import Case
from cases.services import case_transition
from documents.models import Document, DocumentChunk, DocumentKind
from documents.services import document_delete, document_upload
from tests.documents import helpers
from tests.dossier.conftest import close

pytestmark = pytest.mark.django_db

CLOSED_MESSAGE = "The case is closed: documents can no longer be added or deleted."


def upload(case, actor, name="overeenkomst.pdf") -> Document:
    return document_upload(
        case=case,
        upload=SimpleUploadedFile(name, helpers.pdf()),
        kind=DocumentKind.SIGNED_AGREEMENT,
        participation=None,
        actor=actor,
    )


@pytest.fixture
def closed_with_document(in_follow_up, personas):
    """A case closed after a scanned agreement was added while it ran."""
    document = upload(in_follow_up, personas.mediator, "Getekend Jan.pdf")
    return close(in_follow_up, personas.mediator), document


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def test_a_closed_case_lists_its_documents_without_the_upload_form_or_delete_links(
    client, closed_with_document, personas
):
    case, document = closed_with_document
    client.force_login(personas.mediator)

    page = client.get(reverse("documents:list", args=[case.pk])).content.decode()

    assert "Getekend Jan.pdf" in page
    assert reverse("documents:download", args=[case.pk, document.pk]) in page
    assert reverse("documents:delete", args=[case.pk, document.pk]) not in page
    assert 'enctype="multipart/form-data"' not in page and 'name="file"' not in page
    assert CLOSED_MESSAGE in page
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "All documents of the case" in case_page and "Add or manage documents" not in case_page


def test_an_open_case_shows_the_upload_form_and_delete_links(client, assigned, personas):
    document = upload(assigned, personas.mediator)
    client.force_login(personas.mediator)

    page = client.get(reverse("documents:list", args=[assigned.pk])).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert reverse("documents:delete", args=[assigned.pk, document.pk]) in page
    assert CLOSED_MESSAGE not in page


def test_an_upload_to_a_closed_case_is_refused_with_a_message_and_stores_nothing(
    client, closed_with_document, personas
):
    case, _document = closed_with_document
    uploaded = events(AuditAction.DOCUMENT_UPLOADED)
    client.force_login(personas.mediator)

    response = client.post(
        reverse("documents:list", args=[case.pk]),
        {
            "kind": "report",
            "participation": "",
            "file": SimpleUploadedFile("na sluiting.pdf", helpers.pdf()),
        },
        follow=True,
    )

    assert response.redirect_chain == [(reverse("documents:list", args=[case.pk]), 302)]
    assert CLOSED_MESSAGE in response.content.decode()
    assert Document.objects.count() == 1 and DocumentChunk.objects.count() == 1
    assert events(AuditAction.DOCUMENT_UPLOADED) == uploaded


def test_a_deletion_on_a_closed_case_is_refused_and_the_document_stays(
    client, closed_with_document, personas
):
    case, document = closed_with_document
    client.force_login(personas.mediator)
    url = reverse("documents:delete", args=[case.pk, document.pk])

    confirm = client.get(url, follow=True)
    response = client.post(url, follow=True)

    for answer in (confirm, response):
        assert answer.redirect_chain == [(reverse("documents:list", args=[case.pk]), 302)]
        assert CLOSED_MESSAGE in answer.content.decode()
    assert Document.objects.filter(pk=document.pk).exists()
    assert DocumentChunk.objects.filter(document=document).count() == 1
    assert events(AuditAction.DOCUMENT_DELETED) == 0


def test_a_closed_cases_document_can_still_be_downloaded(client, closed_with_document, personas):
    case, document = closed_with_document
    client.force_login(personas.comediator)

    response = client.get(reverse("documents:download", args=[case.pk, document.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == helpers.pdf()


def test_the_services_refuse_a_case_that_closed_after_it_was_loaded(in_follow_up, personas):
    document = upload(in_follow_up, personas.mediator)
    loaded = Case.objects.get(pk=in_follow_up.pk)  # read while the case was open
    close(in_follow_up, personas.mediator)
    document.case = loaded

    with pytest.raises(ValidationError, match="The case is closed"):
        upload(loaded, personas.mediator, "later.pdf")
    with pytest.raises(ValidationError, match="The case is closed"):
        document_delete(document=document, actor=personas.mediator)

    assert Document.objects.count() == 1 and DocumentChunk.objects.count() == 1


def test_a_reopened_case_takes_documents_again(client, closed_with_document, personas):
    case, _document = closed_with_document
    case_transition(case=case, name="reopen", actor=personas.supervisor, reason="Nieuwe klacht.")
    client.force_login(personas.mediator)

    response = client.post(
        reverse("documents:list", args=[case.pk]),
        {"kind": "report", "participation": "", "file": SimpleUploadedFile("x.pdf", helpers.pdf())},
    )

    assert response.status_code == 302
    assert Document.objects.count() == 2


def test_the_refusal_speaks_dutch(closed_with_document, personas):
    case, _document = closed_with_document
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl")
    dutch.force_login(personas.mediator)

    response = dutch.post(
        reverse("documents:list", args=[case.pk]),
        {"kind": "report", "participation": "", "file": SimpleUploadedFile("x.pdf", helpers.pdf())},
        follow=True,
    )

    assert "De zaak is afgesloten: er kunnen geen documenten meer bij of af." in (
        response.content.decode()
    )
