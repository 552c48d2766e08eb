"""What `dossier` registers with the lower layers at start-up: the case page's retention panel
and the worker's monthly destruction proposal."""

from typing import Any

from django.utils.translation import gettext_lazy

from cases import hooks
from cases.models import Case
from cases.permissions import CaseAccess
from dossier.rules import case_retention, rule_for_kind
from dossier.selectors import active_hold
from dossier.services import destruction_proposal_due
from mediation.jobs import register_periodic_job
from mediation.types import User

PROPOSAL_CHECK_SECONDS = 6 * 60 * 60  # the job checks four times a day; it proposes monthly


def retention_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """Until when each record class is kept and why, for the case's mediators and supervisors
    (a referrer sees status and dates elsewhere)."""
    if not (access.change or access.is_supervisor):
        return None
    hold = active_hold(case)
    rule = rule_for_kind(case.kind_id)
    return {
        "case": case,
        "lines": case_retention(case, rule, held=hold is not None),
        "hold": hold,
        "may_hold": access.is_supervisor,
    }


def register() -> None:
    hooks.register_case_section(
        hooks.CaseSection(
            name="retention",
            template="dossier/partials/_case_panel.html",
            position=95,
            context=retention_panel,
            title=gettext_lazy("Retention"),
        )
    )
    register_periodic_job(
        "destruction proposal", destruction_proposal_due, every_seconds=PROPOSAL_CHECK_SECONDS
    )
