"""Documents on a case: only its mediators upload, download and delete them; all audited."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from cases.models import CaseActivity
from cases.services import case_assign
from documents.models import CHUNK_BYTES, Document, DocumentChunk, DocumentKind
from documents.services import case_documents_destroy, document_download, document_upload
from tests.documents import helpers
from tests.documents.helpers import MARKER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def upload(case, actor, data: bytes, name="overeenkomst.pdf", **fields) -> Document:
    return document_upload(
        case=case,
        upload=SimpleUploadedFile(name, data),
        kind=fields.get("kind", DocumentKind.SIGNED_AGREEMENT),
        participation=fields.get("participation"),
        actor=actor,
    )


def list_url(case) -> str:
    return reverse("documents:list", args=[case.pk])


def download_url(document) -> str:
    return reverse("documents:download", args=[document.case_id, document.pk])


def delete_url(document) -> str:
    return reverse("documents:delete", args=[document.case_id, document.pk])


def post_file(client, case, data: bytes, name: str, **fields):
    form = {"kind": "signed_agreement", "participation": "", **fields}
    return client.post(list_url(case), {**form, "file": SimpleUploadedFile(name, data)})


def downloaded(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_mediator_uploads_and_another_mediator_downloads_the_same_bytes(
    client, assigned, personas
):
    party = assigned.participations.active().first()
    client.force_login(personas.mediator)
    data = helpers.pdf(MARKER)

    response = post_file(
        client, assigned, data, "Handtekening Jan.pdf", participation=str(party.pk)
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert document.participation == party and document.content_type == "application/pdf"
    assert document.size == len(data) and document.chunk_count == 1
    client.force_login(personas.comediator)
    response = client.get(download_url(document))
    assert response.status_code == 200
    assert downloaded(response) == data
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Handtekening Jan.pdf" in response["Content-Disposition"]


def test_a_file_of_several_chunks_round_trips_and_is_stored_only_sealed(assigned, personas, client):
    data = helpers.pdf(MARKER, size=2 * CHUNK_BYTES + 1234)
    document = upload(assigned, personas.mediator, data)

    assert document.chunk_count == 3
    chunks = list(DocumentChunk.objects.filter(document=document).values_list("sealed", flat=True))
    assert len(chunks) == 3
    assert all(MARKER.encode() not in bytes(chunk) for chunk in chunks)
    assert b"overeenkomst" not in bytes(Document.objects.get().sealed_name)
    client.force_login(personas.comediator)
    assert downloaded(client.get(download_url(document))) == data


def test_a_chunk_moved_to_another_place_does_not_open(assigned, personas, client):
    data = helpers.pdf(size=2 * CHUNK_BYTES)
    document = upload(assigned, personas.mediator, data)
    first, second = DocumentChunk.objects.filter(document=document).order_by("index")
    first.sealed, second.sealed = second.sealed, first.sealed
    first.save()
    second.save()
    client.force_login(personas.mediator)

    response = client.get(download_url(document))

    with pytest.raises(Exception, match="does not match"):
        downloaded(response)


def test_a_file_cut_short_is_not_sent(assigned, personas, client):
    document = upload(assigned, personas.mediator, helpers.pdf(size=2 * CHUNK_BYTES))
    DocumentChunk.objects.filter(document=document, index=1).delete()
    client.force_login(personas.mediator)

    response = client.get(download_url(document))

    assert response.status_code == 302  # back to the list, with a message


@pytest.mark.parametrize(
    "data", [helpers.exe(), helpers.html(), helpers.svg(), helpers.docm()], ids=str
)
def test_a_file_not_on_the_allow_list_renamed_pdf_is_refused_and_nothing_stored(
    client, assigned, personas, data
):
    client.force_login(personas.mediator)
    events = AuditEvent.objects.count()

    response = post_file(client, assigned, data, "overeenkomst.pdf")

    assert response.status_code == 400
    assert "only PDF, PNG and JPEG images" in response.content.decode()
    assert not Document.objects.exists() and not DocumentChunk.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_oversized_file_is_refused_with_its_limit_and_nothing_stored(
    client, assigned, personas, settings
):
    settings.TAFEL_DOCUMENT_MAX_BYTES = 1000
    client.force_login(personas.mediator)

    response = post_file(client, assigned, helpers.pdf(size=1001), "groot.pdf")

    assert response.status_code == 400
    assert "This file is too large: a document may be at most 1000" in response.content.decode()
    assert not Document.objects.exists() and not DocumentChunk.objects.exists()


def test_the_service_refuses_an_oversized_file_too(assigned, personas, settings):
    settings.TAFEL_DOCUMENT_MAX_BYTES = 1000
    with pytest.raises(Exception, match="too large"):
        upload(assigned, personas.mediator, helpers.pdf(size=1001))
    assert not Document.objects.exists() and not DocumentChunk.objects.exists()


def test_a_participant_of_another_case_is_refused(assigned, refer, personas):
    other = refer().participations.first()
    with pytest.raises(Exception, match="participant of this case"):
        upload(assigned, personas.mediator, helpers.pdf(), participation=other)
    assert not Document.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "outsider", "superuser"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_coordinator_supervisor_outsider_and_superuser_get_404_everywhere(
    client, assigned, personas, who, method
):
    document = upload(assigned, personas.mediator, helpers.pdf(MARKER))
    if who == "superuser":
        user = UserFactory(username="root", is_superuser=True, is_staff=True)
    else:
        user = getattr(personas, who)
    client.force_login(user)

    for path in (list_url(assigned), download_url(document), delete_url(document)):
        response = getattr(client, method)(path, {"kind": "other"})
        assert response.status_code == 404, path
        assert MARKER.encode() not in b"".join(
            response.streaming_content if response.streaming else [response.content]
        )
    assert Document.objects.count() == 1 and DocumentChunk.objects.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.DOCUMENT_DOWNLOADED).exists()


def test_a_document_of_another_case_is_not_found_through_this_case(
    client, assigned, refer, personas
):
    other = refer()
    case_assign(case=other, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)
    document = upload(other, personas.mediator, helpers.pdf())
    client.force_login(personas.mediator)

    path = reverse("documents:download", args=[assigned.pk, document.pk])

    assert client.get(path).status_code == 404


def test_upload_download_and_deletion_are_audited_without_the_file_name(client, assigned, personas):
    client.force_login(personas.mediator)
    post_file(client, assigned, helpers.pdf(), f"{MARKER}.pdf")
    document = Document.objects.get()
    client.get(download_url(document)).getvalue()

    confirm = client.get(delete_url(document))
    assert confirm.status_code == 200 and MARKER in confirm.content.decode()
    assert Document.objects.exists()
    response = client.post(delete_url(document))

    assert response.status_code == 302
    assert not Document.objects.exists() and not DocumentChunk.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="document.").order_by("sequence")
    assert [event.action for event in events] == [
        AuditAction.DOCUMENT_UPLOADED,
        AuditAction.DOCUMENT_DOWNLOADED,
        AuditAction.DOCUMENT_DELETED,
    ]
    for event in events:
        assert event.details["document"] == document.pk
        assert event.details["kind"] == "signed_agreement"
        assert event.case_id == assigned.pk
    assert MARKER not in json.dumps(list(AuditEvent.objects.values()), default=str)


def test_the_list_page_shows_an_empty_state_then_the_documents(client, assigned, personas):
    client.force_login(personas.mediator)
    assert "No documents yet" in client.get(list_url(assigned)).content.decode()

    upload(assigned, personas.mediator, helpers.docx(), name="Verslag intake.docx")

    page = client.get(list_url(assigned)).content.decode()
    assert "Verslag intake.docx" in page
    case_page = client.get(reverse("cases:detail", args=[assigned.pk])).content.decode()
    assert 'id="section-documents"' in case_page and "Verslag intake.docx" in case_page


def test_the_case_page_shows_no_documents_panel_to_the_coordinator_or_supervisor(
    client, assigned, personas
):
    upload(assigned, personas.mediator, helpers.pdf(), name=f"{MARKER}.pdf")
    for who in (personas.coordinator, personas.supervisor):
        client.force_login(who)
        page = client.get(reverse("cases:detail", args=[assigned.pk])).content.decode()
        assert "section-documents" not in page and MARKER not in page


def test_the_consent_page_links_the_participants_documents(client, assigned, personas):
    party = assigned.participations.active().first()
    document = upload(assigned, personas.mediator, helpers.pdf(), participation=party)
    client.force_login(personas.mediator)

    page = client.get(reverse("parties:consent", args=[assigned.pk, party.pk])).content.decode()

    assert download_url(document) in page


def test_destroying_the_dossiers_documents_removes_every_chunk(assigned, personas):
    upload(assigned, personas.mediator, helpers.pdf(size=CHUNK_BYTES + 1))
    upload(assigned, personas.mediator, helpers.png(), name="scan.png")

    assert case_documents_destroy(case=assigned) == 2

    assert not Document.objects.exists() and not DocumentChunk.objects.exists()


def test_a_file_name_with_markup_is_shown_escaped(client, assigned, personas):
    party = assigned.participations.active().first()
    upload(assigned, personas.mediator, helpers.pdf(), name='<script>x()</script>".pdf')
    upload(assigned, personas.mediator, helpers.pdf(), name="<img src=x onerror=y()>.pdf")
    client.force_login(personas.mediator)

    for path in (
        list_url(assigned),
        reverse("cases:detail", args=[assigned.pk]),
        reverse("parties:consent", args=[assigned.pk, party.pk]),
    ):
        html = client.get(path).content.decode()
        assert "<script>x()" not in html and "<img src=x" not in html, path
    assert "&lt;img src=x onerror=y()&gt;.pdf" in client.get(list_url(assigned)).content.decode()


def test_the_pages_speak_dutch(assigned, personas):
    dutch = Client(HTTP_ACCEPT_LANGUAGE="nl")
    dutch.force_login(personas.mediator)
    response = dutch.post(
        list_url(assigned),
        {"kind": "report", "participation": "", "file": SimpleUploadedFile("x.pdf", b"MZ")},
    )

    html = response.content.decode()
    assert "Een document toevoegen" in html and "Soort document" in html
    assert "Tafel kijkt naar wat het bestand bevat, niet naar de naam." in html


def test_the_trail_names_the_document_by_kind_and_case_never_by_file_name(
    client, assigned, personas
):
    client.force_login(personas.mediator)
    post_file(client, assigned, helpers.pdf(), f"{MARKER}.pdf")
    document = Document.objects.get()
    client.get(download_url(document)).getvalue()

    for who, path in (
        (personas.comediator, reverse("cases:trail", args=[assigned.pk])),
        (personas.supervisor, reverse("audit:trail")),
    ):
        client.force_login(who)
        html = client.get(path).content.decode()

        assert "Document uploaded" in html and "Document downloaded" in html, who
        assert f"Signed mediation agreement ({assigned.reference})" in html, who
        assert MARKER not in html


def test_a_file_past_the_limit_is_dropped_while_the_request_is_read(
    client, assigned, personas, settings
):
    settings.TAFEL_DOCUMENT_MAX_BYTES = 100_000
    client.force_login(personas.mediator)

    response = post_file(client, assigned, helpers.pdf(size=300_000), "groot.pdf")

    assert response.status_code == 400
    html = response.content.decode()
    assert "This file is too large: a document may be at most 97.7" in html
    assert "This field is required" not in html
    assert not Document.objects.exists() and not DocumentChunk.objects.exists()


def test_an_upload_without_the_csrf_token_is_refused(assigned, personas):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(personas.mediator)

    response = post_file(browser, assigned, helpers.pdf(), "scan.pdf")

    assert response.status_code == 403
    assert not Document.objects.exists()


def test_a_download_is_no_activity_on_the_case_an_upload_is(assigned, personas):
    document = upload(assigned, personas.mediator, helpers.pdf())
    after_upload = CaseActivity.objects.get(case=assigned).last_at

    b"".join(document_download(document=document, reader=personas.comediator).stream)

    assert CaseActivity.objects.get(case=assigned).last_at == after_upload
