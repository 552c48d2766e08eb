"""Letters to print: made where an email would be queued, printed and marked sent by the case's
mediators, forgotten with the dossier."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case
from cases.permissions import CasePermission, case_permission_require
from doctemplates.models import DocumentTemplateVersion, TemplateKind
from doctemplates.services import template_render
from letters.models import Letter, LetterPurpose, LetterStatus
from mediation import crypto
from mediation.crypto import CannotOpen
from mediation.types import User
from parties.models import ContactChannel, ParticipantRole, Participation, Party


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
    return _store(
        case=participation.case,
        participation=participation,
        purpose=purpose,
        language=participation.page_language,
        title=title,
        body=body,
        group=group,
        answer_path=answer_path,
    )


def letter_from_template(
    *,
    case: Case,
    participation: Participation | None,
    purpose: str,
    kind: str,
    language: str,
    values: Mapping[str, str],
    group: str = "",
    answer_path: str = "",
) -> Letter:
    """Make a letter (or, without a participant, a document for every party) from the case's
    organisation's template of `kind` in `language`; it records the template's version.
    `values` adds to the fields every kind has (`template_values`)."""
    rendered = template_render(
        kind=kind,
        organisation=case.referring_organisation,
        language=language,
        values={
            **template_values(case=case, participation=participation, language=language),
            **values,
        },
    )
    return _store(
        case=case,
        participation=participation,
        purpose=purpose,
        language=language,
        title=rendered.title,
        body=rendered.body,
        group=group,
        answer_path=answer_path,
        version=rendered.version,
    )


def template_values(
    *, case: Case, participation: Participation | None, language: str
) -> dict[str, str]:
    """The fields every kind of template has (doctemplates.fields.SHARED), for `case`, with
    dates written in `language`."""
    mediator = case.lead_mediator
    parties = (
        case.participations.active()
        .filter(role=ParticipantRole.PARTY)
        .select_related("party")
        .order_by("id")
    )
    return {
        "case_reference": case.reference,
        "organisation": case.referring_organisation,
        "recipient_name": participation.party.name if participation is not None else "",
        "parties": ", ".join(p.party.name for p in parties),
        "mediator_name": (mediator.get_full_name() or mediator.get_username()) if mediator else "",
        "mediator_email": mediator.email if mediator else "",
        "today": _date(timezone.localdate(), language),
    }


def _date(day: date, language: str) -> str:
    with translation.override(language):
        return date_format(day, "j F Y")


def _store(
    *,
    case: Case,
    participation: Participation | None,
    purpose: str,
    language: str,
    title: str,
    body: str,
    group: str = "",
    answer_path: str = "",
    version: DocumentTemplateVersion | None = None,
) -> Letter:
    if group and participation is not None:
        Letter.objects.filter(
            participation=participation, group=group, status=LetterStatus.TO_PRINT
        ).update(status=LetterStatus.REPLACED)
    letter = Letter(
        case=case,
        participation=participation,
        purpose=purpose,
        language=language,
        group=group,
        answer_path=answer_path,
        template_version=version,
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


# Closing letters (issue 22, point 3: from the organisation's template)

CLOSING_ROLES = (ParticipantRole.PARTY, ParticipantRole.REPRESENTATIVE)


def closing_letter_values(*, case: Case, language: str) -> dict[str, str]:
    with translation.override(language):
        return {
            "closing_date": _date(case.ended_on or timezone.localdate(), language),
            "outcome": str(case.get_outcome_display()) if case.outcome else "",
        }


def closing_letters_queue(*, case: Case, actor: User | None) -> int:
    """When a case closes (`cases.hooks.after_closing`): a closing letter for each party and
    representative who hears from us by post. Returns how many were made."""
    participations = (
        case.participations.active()
        .filter(role__in=CLOSING_ROLES, party__contact_channel=ContactChannel.POST)
        .select_related("party")
        .order_by("id")
    )
    made = 0
    for participation in participations:
        closing_letter_make(case=case, participation=participation)
        made += 1
    return made


def closing_letter_make(*, case: Case, participation: Participation) -> Letter:
    language = participation.page_language
    return letter_from_template(
        case=case,
        participation=participation,
        purpose=LetterPurpose.CLOSING,
        kind=TemplateKind.CLOSING,
        language=language,
        values=closing_letter_values(case=case, language=language),
        group="closing",
    )


@transaction.atomic
def letter_closing_make(*, case: Case, participation: Participation, actor: User) -> Letter:
    """A mediator makes the closing letter for one participant of a closed case (to print and
    hand over or post, whatever their channel); audited."""
    case_permission_require(actor, case, CasePermission.READ_NOTES)
    if case.is_open:
        raise ValidationError(_("The closing letter can be made once the case is closed."))
    if participation.case_id != case.pk or participation.removed_at is not None:
        raise ValidationError(_("Choose a participant of this case."))
    letter = closing_letter_make(case=case, participation=participation)
    audit_record(
        action=AuditAction.LETTER_MADE,
        actor=actor,
        target=letter,
        case_id=case.pk,
        details={"letter": letter.pk, "purpose": letter.purpose},
    )
    return letter


def case_letters_destroy(*, case: Case) -> int:
    """When the case's dossier is destroyed: every letter goes. Runs from the dossier app's
    destruction list, which checks the approval and audits. Returns how many went."""
    deleted, _ = Letter.objects.filter(case=case).delete()
    return deleted


def party_letters_destroy(*, party: Party) -> int:
    """When a person is erased (art. 17): the letters addressed to any of their participations
    go, on whatever case (their title and text name them and their address).

    Runs from the dossier app's `person_erase`, in its transaction, which checks the
    supervisor and audits the count. Letters to other participants and documents for every
    party (the agreement to sign) stay. Returns how many letters went.
    """
    _deleted, per_model = Letter.objects.filter(participation__party=party).delete()
    return per_model.get(Letter._meta.label, 0)
