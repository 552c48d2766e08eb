"""Destroying what a case holds when its retention ends (the dossier app's destruction lists).

These run only from `dossier.services.destruction_list_execute`, which checks that a supervisor
approved the list and writes the audit events; they do not check or audit themselves.
"""

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from cases.models import (
    Case,
    CaseStatusChange,
    ConflictOfInterestDeclaration,
    Note,
    NoteKind,
    NoteVersion,
)
from mediation import keys


def case_working_notes_destroy(*, case: Case) -> int:
    """Delete the case's working notes and their earlier versions; the dossier stays."""
    notes = Note.objects.filter(case=case, kind=NoteKind.WORKING)
    NoteVersion.objects.filter(note__in=notes).delete()
    count, _ = notes.delete()
    Case.objects.filter(pk=case.pk).update(working_notes_destroyed_on=timezone.localdate())
    return count


def case_content_destroy(*, case: Case) -> None:
    """Destroy what the case row and its notes hold; keep the tombstone.

    Every note goes, the case's data key is destroyed (crypto-shredding: anything still sealed
    under it, in a backup too, is unreadable for good), and the plain text that can name people
    is blanked: title, reason for referral, grounds, reasons given for steps and disclosures.
    Reference, kind, dates and outcome remain.
    """
    NoteVersion.objects.filter(note__case=case).delete()
    Note.objects.filter(case=case).delete()
    if case.key is not None:
        keys.data_key_destroy(case.key)
    CaseStatusChange.objects.filter(case=case).update(reason="")
    ConflictOfInterestDeclaration.objects.filter(case=case).update(disclosure="")
    today = timezone.localdate()
    Case.objects.filter(pk=case.pk).update(
        title="",
        referral_reason="",
        end_ground="",
        woo_note="",
        working_notes_destroyed_on=Coalesce(F("working_notes_destroyed_on"), today),
        dossier_destroyed_on=today,
    )
