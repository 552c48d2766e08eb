"""What `documents` registers with the case page (`cases.hooks`) and the consent page
(`parties.hooks`) at start-up."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy

from cases import hooks
from cases.models import Case
from cases.permissions import CaseAccess
from documents import selectors
from mediation.types import User
from parties import hooks as party_hooks
from parties.models import Participation


def documents_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The case page's documents panel, for the case's mediators only."""
    if not access.read_notes:
        return None
    return {"case": case, "documents": selectors.case_documents(case=case)}


def participant_documents(*, participation: Participation) -> list[tuple[str, str]]:
    """Links to the documents about this participant (a scanned signed agreement), for the
    consent page, which only the case's mediators open."""
    return [
        (
            f"{document.get_kind_display()}, {document.uploaded_at:%Y-%m-%d}",
            reverse("documents:download", args=[participation.case_id, document.pk]),
        )
        for document in selectors.participation_documents(participation=participation)
    ]


def register() -> None:
    hooks.register_case_section(
        hooks.CaseSection(
            name="documents",
            template="documents/partials/_case_panel.html",
            position=70,
            context=documents_panel,
            title=gettext_lazy("Documents"),
        )
    )
    party_hooks.register_participant_links(participant_documents)
