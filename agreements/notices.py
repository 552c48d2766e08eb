"""Notices to the case's mediators about the parties' approvals (see cases.notices)."""

from django.urls import reverse

from agreements.models import Approval, ApprovalDecision
from agreements.services.common import party_participations
from cases.notices import notice_to_mediators
from mediation.models import NoticeKind
from mediation.types import User


def approval_notify(*, approval: Approval, previous: str | None, actor: User | None) -> None:
    """A party approved the current version: tell the case's mediators (not `actor`).

    The approval that completes the set sends "all parties approved" alone, not both. A
    repeated approval is no news; a decline has no notice of its own.
    """
    if approval.decision != ApprovalDecision.APPROVED or previous == ApprovalDecision.APPROVED:
        return
    agreement = approval.agreement
    parties = party_participations(agreement.case).values("pk")
    approved = agreement.approvals.filter(
        version=approval.version,
        decision=ApprovalDecision.APPROVED,
        participation__in=parties,
    ).count()
    everyone = approved == parties.count()
    notice_to_mediators(
        case=agreement.case,
        kind=NoticeKind.ALL_APPROVED if everyone else NoticeKind.PARTY_APPROVED,
        link_path=reverse("agreements:agreement", args=[agreement.case_id]),
        actor=actor,
    )
