"""What `letters` registers with the case page (`cases.hooks`) at start-up."""

from typing import Any

from django.utils.translation import gettext_lazy

from cases import hooks
from cases.models import Case
from cases.permissions import CaseAccess
from letters import selectors, services
from mediation.types import User


def letters_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The case page's letters panel, for the case's mediators, when the case has letters."""
    if not access.read_notes:
        return None
    to_print = list(selectors.case_letters_to_print(case=case))
    if not to_print and not case.letters.exists():
        return None
    return {"case": case, "letters": to_print}


def register() -> None:
    # Closing a case makes the closing letters of those who hear from us by post, in the
    # closing's transaction.
    hooks.register_after_closing(services.closing_letters_queue)
    hooks.register_case_section(
        hooks.CaseSection(
            name="letters",
            template="letters/partials/_case_panel.html",
            position=65,
            context=letters_panel,
            title=gettext_lazy("Letters to print"),
        )
    )
