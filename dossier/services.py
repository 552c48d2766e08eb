"""Every write of the dossier app: legal holds and destruction lists, each audited.

Nothing is destroyed before a supervisor approved the list (two different supervisors when
TAFEL_DESTRUCTION_FOUR_EYES is on). Carrying a list out destroys, per case, through the owning
apps' services: the agreement (agreements), the sessions (scheduling), the participants and the
keys of people in no other case (parties), the notes, the case's data key and its identifying
text (cases), and the stored emails (mediation). What remains of the case is its tombstone:
reference, kind, dates and outcome.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.services import case_agreement_destroy
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case
from cases.permissions import is_supervisor
from cases.services import case_content_destroy, case_working_notes_destroy
from documents.services import case_documents_destroy
from dossier.models import DestructionItem, DestructionList, LegalHold, ListStatus, RecordClass
from dossier.rules import basis_text
from dossier.selectors import due_for_destruction
from letters.services import case_letters_destroy
from mediation.http_outbox import http_outbox_forget
from mediation.outbox import outbox_forget
from mediation.types import User
from parties.services import case_participants_destroy
from scheduling.services import case_sessions_destroy
from surveys.services import case_surveys_destroy

REASON_MAX = 1000
# The worker proposes a list once a month at most (and never while one waits).
PROPOSAL_INTERVAL = timedelta(days=28)

NOT_SUPERVISOR = _("Only a supervisor may do this.")


def _require_supervisor(actor: User) -> None:
    if not is_supervisor(actor):
        raise PermissionDenied(NOT_SUPERVISOR)


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason."))
    if len(reason) > REASON_MAX:
        raise ValidationError(_("Keep the reason under %(max)s characters.") % {"max": REASON_MAX})
    return reason


# Legal holds


@transaction.atomic
def legal_hold_set(*, case: Case, actor: User, reason: str) -> LegalHold:
    """Keep `case` from destruction until a supervisor lifts the hold."""
    _require_supervisor(actor)
    reason = _clean_reason(reason)
    Case.objects.select_for_update().get(pk=case.pk)  # one hold at a time, also when racing
    if LegalHold.objects.active().filter(case=case).exists():
        raise ValidationError(_("This case is already under a legal hold."))
    if case.dossier_destroyed_on is not None:
        raise ValidationError(_("The dossier of this case was destroyed already."))
    hold = LegalHold.objects.create(case=case, reason=reason, set_by=actor)
    audit_record(
        action=AuditAction.LEGAL_HOLD_SET, actor=actor, target=hold, case_id=case.pk, details={}
    )
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, actor: User, reason: str) -> LegalHold:
    """Lift a hold: the case's retention clocks count again."""
    _require_supervisor(actor)
    reason = _clean_reason(reason)
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError(_("This legal hold was lifted already."))
    hold.lifted_by, hold.lifted_at, hold.lift_reason = actor, timezone.now(), reason
    hold.save(update_fields=["lifted_by", "lifted_at", "lift_reason"])
    audit_record(
        action=AuditAction.LEGAL_HOLD_LIFTED,
        actor=actor,
        target=hold,
        case_id=hold.case_id,
        details={},
    )
    return hold


# Destruction lists


@transaction.atomic
def destruction_propose(*, actor: User | None, today: date | None = None) -> DestructionList | None:
    """Put every record whose retention ended on a new list; None when nothing is due.

    `actor` is the supervisor who asked, or None for the monthly run and the command.
    """
    if actor is not None:
        _require_supervisor(actor)
    due = due_for_destruction(today=today or timezone.localdate())
    if not due:
        return None
    proposal = DestructionList.objects.create(proposed_by=actor)
    DestructionItem.objects.bulk_create(
        DestructionItem(
            destruction_list=proposal,
            case=item.case,
            record_class=item.record_class,
            reference=item.case.reference,
            kind_name=str(item.case.kind),
            referred_on=item.case.referred_on,
            ended_on=item.case.ended_on,
            outcome=item.case.outcome,
            kept_until=item.kept_until,
            basis=basis_text(item.record_class, item.case.ended_on, item.rule)[:300],
        )
        for item in due
        if item.case.ended_on is not None
    )
    audit_record(
        action=AuditAction.DESTRUCTION_PROPOSED,
        actor=actor,
        actor_label="" if actor else "system (retention)",
        target=proposal,
        details={"items": len(due)},
    )
    return proposal


def destruction_proposal_due() -> DestructionList | None:
    """The worker's monthly job: propose a list unless one waits or one was proposed lately."""
    if DestructionList.objects.filter(
        status__in=[ListStatus.PROPOSED, ListStatus.APPROVED]
    ).exists():
        return None
    latest = DestructionList.objects.order_by("-proposed_at").first()
    if latest is not None and latest.proposed_at > timezone.now() - PROPOSAL_INTERVAL:
        return None
    return destruction_propose(actor=None)


def four_eyes() -> bool:
    return settings.TAFEL_DESTRUCTION_FOUR_EYES


def _lock(proposal: DestructionList) -> DestructionList:
    return DestructionList.objects.select_for_update().get(pk=proposal.pk)


@transaction.atomic
def destruction_approve(*, proposal: DestructionList, actor: User) -> DestructionList:
    """Approve a proposed list; with four eyes, the second approval must be someone else's."""
    _require_supervisor(actor)
    proposal = _lock(proposal)
    if proposal.status != ListStatus.PROPOSED:
        raise ValidationError(_("This list is not waiting for approval."))
    now = timezone.now()
    if proposal.approved_by_id is None:
        proposal.approved_by, proposal.approved_at = actor, now
        if not four_eyes():
            proposal.status = ListStatus.APPROVED
    else:
        if proposal.approved_by_id == actor.pk:
            raise ValidationError(
                _("You approved this list already: a second supervisor must approve it too.")
            )
        proposal.second_approved_by, proposal.second_approved_at = actor, now
        proposal.status = ListStatus.APPROVED
    proposal.save()
    audit_record(
        action=AuditAction.DESTRUCTION_APPROVED,
        actor=actor,
        target=proposal,
        details={"complete": proposal.status == ListStatus.APPROVED},
    )
    return proposal


@transaction.atomic
def destruction_reject(*, proposal: DestructionList, actor: User, reason: str) -> DestructionList:
    """Reject a list that was not carried out: its records are proposed again next time."""
    _require_supervisor(actor)
    reason = _clean_reason(reason)
    proposal = _lock(proposal)
    if proposal.status not in (ListStatus.PROPOSED, ListStatus.APPROVED):
        raise ValidationError(_("This list was decided on already."))
    proposal.status, proposal.rejected_by, proposal.reject_reason = (
        ListStatus.REJECTED,
        actor,
        reason,
    )
    proposal.save(update_fields=["status", "rejected_by", "reject_reason"])
    audit_record(action=AuditAction.DESTRUCTION_REJECTED, actor=actor, target=proposal, details={})
    return proposal


@transaction.atomic
def destruction_execute(*, proposal: DestructionList, actor: User) -> DestructionList:
    """Carry out an approved list: destroy each item's records, or skip it when its case is
    held now. One transaction: a failure destroys nothing."""
    _require_supervisor(actor)
    proposal = _lock(proposal)
    if proposal.status != ListStatus.APPROVED:
        raise ValidationError(_("Only an approved list can be carried out."))
    now = timezone.now()
    items = list(proposal.items.select_related("case__key").order_by("case_id", "record_class"))
    held = set(
        LegalHold.objects.active()
        .filter(case_id__in=[item.case_id for item in items])
        .values_list("case_id", flat=True)
    )
    for item in items:
        locked = Case.objects.select_for_update(of=("self",)).select_related("key")
        case = locked.get(pk=item.case_id)
        if case.pk in held:
            item.skipped = _("legal hold")
        else:
            _destroy(case, item.record_class)
            item.destroyed_at = now
            audit_record(
                action=AuditAction.RECORDS_DESTROYED,
                actor=actor,
                target=case,
                case_id=case.pk,
                details={"list": proposal.pk, "records": item.record_class},
            )
        item.save(update_fields=["skipped", "destroyed_at"])
    proposal.status, proposal.executed_by, proposal.executed_at = ListStatus.EXECUTED, actor, now
    proposal.save(update_fields=["status", "executed_by", "executed_at"])
    audit_record(
        action=AuditAction.DESTRUCTION_EXECUTED,
        actor=actor,
        target=proposal,
        details={
            "destroyed": sum(1 for item in items if item.destroyed_at),
            "skipped": sum(1 for item in items if item.skipped),
        },
    )
    return proposal


def _destroy(case: Case, record_class: str) -> None:
    if record_class == RecordClass.WORKING_NOTES:
        if case.dossier_destroyed_on is None:
            case_working_notes_destroy(case=case)
        return
    if case.dossier_destroyed_on is not None:
        return
    # Highest layer first: each app's records point at the ones below.
    case_surveys_destroy(case=case)
    case_documents_destroy(case=case)
    case_letters_destroy(case=case)
    case_agreement_destroy(case=case)
    case_sessions_destroy(case=case)
    case_participants_destroy(case=case)
    case_content_destroy(case=case)
    outbox_forget(case_id=case.pk)
    http_outbox_forget(case_id=case.pk)
