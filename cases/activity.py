"""Keeping each case's latest activity, from its audit trail (see `audit.hooks`)."""

from datetime import datetime

from audit.models import AuditAction
from cases.models import CaseActivity, CaseStatus

# Events that change nothing on the case: reading, opening a link, the worker's own chores.
NOT_ACTIVITY = frozenset(
    {
        AuditAction.NOTE_READ,
        AuditAction.NOTE_OPEN_FAILED,
        AuditAction.AGREEMENT_READ,
        AuditAction.AGREEMENT_OPEN_FAILED,
        AuditAction.APPROVAL_LINK_OPENED,
        AuditAction.SUMMARY_READ,
        AuditAction.DOCUMENT_DOWNLOADED,
        AuditAction.AUDIT_EXPORTED,
        AuditAction.REMINDERS_QUEUED,
        AuditAction.FOLLOW_UP_SCHEDULED,
        AuditAction.CASE_PERMISSION_GRANTED,
        AuditAction.CASE_PERMISSION_REVOKED,
        AuditAction.API_CALL,  # the referral's own events are activity; reading it is not
    }
)


def case_activity_mark(case_id: int, action: str, occurred_at: datetime) -> None:
    """Record an event of the case as its latest activity (run by `audit_record`)."""
    if action in NOT_ACTIVITY:
        return
    if not CaseActivity.objects.filter(case_id=case_id).update(last_at=occurred_at):
        CaseActivity.objects.create(case_id=case_id, last_at=occurred_at)


def case_activity_open_set(*, case_id: int, status: str) -> None:
    """Keep the record's open flag with the case's status (run by `case_transition`)."""
    CaseActivity.objects.filter(case_id=case_id).update(is_open=status != CaseStatus.CLOSED)
