"""Reads of the dossier app: what is due for destruction, holds, lists."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from cases.models import Case, CaseStatus, Note, NoteKind
from dossier.models import DestructionItem, DestructionList, LegalHold, ListStatus, RecordClass
from dossier.rules import Rule, add_years, default_rule, kept_until, rules_by_kind


@dataclass(frozen=True)
class Due:
    """Records of one case whose retention ended."""

    case: Case
    record_class: str
    kept_until: date
    rule: Rule


def due_for_destruction(*, today: date) -> list[Due]:
    """Every record class of a closed case whose retention ended before `today`: not held,
    not destroyed already, not on a list that is waiting or approved. Working notes only where
    there are some. A fixed number of queries, whatever the number of cases."""
    rules, default = rules_by_kind(), default_rule()
    every = [default, *rules.values()]
    on_open_list = DestructionItem.objects.filter(
        case=OuterRef("pk"),
        destruction_list__status__in=[ListStatus.PROPOSED, ListStatus.APPROVED],
    )
    closed = (
        Case.objects.filter(status=CaseStatus.CLOSED, ended_on__isnull=False, ended_on__lt=today)
        .exclude(Exists(LegalHold.objects.active().filter(case=OuterRef("pk"))))
        .select_related("kind")
        .annotate(
            has_working_notes=Exists(
                Note.objects.filter(case=OuterRef("pk"), kind=NoteKind.WORKING)
            ),
            notes_listed=Exists(on_open_list.filter(record_class=RecordClass.WORKING_NOTES)),
            dossier_listed=Exists(on_open_list.filter(record_class=RecordClass.DOSSIER)),
        )
        .filter(dossier_destroyed_on__isnull=True)
        # Only what can be due under the mildest rule: the rest stays in the database.
        .filter(
            Q(
                has_working_notes=True,
                notes_listed=False,
                ended_on__lt=today - timedelta(days=min(r.working_notes_days for r in every)),
            )
            | Q(
                dossier_listed=False,
                ended_on__lte=add_years(today, -min(r.dossier_years for r in every)),
            )
        )
        .order_by("ended_on", "id")
    )
    due = []
    for case in closed:
        ended_on: date = case.ended_on
        rule = rules.get(case.kind_id, default)
        wanted = []
        if case.has_working_notes and not case.notes_listed:
            wanted.append(RecordClass.WORKING_NOTES)
        if not case.dossier_listed:
            wanted.append(RecordClass.DOSSIER)
        for record_class in wanted:
            until = kept_until(record_class, ended_on, rule)
            if until < today:
                due.append(Due(case, record_class, until, rule))
    return due


def active_hold(case: Case) -> LegalHold | None:
    return LegalHold.objects.active().filter(case=case).select_related("set_by").first()


def destruction_lists() -> QuerySet[DestructionList]:
    return DestructionList.objects.select_related(
        "proposed_by", "approved_by", "second_approved_by", "executed_by", "rejected_by"
    )


def lists_waiting() -> QuerySet[DestructionList]:
    """Lists a supervisor still has to decide on or carry out."""
    return DestructionList.objects.filter(
        Q(status=ListStatus.PROPOSED) | Q(status=ListStatus.APPROVED)
    )
