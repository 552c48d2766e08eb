"""How the audit trail names the records and values of `cases` (see audit/labels.py)."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from audit import labels
from cases.models import Case, CaseKind, CaseStatus, Declaration, Note, NoteKind, Outcome, Urgency


def _case_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    rows = Case.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()])
    return {str(pk): reference for pk, reference in rows.values_list("pk", "reference")}


def _note_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    """The kind of note and its case; never its title (that is sealed text)."""
    rows = Note.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()]).values_list(
        "pk", "kind", "case__reference"
    )
    return {str(pk): f"{NoteKind(kind).label} ({reference})" for pk, kind, reference in rows}


def _kind_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    rows = CaseKind.objects.filter(pk__in=[int(i) for i in ids if i.isdigit()])
    return {str(kind.pk): str(kind) for kind in rows}


def register() -> None:
    labels.register_target_label(labels.model_label(Case), _case_labels)
    labels.register_target_label(labels.model_label(Note), _note_labels)
    labels.register_target_label(labels.model_label(CaseKind), _kind_labels)
    statuses = dict(CaseStatus.choices)
    labels.register_detail("from", name=_("from"), values=statuses)
    labels.register_detail("to", name=_("to"), values=statuses)
    labels.register_detail("transition", name=_("step"))
    labels.register_detail("outcome", name=_("outcome"), values=dict(Outcome.choices))
    labels.register_detail("urgency", name=_("urgency"), values=dict(Urgency.choices))
    labels.register_detail("declaration", name=_("declaration"), values=dict(Declaration.choices))
    labels.register_detail("matches_shown", name=_("possible matches shown"))
    labels.register_detail("safety_concern", name=_("safety concern"))
    labels.register_detail("kind", name=_("kind"), values=dict(NoteKind.choices))
    labels.register_detail("note", name=_("note"))
