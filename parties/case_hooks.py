"""What `parties` registers with the case lifecycle (`cases.hooks`) at start-up."""

from typing import Any

from django.utils.translation import gettext_lazy

from cases import hooks
from cases.models import Case
from cases.permissions import CaseAccess
from mediation.types import User
from parties.selectors import conflict_matches, consent_problems, participation_list


def start_sessions_problems(case: Case) -> list[str]:
    """At least two parties, each with consent; everyone else present signed confidentiality."""
    return consent_problems(case=case)


def participants_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The case page's participants, with contact details: for the case's mediators only."""
    if not access.manage_parties:
        return None
    return {
        "case": case,
        "participations": participation_list(case=case, include_removed=True),
        "can_manage_parties": True,
    }


def register() -> None:
    hooks.register_guard("start_sessions", start_sessions_problems)
    hooks.register_conflict_matcher(conflict_matches)
    hooks.register_case_section(
        hooks.CaseSection(
            name="participants",
            template="parties/partials/_case_panel.html",
            position=50,
            context=participants_panel,
            title=gettext_lazy("Participants"),
        )
    )
