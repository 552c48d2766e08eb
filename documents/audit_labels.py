"""How the audit trail names documents and their details (see audit/labels.py): by kind and
case, never by file name (that is sealed text, and often names a person)."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from audit import labels
from documents.models import Document, DocumentKind


def _document_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    rows = Document.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
        "pk", "kind", "case__reference"
    )
    return {str(pk): f"{DocumentKind(kind).label} ({reference})" for pk, kind, reference in rows}


def register() -> None:
    labels.register_target_label(labels.model_label(Document), _document_labels)
    labels.register_detail("document", name=_("document"), target_type="documents.document")
    labels.register_detail("kind", values=dict(DocumentKind.choices))
    labels.register_detail("size", name=_("size in bytes"))
