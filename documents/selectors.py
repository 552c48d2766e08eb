"""Reading a case's documents for its pages: plain fields, and the name opened once per page."""

from dataclasses import dataclass
from datetime import datetime

from cases.keys import case_data_key_or_none
from cases.models import Case
from documents import services
from documents.models import Document
from parties.models import Participation


@dataclass(frozen=True)
class ShownDocument:
    """A document as the pages show it; `name` is None when it cannot be opened."""

    pk: int
    case_id: int
    kind: str
    name: str | None
    content_type: str
    size: int
    uploaded_at: datetime
    uploaded_by: str
    participant: str


def document_shown(*, document: Document, key: bytes | None) -> ShownDocument:
    participation = document.participation
    return ShownDocument(
        pk=document.pk,
        case_id=document.case_id,
        kind=document.get_kind_display(),
        name=services.document_name(document=document, key=key),
        content_type=document.content_type,
        size=document.size,
        uploaded_at=document.uploaded_at,
        uploaded_by=document.uploaded_by.get_full_name() or document.uploaded_by.get_username(),
        participant=participation.party.name if participation is not None else "",
    )


def case_documents(*, case: Case) -> list[ShownDocument]:
    """The case's documents, newest first, in two queries (the key once)."""
    documents = Document.objects.filter(case=case).select_related(
        "uploaded_by", "participation__party"
    )
    if not documents:
        return []
    key = case_data_key_or_none(case)
    return [document_shown(document=document, key=key) for document in documents]


def participation_documents(*, participation: Participation) -> list[Document]:
    """The documents linked to one participant (for the consent page's links)."""
    return list(Document.objects.filter(participation=participation).order_by("uploaded_at"))
