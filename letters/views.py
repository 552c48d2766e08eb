"""Letters of a case, for its mediators: the list, one letter to print, marking it sent.

Every view loads the case with `READ_NOTES`, held only by the case's mediators: the referring
coordinator, a supervisor and anyone else get a 404, as if the case did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases.permissions import CasePermission, get_case_for_user
from letters import selectors, services
from letters.models import Letter
from mediation.types import AuthenticatedHttpRequest

READ: CasePermission = CasePermission.READ_NOTES


def _letter(case, letter_id: int) -> Letter:
    """A letter of this case, or 404: an id from another case does not exist here."""
    letter = get_object_or_404(
        Letter.objects.select_related("participation__party__key", "sent_by"),
        pk=letter_id,
        case=case,
    )
    letter.case = case
    return letter


@never_cache
@login_required
def letter_list(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The case's letters: those to print first."""
    case = get_case_for_user(request.user, case_id, READ)
    return render(
        request, "letters/list.html", {"case": case, "letters": selectors.case_letters(case=case)}
    )


@never_cache
@login_required
def letter_detail(request: AuthenticatedHttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    """One letter, laid out for A4: the recipient's address as it is today, the text as made."""
    case = get_case_for_user(request.user, case_id, READ)
    letter = _letter(case, letter_id)
    text = services.letter_text(letter=letter, key=services.case_key_or_none(case))
    context = {"case": case, "letter": letter, "text": text, "party": letter.participation.party}
    return render(request, "letters/letter.html", context)


@login_required  # first: a stranger is sent to sign in, whatever the method
@require_POST
def letter_mark_sent(
    request: AuthenticatedHttpRequest, case_id: int, letter_id: int
) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, READ)
    services.letter_mark_sent(letter=_letter(case, letter_id), actor=request.user)
    messages.success(request, _("The letter is marked as sent."))
    return redirect("letters:list", case.pk)
