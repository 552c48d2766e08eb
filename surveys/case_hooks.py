"""What `surveys` registers with the case lifecycle (`cases.hooks`) at start-up."""

from typing import Any

from django.utils.translation import gettext_lazy

from cases import hooks
from cases.models import Case
from cases.permissions import CaseAccess
from mediation.types import User
from surveys import services


def survey_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The case page's survey panel, for the case's mediators, once a survey went out."""
    if not access.read_notes:
        return None
    asked, answered = services.case_survey_counts(case=case)
    if not asked:
        return None
    return {"case": case, "asked": asked, "answered": answered}


def register() -> None:
    # Closing a case asks its parties, in the closing's transaction (through the outbox).
    hooks.register_after_closing(services.survey_send)
    hooks.register_case_section(
        hooks.CaseSection(
            name="survey",
            template="surveys/partials/_case_panel.html",
            position=15,
            context=survey_panel,
            title=gettext_lazy("Satisfaction survey"),
        )
    )
