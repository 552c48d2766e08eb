"""The summary for the referring coordinator, shared only when every party agreed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.models import ReferrerSummary, SummaryConsent
from agreements.services.common import (
    READ,
    SUMMARY_MAX_LENGTH,
    WRITE,
    _check,
    _clean_text,
    party_participations,
)
from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case
from cases.permissions import CasePermission, has_case_permission
from mediation import crypto
from mediation.crypto import CannotOpen
from mediation.types import User
from mediation.validators import date_not_in_future
from parties.models import ParticipantRole, Participation

# The summary for the referring coordinator


@transaction.atomic
def summary_write(*, case: Case, text: str, actor: User) -> ReferrerSummary:
    """Write or change the summary; a change asks every party's consent again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    _check(case, actor, WRITE)
    text = _clean_text(
        text,
        field="text",
        limit=SUMMARY_MAX_LENGTH,
        required=True,
        missing=_("Write the summary the parties may share."),
    )
    key = case_data_key(case, create=True)
    summary = ReferrerSummary.objects.filter(case=case).first()
    if summary is None:
        summary = ReferrerSummary(case=case, written_by=actor)
    else:
        if crypto.field_open(key, summary, "text") == text:
            return summary
        summary.version += 1
        summary.written_by = actor
    crypto.field_seal(key, summary, "text", text)
    summary.save()
    audit_record(
        action=AuditAction.SUMMARY_WRITTEN,
        actor=actor,
        target=summary,
        case_id=case.pk,
        details={"version": summary.version},
    )
    return summary


def summary_text(*, summary: ReferrerSummary, reader: User) -> str:
    """The summary, for the case's mediators."""
    _check(summary.case, reader, READ)
    return crypto.field_open(case_data_key(summary.case), summary, "text")


@transaction.atomic
def summary_consent_record(
    *, summary: ReferrerSummary, participation: Participation, agreed_on: date, actor: User
) -> SummaryConsent:
    """Record that a party agreed to share the current version of the summary."""
    _check(summary.case, actor, WRITE)
    if (
        participation.case_id != summary.case_id
        or participation.role != ParticipantRole.PARTY
        or participation.removed_at is not None
    ):
        raise ValidationError(_("Only an active party of the case agrees to share the summary."))
    date_not_in_future(agreed_on, field="agreed_on")
    consent, _created = SummaryConsent.objects.update_or_create(
        summary=summary,
        participation=participation,
        version=summary.version,
        defaults={"agreed_on": agreed_on, "recorded_by": actor},
    )
    audit_record(
        action=AuditAction.SUMMARY_CONSENT_RECORDED,
        actor=actor,
        target=consent,
        case_id=summary.case_id,
        details={"participation": participation.pk, "version": summary.version},
    )
    return consent


@transaction.atomic
def summary_consent_withdraw(
    *, summary: ReferrerSummary, participation: Participation, actor: User
) -> None:
    """A party no longer agrees to share the summary: the referrer stops seeing it."""
    _check(summary.case, actor, WRITE)
    deleted, _rows = SummaryConsent.objects.filter(
        summary=summary, participation=participation
    ).delete()
    if deleted:
        audit_record(
            action=AuditAction.SUMMARY_CONSENT_WITHDRAWN,
            actor=actor,
            target=summary,
            case_id=summary.case_id,
            details={"participation": participation.pk, "version": summary.version},
        )


def summary_consents(
    *, summary: ReferrerSummary
) -> list[tuple[Participation, SummaryConsent | None]]:
    """Each active party with its consent to the current version (None: not given)."""
    given = {
        consent.participation_id: consent
        for consent in summary.consents.filter(version=summary.version)
    }
    return [(p, given.get(p.pk)) for p in party_participations(summary.case)]


def summary_shared(*, case: Case) -> bool:
    """True when a summary exists and every active party agreed to share its current version."""
    summary = ReferrerSummary.objects.filter(case=case).first()
    if summary is None:
        return False
    consents = summary_consents(summary=summary)
    return bool(consents) and all(consent is not None for _p, consent in consents)


def summary_for_referrer(*, case: Case, reader: User) -> str | None:
    """The summary for the referring coordinator, only when every party agreed; else None.

    Reading it is recorded. The case's mediators read it through `summary_text`.
    """
    if reader.pk != case.referred_by_id or not has_case_permission(
        reader, case, CasePermission.VIEW
    ):
        return None
    if not summary_shared(case=case):
        return None
    summary = case.referrer_summary
    try:
        text = crypto.field_open(case_data_key(case), summary, "text")
    except CannotOpen:
        return None
    audit_record(
        action=AuditAction.SUMMARY_READ,
        actor=reader,
        target=summary,
        case_id=case.pk,
        details={"version": summary.version},
    )
    return text
