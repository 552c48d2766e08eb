"""Documents on a case: upload, download, delete, and destruction with the dossier or with a
person's erasure.

Only the case's mediators (`CasePermission.READ_NOTES` to read, `WRITE_NOTES` to change) reach
a document. Every upload, download and deletion is an audit event naming the document and its
kind, never its file name (which often names a person). An upload is one transaction: a file
refused for its type or size, or a failure half-way, stores nothing. A closed case takes no new
documents and keeps the ones it has; they can still be downloaded.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case, CaseStatus
from cases.permissions import CasePermission, case_permission_require
from documents import content
from documents.models import CHUNK_BYTES, Document, DocumentChunk
from mediation import crypto
from mediation.crypto import CannotOpen
from mediation.types import User
from parties.models import Participation, Party

NAME_MAX_LENGTH = 255


def refused_type_message() -> str:
    return _(
        "This file cannot be added: only PDF, PNG and JPEG images, and Word, Excel, PowerPoint "
        "and OpenDocument files are accepted. Tafel checks what the file contains, not its name."
    )


def too_large_message() -> str:
    return _("This file is too large: a document may be at most %(size)s.") % {
        "size": filesizeformat(settings.TAFEL_DOCUMENT_MAX_BYTES)
    }


def closed_message() -> str:
    return _(
        "The case is closed: documents can no longer be added or deleted. "
        "They can still be downloaded."
    )


def _refuse_if_closed(case: Case) -> None:
    """Documents change only on an open case. The status is read under the case's row lock, as
    `case_transition` takes it: a case closed meanwhile refuses the change."""
    status = Case.objects.select_for_update().values_list("status", flat=True).get(pk=case.pk)
    if status == CaseStatus.CLOSED:
        raise ValidationError(closed_message())


def _clean_name(name: str) -> str:
    """The file name without any folder, control characters or excess length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if character.isprintable()).strip()
    return name[-NAME_MAX_LENGTH:] or "document"


@transaction.atomic
def document_upload(
    *,
    case: Case,
    upload: UploadedFile,
    kind: str,
    participation: Participation | None,
    actor: User,
) -> Document:
    """Store `upload` on `case`, sealed in chunks; refused (nothing stored) when the case is
    closed, its content is not on the allow-list, it is too large, or the participant is of
    another case."""
    case_permission_require(actor, case, CasePermission.WRITE_NOTES)
    if case.dossier_destroyed_on is not None:
        raise ValidationError(_("The dossier of this case was destroyed: it takes no documents."))
    _refuse_if_closed(case)
    if participation is not None and participation.case_id != case.pk:
        raise ValidationError({"participation": _("Choose a participant of this case.")})
    if upload.size is None or upload.size > settings.TAFEL_DOCUMENT_MAX_BYTES:
        raise ValidationError({"file": too_large_message()})
    content_type = content.detect(upload)
    if content_type is None:
        raise ValidationError({"file": refused_type_message()})
    key = case_data_key(case, create=True)
    document = Document(
        case=case,
        kind=kind,
        participation=participation,
        content_type=content_type,
        size=0,
        chunk_count=0,
        sealed_name=b"",
        uploaded_by=actor,
    )
    document.full_clean(exclude=["sealed_name", "size", "chunk_count"])
    document.save()
    size = index = 0
    # One chunk in memory at a time, whatever the file's size.
    for piece in _pieces(upload):
        size += len(piece)
        if size > settings.TAFEL_DOCUMENT_MAX_BYTES:
            raise ValidationError({"file": too_large_message()})  # the transaction rolls back
        sealed = crypto.seal_bytes(key, piece, context=document.chunk_context(index))
        DocumentChunk.objects.create(document=document, index=index, sealed=sealed)
        index += 1
    document.size, document.chunk_count = size, index
    crypto.field_seal(key, document, "name", _clean_name(upload.name or ""))
    document.save(update_fields=["size", "chunk_count", "sealed_name"])
    audit_record(
        action=AuditAction.DOCUMENT_UPLOADED,
        actor=actor,
        target=document,
        case_id=case.pk,
        details={"document": document.pk, "kind": kind, "size": size},
    )
    return document


def _pieces(upload: UploadedFile) -> Iterator[bytes]:
    """The file's bytes in pieces of exactly `CHUNK_BYTES` (the last one shorter)."""
    upload.seek(0)
    pending = b""
    for part in upload.chunks(CHUNK_BYTES):
        pending += part
        while len(pending) >= CHUNK_BYTES:
            yield pending[:CHUNK_BYTES]
            pending = pending[CHUNK_BYTES:]
    if pending:
        yield pending


def document_name(*, document: Document, key: bytes | None) -> str | None:
    """The original file name, or None when it cannot be opened (a missing or wrong key)."""
    if key is None:
        return None
    try:
        return crypto.field_open(key, document, "name")
    except CannotOpen:
        return None


@dataclass(frozen=True)
class Download:
    """A document ready to be sent: its name, type, size and its bytes, one chunk at a time."""

    name: str
    content_type: str
    size: int
    stream: Iterator[bytes]


def document_download(*, document: Document, reader: User) -> Download:
    """Open `document` for `reader` (audited); `CannotOpen` when its key or bytes do not fit.

    The name (bound to the size and number of chunks) and the number of chunks are checked
    first; each chunk is opened only as it is sent, so a chunk changed in the database stops
    the download there rather than sending changed bytes.
    """
    case_permission_require(reader, document.case, CasePermission.READ_NOTES)
    key = case_data_key(document.case)
    name = crypto.field_open(key, document, "name")
    if DocumentChunk.objects.filter(document=document).count() != document.chunk_count:
        raise CannotOpen("the document's chunks are incomplete")
    audit_record(
        action=AuditAction.DOCUMENT_DOWNLOADED,
        actor=reader,
        target=document,
        case_id=document.case_id,
        details={"document": document.pk, "kind": document.kind},
    )
    return Download(name, document.content_type, document.size, _opened(document, key))


def _opened(document: Document, key: bytes) -> Iterator[bytes]:
    chunk_ids = list(
        DocumentChunk.objects.filter(document=document).order_by("index").values_list("pk", "index")
    )
    for expected, (pk, index) in enumerate(chunk_ids):
        if index != expected:
            raise CannotOpen("a chunk of the document is missing")
        sealed = DocumentChunk.objects.values_list("sealed", flat=True).get(pk=pk)
        yield crypto.unseal_bytes(key, sealed, context=document.chunk_context(index))


@transaction.atomic
def document_delete(*, document: Document, actor: User) -> None:
    """Delete `document` and its bytes for good (audited: its id and kind stay in the trail);
    refused when the case is closed."""
    case_permission_require(actor, document.case, CasePermission.WRITE_NOTES)
    _refuse_if_closed(document.case)
    document_id, kind = document.pk, document.kind
    audit_record(
        action=AuditAction.DOCUMENT_DELETED,
        actor=actor,
        target=document,
        case_id=document.case_id,
        details={"document": document_id, "kind": kind},
    )
    DocumentChunk.objects.filter(document_id=document_id).delete()
    Document.objects.filter(pk=document_id).delete()


def case_documents_destroy(*, case: Case) -> int:
    """When the case's dossier is destroyed: every document and its bytes go.

    Runs from the dossier app's destruction list, which checks the approval and audits; the
    case's key is destroyed after it (`case_content_destroy`), so backups stay unreadable too.
    Returns how many documents went.
    """
    documents = Document.objects.filter(case=case)
    count = documents.count()
    DocumentChunk.objects.filter(document__case=case).delete()
    documents.delete()
    return count


def party_documents_destroy(*, party: Party) -> int:
    """When a person is erased (art. 17): the documents linked to any of their participations
    (a scanned agreement they signed) and their bytes go, on whatever case.

    Runs from the dossier app's `person_erase`, in its transaction, which checks the
    supervisor and audits the count. Documents about nobody in particular, or about someone
    else, stay. Returns how many documents went.
    """
    documents = Document.objects.filter(participation__party=party)
    ids = list(documents.values_list("pk", flat=True))
    DocumentChunk.objects.filter(document_id__in=ids).delete()
    Document.objects.filter(pk__in=ids).delete()
    return len(ids)
