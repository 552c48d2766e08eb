"""Letters of a case, for its mediators: the list, one letter to print, marking it sent.

Every view loads the case with `READ_NOTES`, held only by the case's mediators: the referring
coordinator, a supervisor and anyone else get a 404, as if the case did not exist.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases.keys import case_data_key_or_none
from cases.permissions import CasePermission, get_case_for_user
from letters import selectors, services
from letters.forms import ClosingLetterForm
from letters.models import Letter
from mediation.types import AuthenticatedHttpRequest

READ: CasePermission = CasePermission.READ_NOTES


def _letter(case, letter_id: int) -> Letter:
    """A letter of this case, or 404: an id from another case does not exist here."""
    letter = get_object_or_404(
        Letter.objects.select_related(
            "participation__party__key", "sent_by", "template_version__template"
        ),
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
    context = {
        "case": case,
        "letters": selectors.case_letters(case=case),
        "closing_form": None if case.is_open else ClosingLetterForm(case=case),
    }
    return render(request, "letters/list.html", context)


@login_required  # first: a stranger is sent to sign in, whatever the method
@require_POST
def letter_closing(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Make the closing letter for one participant of a closed case, and open it."""
    case = get_case_for_user(request.user, case_id, READ)
    form = ClosingLetterForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Choose a participant of this case."))
        return redirect("letters:list", case.pk)
    try:
        letter = services.letter_closing_make(
            case=case, participation=form.cleaned_data["participation"], actor=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("letters:list", case.pk)
    messages.success(request, _("The closing letter was made. Print it from this page."))
    return redirect("letters:detail", case.pk, letter.pk)


@never_cache
@login_required
def letter_detail(request: AuthenticatedHttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    """One letter, laid out for A4: the recipient's address as it is today, the text as made."""
    case = get_case_for_user(request.user, case_id, READ)
    letter = _letter(case, letter_id)
    text = services.letter_text(letter=letter, key=case_data_key_or_none(case))
    participation = letter.participation
    context = {
        "case": case,
        "letter": letter,
        "text": text,
        "party": participation.party if participation is not None else None,
        "version": letter.template_version,
        "current_number": (
            letter.template_version.template.current_number if letter.template_version else None
        ),
    }
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
