"""Reading letters for the pages: plain fields for lists, the sealed text opened only for the
letter itself."""

from django.db.models import Q, QuerySet

from cases.models import Case
from letters.models import Letter, LetterStatus
from mediation.types import User


def case_letters(*, case: Case) -> QuerySet[Letter]:
    """The case's letters: those to print first, then the newest; in one query."""
    return (
        Letter.objects.filter(case=case)
        .select_related("participation__party", "sent_by")
        .order_by("status", "-created_at", "-id")
    )


def case_letters_to_print(*, case: Case) -> QuerySet[Letter]:
    return case_letters(case=case).filter(status=LetterStatus.TO_PRINT)


def letters_to_print_for(*, user: User, limit: int) -> list[Letter]:
    """The letters waiting to be printed in the cases the user leads or co-mediates, open or
    closed (the survey goes out when a case closes), the oldest first; in one query."""
    mine = Q(case__lead_mediator=user) | Q(case__co_mediators=user)
    return list(
        Letter.objects.filter(mine, status=LetterStatus.TO_PRINT)
        .select_related("case", "participation__party")
        .order_by("created_at", "id")
        .distinct()[:limit]
    )
