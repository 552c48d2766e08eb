"""Pages of the dossier app: destruction lists and their statements, and legal holds (for
supervisors only)."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.export import csv_cell
from audit.models import AuditAction
from audit.services import audit_record
from cases.permissions import get_case_for_user
from dossier import services
from dossier.forms import ExecuteForm, ReasonForm
from dossier.models import DestructionList, ListStatus
from dossier.selectors import active_hold, destruction_lists
from mediation.roles import Role, role_required

supervisor_only = role_required(Role.SUPERVISOR)


@supervisor_only
def lists(request):
    if request.method == "POST":
        proposal = services.destruction_propose(actor=request.user)
        if proposal is None:
            messages.info(request, _("Nothing is due for destruction today."))
            return redirect("dossier:lists")
        messages.success(request, _("A new destruction list was proposed."))
        return redirect("dossier:list", proposal.pk)
    page = Paginator(destruction_lists(), 25).get_page(request.GET.get("page"))
    return render(request, "dossier/lists.html", {"page": page})


@supervisor_only
def list_detail(request, pk, reject_form=None, execute_form=None):
    proposal = get_object_or_404(destruction_lists(), pk=pk)
    context = {
        "proposal": proposal,
        "items": proposal.items.all(),
        "reject_form": reject_form or ReasonForm(),
        "execute_form": execute_form or ExecuteForm(),
        "four_eyes": services.four_eyes(),
        "approved_by_me": proposal.approved_by_id == request.user.pk,
    }
    status = 400 if reject_form or execute_form else 200
    return render(request, "dossier/list.html", context, status=status)


@supervisor_only
@require_POST
def list_decide(request, pk):
    proposal = get_object_or_404(DestructionList, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            services.destruction_approve(proposal=proposal, actor=request.user)
            messages.success(request, _("You approved the destruction list."))
        elif action == "reject":
            reject_form = ReasonForm(request.POST)
            if not reject_form.is_valid():
                return list_detail(request, pk, reject_form=reject_form)
            services.destruction_reject(
                proposal=proposal, actor=request.user, reason=reject_form.cleaned_data["reason"]
            )
            messages.success(
                request, _("The destruction list was rejected; nothing was destroyed.")
            )
        elif action == "execute":
            execute_form = ExecuteForm(request.POST)
            if not execute_form.is_valid():
                return list_detail(request, pk, execute_form=execute_form)
            services.destruction_execute(proposal=proposal, actor=request.user)
            messages.success(request, _("The destruction list was carried out."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("dossier:list", pk)


def _executed(pk) -> DestructionList:
    proposal = get_object_or_404(destruction_lists(), pk=pk)
    if proposal.status != ListStatus.EXECUTED:
        raise Http404
    return proposal


@supervisor_only
def statement(request, pk):
    proposal = _executed(pk)
    return render(
        request, "dossier/statement.html", {"proposal": proposal, "items": proposal.items.all()}
    )


STATEMENT_HEADER = [
    "list",
    "reference",
    "kind",
    "records",
    "referred_on",
    "ended_on",
    "outcome",
    "kept_until",
    "basis",
    "destroyed_at",
    "not_destroyed_because",
]


@supervisor_only
def statement_csv(request, pk):
    proposal = _executed(pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="destruction-statement-{proposal.pk}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(STATEMENT_HEADER)
    for item in proposal.items.all():
        writer.writerow(
            [
                proposal.pk,
                *(
                    csv_cell(value)
                    for value in (
                        item.reference,
                        item.kind_name,
                        item.get_record_class_display(),
                        item.referred_on,
                        item.ended_on,
                        item.outcome,
                        item.kept_until,
                        item.basis,
                        item.destroyed_at.isoformat() if item.destroyed_at else "",
                        item.skipped,
                    )
                ),
            ]
        )
    audit_record(
        action=AuditAction.DESTRUCTION_STATEMENT_EXPORTED,
        actor=request.user,
        target=proposal,
        details={},
    )
    return response


@supervisor_only
def hold(request, case_id):
    case = get_case_for_user(request.user, case_id)
    current = active_hold(case)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if current is None:
                services.legal_hold_set(
                    case=case, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The case is under a legal hold."))
            else:
                services.legal_hold_lift(
                    hold=current, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("The legal hold was lifted."))
            return redirect("cases:detail", case.pk)
        except ValidationError as error:
            form.add_error(None, error)
    status = 400 if form.errors else 200
    context = {"case": case, "hold": current, "form": form}
    return render(request, "dossier/hold.html", context, status=status)
