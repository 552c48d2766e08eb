"""No plain bytes of a document on disk, ever: the upload page reads a file into memory only,
up to the size limit, even above Django's own limit for memory (2.5 MB), past which Django's
default handlers would write it to a temporary file."""

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.urls import reverse

from documents.models import CHUNK_BYTES, Document, DocumentChunk
from documents.uploads import DiscardFiles, DocumentInMemory, DocumentSizeLimit
from tests.documents.helpers import MARKER

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def marked_pdf(size: int) -> bytes:
    """A PDF-looking file of about `size` bytes with the marker on every line, so that every
    chunk holds it."""
    line = f"{MARKER}\n".encode()
    return b"%PDF-1.7\n" + line * (size // len(line))


def post_file(client, case, data: bytes, name: str = "scan.pdf"):
    return client.post(
        reverse("documents:list", args=[case.pk]),
        {"kind": "signed_agreement", "participation": "", "file": SimpleUploadedFile(name, data)},
    )


def test_a_file_above_djangos_memory_limit_is_held_in_memory_and_stored_only_sealed(
    client, assigned, personas, settings, tmp_path
):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    data = marked_pdf(3 * MB + 12_345)
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    client.force_login(personas.mediator)

    response = post_file(client, assigned, data, f"{MARKER}.pdf")

    assert response.status_code == 302
    request = response.wsgi_request
    # The file the view stored was the in-memory one, read by the page's own handlers only.
    assert type(request.FILES["file"]) is InMemoryUploadedFile
    assert [type(handler) for handler in request.upload_handlers] == [
        DocumentSizeLimit,
        DocumentInMemory,
    ]
    assert not any(isinstance(h, TemporaryFileUploadHandler) for h in request.upload_handlers)
    assert list(tmp_path.iterdir()) == []
    document = Document.objects.get()
    chunks = -(-len(data) // CHUNK_BYTES)
    assert document.size == len(data) and document.chunk_count == chunks
    sealed = [bytes(chunk) for chunk in DocumentChunk.objects.values_list("sealed", flat=True)]
    assert len(sealed) == chunks and all(MARKER.encode() not in chunk for chunk in sealed)
    assert MARKER.encode() not in bytes(document.sealed_name)
    download = client.get(reverse("documents:download", args=[assigned.pk, document.pk]))
    assert b"".join(download.streaming_content) == data


def test_an_upload_needs_no_temporary_folder_at_all(client, assigned, personas, settings, tmp_path):
    # A folder that does not exist: a temporary file, were one made, would fail the request.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "absent")
    client.force_login(personas.mediator)

    response = post_file(client, assigned, marked_pdf(3 * MB))

    assert response.status_code == 302
    assert Document.objects.get().size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert not (tmp_path / "absent").exists()


def test_the_files_of_one_request_count_together_against_the_limit(
    client, assigned, personas, settings
):
    # Each file fits; together they pass the limit, so one request cannot fill the memory
    # with many of them.
    settings.TAFEL_DOCUMENT_MAX_BYTES = 100_000
    client.force_login(personas.mediator)

    response = client.post(
        reverse("documents:list", args=[assigned.pk]),
        {
            "kind": "signed_agreement",
            "participation": "",
            "file": [
                SimpleUploadedFile("een.pdf", marked_pdf(60_000)),
                SimpleUploadedFile("twee.pdf", marked_pdf(60_000)),
            ],
        },
    )

    assert response.status_code == 400
    assert "This file is too large" in response.content.decode()
    assert not Document.objects.exists() and not DocumentChunk.objects.exists()


def test_an_anonymous_upload_is_read_past_not_kept(client, assigned):
    response = post_file(client, assigned, marked_pdf(3 * MB))

    assert response.status_code == 302 and "/login/" in response["Location"]
    # Nobody without an account can make the page hold a file in memory.
    request = response.wsgi_request
    assert [type(handler) for handler in request.upload_handlers] == [DiscardFiles]
    assert len(request.FILES) == 0
    assert not Document.objects.exists()
