"""The settlement agreement as a document to sign, from the organisation's template (issue 22,
point 3). It is stored as a letter for every party (`letters`), which records the template's
version, so a printed agreement can say which wording it used after the wording changed."""

from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import Agreement
from agreements.services.common import READ, _check, owner_name, party_participations
from agreements.services.drafting import agreement_read
from audit.models import AuditAction
from audit.services import audit_record
from doctemplates.models import TemplateKind
from letters.models import Letter, LetterPurpose
from letters.services import letter_from_template
from mediation.types import User


@transaction.atomic
def agreement_document_make(*, agreement: Agreement, language: str, actor: User) -> Letter:
    """The agreement's current version filled into the settlement agreement template, in
    `language`, for the case's mediators to print and have signed; audited. Opening the
    agreement to fill it in is recorded like any read (CannotOpen when its key is gone)."""
    case = agreement.case
    _check(case, actor, READ)
    opened = agreement_read(agreement=agreement, reader=actor)
    with translation.override(language):
        actions = "\n".join(
            # The owner again, in the document's language ("the municipality").
            f"{action.number}. {action.description} — {owner_name(action.action)}"
            f" — {date_format(action.action.due_on, 'j F Y')}"
            for action in opened.actions
        )
        signatures = "\n\n".join(
            _("%(name)s: ______________________________  date: ____________")
            % {"name": participation.party.name}
            for participation in party_participations(case).select_related("party")
        )
        values = {
            "agreement_date": date_format(timezone.localdate(), "j F Y"),
            "agreement_text": opened.text,
            "actions": actions or _("No actions were agreed."),
            "signatures": signatures,
        }
    letter = letter_from_template(
        case=case,
        participation=None,
        purpose=LetterPurpose.AGREEMENT,
        kind=TemplateKind.AGREEMENT,
        language=language,
        values=values,
        group=f"agreement:{agreement.pk}",
    )
    audit_record(
        action=AuditAction.LETTER_MADE,
        actor=actor,
        target=letter,
        case_id=case.pk,
        details={"letter": letter.pk, "purpose": letter.purpose, "version": agreement.version},
    )
    return letter
