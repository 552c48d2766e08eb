"""What `agreements` registers with the case lifecycle (`cases.hooks`) at start-up."""

from typing import Any

from django.utils.translation import gettext_lazy

from agreements import guards, services
from agreements.models import Agreement, ApprovalDecision
from cases import hooks
from cases.models import Case, CaseStatus
from cases.permissions import CaseAccess
from mediation.types import User


def agreement_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The case page's agreement panel (counts only: the texts stay sealed), for mediators;
    the shared summary for the referring coordinator, when every party agreed to share it."""
    if access.read_notes:
        agreement = Agreement.objects.filter(case=case).first()
        if agreement is None:
            if case.status not in (CaseStatus.SESSIONS, CaseStatus.AGREEMENT):
                return None
            return {"case": case, "agreement": None}
        answers = services.approval_overview(agreement=agreement)
        return {
            "case": case,
            "agreement": agreement,
            "actions": agreement.actions.count(),
            "parties": len(answers),
            "approved": sum(
                1
                for answer in answers
                if answer.current and answer.current.decision == ApprovalDecision.APPROVED
            ),
        }
    if access.is_referrer:
        summary = services.summary_for_referrer(case=case, reader=user)
        return {"case": case, "referrer_summary": summary} if summary else None
    return None


def register() -> None:
    hooks.register_guard("start_follow_up", guards.start_follow_up_problems)
    hooks.register_guard("close", guards.close_problems)
    # Sets the follow-up date and queues the mediators' follow-up notices, in the step's
    # transaction.
    hooks.register_after_step("start_follow_up", services.follow_up_schedule)
    # A closed case has no follow-up due: its waiting follow-up notices are withdrawn.
    hooks.register_after_closing(services.follow_up_withdraw)
    # A mediator who leaves the case is not told of its follow-up; one who joins it is.
    hooks.register_mediator_removed(services.follow_up_notice_withdraw)
    hooks.register_mediators_changed(services.follow_up_notice_for_joiners)
    hooks.register_case_section(
        hooks.CaseSection(
            name="agreement",
            template="agreements/partials/_case_panel.html",
            position=10,
            context=agreement_panel,
            title=gettext_lazy("Agreement"),
        )
    )
