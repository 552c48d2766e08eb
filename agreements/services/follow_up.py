"""The follow-up: its date, the notices to the mediators, and the review of actions."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import (
    ActionReview,
    Agreement,
    AgreementAction,
    ApprovalDecision,
    ReviewStatus,
)
from agreements.services.common import (
    COMMENT_MAX_LENGTH,
    REMINDER_HOUR,
    WRITE,
    _check,
    _check_drafting,
    _clean_text,
    _locked_agreement,
    party_participations,
)
from audit.models import AuditAction
from audit.services import audit_record
from cases.keys import case_data_key
from cases.models import Case, CaseStatus
from cases.notices import case_mediators, notice_send_many
from mediation import crypto
from mediation.models import NoticeKind, OutboxMessage, OutboxStatus
from mediation.outbox import outbox_withdraw
from mediation.types import User

# Follow-up

FOLLOW_UP_BEFORE_ACTIONS = gettext_lazy(
    "This date comes before the last action is due (%(date)s): the follow-up would review "
    "actions that are not due yet. Choose a later date, or confirm this one."
)


# The follow-up comes after the actions are due: a week later, so that owners can report back.
AFTER_LAST_ACTION = timedelta(days=7)


class FollowUpBasis(StrEnum):
    """What the default follow-up date is counted from."""

    WAITING = "waiting"  # not every party approved the current version yet
    APPROVAL = "approval"  # TAFEL_FOLLOW_UP_DAYS after the last approval
    ACTIONS = "actions"  # a week after the last action is due (that is later)


@dataclass(frozen=True)
class FollowUpDefault:
    on: date
    basis: FollowUpBasis
    days: int


def follow_up_proposal(agreement: Agreement) -> FollowUpDefault:
    """The default follow-up date and what it is counted from (for the page's wording).

    TAFEL_FOLLOW_UP_DAYS (six weeks) after the last approval of the current version, counted
    from today while approvals are missing; never before a week after the last action is due.
    """
    days = settings.TAFEL_FOLLOW_UP_DAYS
    approved = agreement.approvals.filter(
        version=agreement.version, decision=ApprovalDecision.APPROVED
    )
    last = approved.aggregate(last=Max("decided_on"))["last"]
    answered = set(approved.values_list("participation_id", flat=True))
    waiting = any(p.pk not in answered for p in party_participations(agreement.case))
    on = (last or timezone.localdate()) + timedelta(days=days)
    basis = FollowUpBasis.WAITING if waiting or last is None else FollowUpBasis.APPROVAL
    last_due = agreement.actions.aggregate(last=Max("due_on"))["last"]
    if last_due is not None and last_due + AFTER_LAST_ACTION > on:
        on = last_due + AFTER_LAST_ACTION
        basis = FollowUpBasis.ACTIONS if basis != FollowUpBasis.WAITING else basis
    return FollowUpDefault(on=on, basis=basis, days=days)


def follow_up_default(agreement: Agreement) -> date:
    """Six weeks (TAFEL_FOLLOW_UP_DAYS) after the last approval of the current version, and
    at least a week after the last action is due."""
    return follow_up_proposal(agreement).on


def follow_up_before_actions(agreement: Agreement, follow_up_on: date) -> date | None:
    """The last action's due date when `follow_up_on` comes before it, else None."""
    last_due = agreement.actions.aggregate(last=Max("due_on"))["last"]
    return last_due if last_due is not None and follow_up_on < last_due else None


@transaction.atomic
def follow_up_date_set(
    *, agreement: Agreement, follow_up_on: date, actor: User, confirmed: bool = False
) -> Agreement:
    """Choose the follow-up date before the follow-up starts (its reminder is queued then).

    A date before the last action is due is refused unless `confirmed`: the follow-up would
    review actions that are not due yet.
    """
    case = Case.objects.select_for_update().get(pk=agreement.case_id)
    _check_drafting(case, actor)
    if follow_up_on <= timezone.localdate():
        raise ValidationError({"follow_up_on": _("Choose a date after today.")})
    agreement = _locked_agreement(case)
    last_due = follow_up_before_actions(agreement, follow_up_on)
    if last_due is not None and not confirmed:
        raise ValidationError(
            {"follow_up_on": FOLLOW_UP_BEFORE_ACTIONS % {"date": date_format(last_due, "j F Y")}}
        )
    agreement.follow_up_on = follow_up_on
    agreement.save(update_fields=["follow_up_on", "updated_at"])
    audit_record(
        action=AuditAction.FOLLOW_UP_DATE_SET,
        actor=actor,
        target=agreement,
        case_id=case.pk,
        details={"follow_up_on": follow_up_on.isoformat()},
    )
    return agreement


def follow_up_group(agreement: Agreement) -> str:
    """The outbox group of the follow-up notices: their own, since they are held back."""
    return f"follow-up:{agreement.pk}"


def follow_up_schedule(*, case: Case, actor: User) -> None:
    """After `start_follow_up`: fix the follow-up date and queue the mediators' notices.

    Runs inside case_transition's transaction. The notices leave on the follow-up date
    (outbox `send_after`), in their own group, so they hold back no other message; closing
    the case withdraws them (`follow_up_withdraw`).
    """
    agreement = _locked_agreement(case)
    if agreement.follow_up_on is None:
        agreement.follow_up_on = follow_up_default(agreement)
    # The mediators' follow-up notices leave on the follow-up date (each as they chose in their
    # settings); the lead's is the one the agreement points at.
    queued = notice_send_many(
        users=case_mediators(case), **_follow_up_notice(case, agreement, agreement.follow_up_on)
    )
    agreement.reminder = queued[0] if queued else None
    agreement.save(update_fields=["follow_up_on", "reminder", "updated_at"])
    audit_record(
        action=AuditAction.FOLLOW_UP_SCHEDULED,
        actor=actor,
        target=agreement,
        case_id=case.pk,
        details={
            "follow_up_on": agreement.follow_up_on.isoformat(),
            "reminder": agreement.reminder_id is not None,
        },
    )


def follow_up_withdraw(*, case: Case, actor: User) -> None:
    """After a step that closes the case: the follow-up notices still waiting are withdrawn.

    Runs inside case_transition's transaction; a closed case has no follow-up due.
    """
    agreement = Agreement.objects.filter(case=case).first()
    withdrawn = outbox_withdraw(group=follow_up_group(agreement)) if agreement else 0
    if withdrawn:
        audit_record(
            action=AuditAction.FOLLOW_UP_WITHDRAWN,
            actor=actor,
            target=case,
            case_id=case.pk,
            details={"notices": withdrawn},
        )


def _follow_up_notice(case: Case, agreement: Agreement, follow_up_on: date) -> dict[str, Any]:
    """What a follow-up notice needs besides its users: it leaves on the follow-up date."""
    return {
        "kind": NoticeKind.FOLLOW_UP_DUE,
        "case": case,
        "link_path": reverse("agreements:agreement", args=[case.pk]),
        "send_after": timezone.make_aware(datetime.combine(follow_up_on, REMINDER_HOUR)),
        "group": follow_up_group(agreement),
    }


def follow_up_notice_for_joiners(*, case: Case, user_ids: set[int]) -> None:
    """After an assignment during the follow-up: who joined the case gets its follow-up notice.

    Runs inside case_assign's transaction. Who already has one waiting gets no second.
    """
    if case.status != CaseStatus.FOLLOW_UP:
        return
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is None or agreement.follow_up_on is None:
        return
    has_one = set(
        OutboxMessage.objects.filter(
            group=follow_up_group(agreement), status=OutboxStatus.PENDING
        ).values_list("recipient_id", flat=True)
    )
    joined = [
        user for user in case_mediators(case) if user.pk in user_ids and user.pk not in has_one
    ]
    notice_send_many(users=joined, **_follow_up_notice(case, agreement, agreement.follow_up_on))


def follow_up_notice_withdraw(*, case: Case, user: User, actor: User) -> None:
    """A mediator taken off the case: their follow-up notice, if still waiting, is withdrawn."""
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is not None:
        outbox_withdraw(group=follow_up_group(agreement), recipient=user)


@transaction.atomic
def action_review(
    *, action: AgreementAction, status: str, comment: str, actor: User
) -> ActionReview:
    """Record at follow-up whether an action was done, partly done or not done (comment sealed)."""
    case = Case.objects.select_for_update().get(pk=action.agreement.case_id)
    _check(case, actor, WRITE)
    if case.status != CaseStatus.FOLLOW_UP:
        raise ValidationError(_("Actions are reviewed during the follow-up."))
    if status not in ReviewStatus.values:
        raise ValidationError({"status": _("Choose done, partly done or not done.")})
    comment = _clean_text(
        comment, field="comment", limit=COMMENT_MAX_LENGTH, required=False, missing=""
    )
    action = AgreementAction.objects.select_related("agreement").get(pk=action.pk)
    action.agreement.case = case
    review = ActionReview.objects.filter(action=action).first() or ActionReview(action=action)
    review.action = action
    review.status, review.reviewed_by, review.reviewed_on = status, actor, timezone.localdate()
    crypto.field_seal(case_data_key(case), review, "comment", comment)
    review.save()
    audit_record(
        action=AuditAction.ACTION_REVIEWED,
        actor=actor,
        target=review,
        case_id=case.pk,
        details={"action": str(action.uid), "status": status},
    )
    return review
