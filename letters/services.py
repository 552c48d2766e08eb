"""Letters to print: made where an email would be queued, printed and marked sent by the case's
mediators, forgotten with the dossier."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case
from cases.permissions import CasePermission, case_permission_require
from letters.models import Letter, LetterStatus
from mediation import crypto
from mediation.crypto import CannotOpen
from mediation.types import User
from parties.models import ContactChannel, Participation


def by_post(participation: Participation) -> bool:
    """Whether what the product would email to `participation` becomes a letter instead."""
    return participation.party.contact_channel == ContactChannel.POST


def letter_queue(
    *,
    participation: Participation,
    purpose: str,
    title: str,
    body: str,
    group: str = "",
    answer_path: str = "",
) -> Letter:
    """Make a letter to print for `participation`, in the caller's transaction.

    A letter about the same thing (`group`) to the same participant that was not printed yet is
    replaced: only the newest one is worth sending.
    """
    case = participation.case
    if group:
        Letter.objects.filter(
            participation=participation, group=group, status=LetterStatus.TO_PRINT
        ).update(status=LetterStatus.REPLACED)
    letter = Letter(
        case=case,
        participation=participation,
        purpose=purpose,
        language=participation.page_language,
        group=group,
        answer_path=answer_path,
    )
    key = case_data_key(case, create=True)
    crypto.field_seal(key, letter, "title", title)
    crypto.field_seal(key, letter, "body", body)
    letter.full_clean(exclude=["sealed_title", "sealed_body"])
    letter.save()
    return letter


@dataclass(frozen=True)
class LetterText:
    """A letter's title and text, opened; None when they cannot be opened."""

    title: str
    body: str


def letter_text(*, letter: Letter, key: bytes | None) -> LetterText | None:
    """The letter's title and text, or None when the case's key or the bytes do not fit."""
    if key is None:
        return None
    try:
        return LetterText(
            title=crypto.field_open(key, letter, "title"),
            body=crypto.field_open(key, letter, "body"),
        )
    except CannotOpen:
        return None


def case_key_or_none(case: Case) -> bytes | None:
    try:
        return case_data_key(case)
    except CannotOpen:
        return None


@transaction.atomic
def letter_mark_sent(*, letter: Letter, actor: User) -> Letter:
    """The mediator printed the letter and posted it (audited). Marking it twice changes
    nothing."""
    case_permission_require(actor, letter.case, CasePermission.READ_NOTES)
    letter = Letter.objects.select_for_update().select_related("case").get(pk=letter.pk)
    if letter.status == LetterStatus.SENT:
        return letter
    letter.status = LetterStatus.SENT
    letter.sent_at = timezone.now()
    letter.sent_by = actor
    letter.save(update_fields=["status", "sent_at", "sent_by"])
    audit_record(
        action=AuditAction.LETTER_SENT,
        actor=actor,
        target=letter,
        case_id=letter.case_id,
        details={"letter": letter.pk, "purpose": letter.purpose},
    )
    return letter


def case_letters_destroy(*, case: Case) -> int:
    """When the case's dossier is destroyed: every letter goes. Runs from the dossier app's
    destruction list, which checks the approval and audits. Returns how many went."""
    deleted, _ = Letter.objects.filter(case=case).delete()
    return deleted
