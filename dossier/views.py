"""Pages of the dossier app: destruction lists and their statements, legal holds and people's
requests (for supervisors only), and the mediator's registration report."""

import csv
from dataclasses import astuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.export import csv_cell
from audit.models import AuditAction
from audit.services import audit_record
from cases.permissions import get_case_for_user
from dossier import services, subjects
from dossier.forms import (
    ErasureForm,
    ExecuteForm,
    PersonSearchForm,
    ReasonForm,
    RegistrationPeriodForm,
)
from dossier.models import DestructionList, ListStatus, SubjectRequest
from dossier.register import processing_register
from dossier.registration import (
    RegistrationReport,
    default_period,
    registration_report,
    registration_report_record,
)
from dossier.selectors import active_hold, destruction_lists
from dossier.subjects import people_find, person_export
from mediation.roles import Role, role_required, roles_of
from parties.models import Party

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
        "items": proposal.items.select_related("case__kind"),
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
        request,
        "dossier/statement.html",
        {"proposal": proposal, "items": proposal.items.select_related("case__kind")},
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
                        item.get_outcome_display(),
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


# Requests of people about their data (AVG) and the register of processing


@supervisor_only
def people(request):
    form = PersonSearchForm(request.GET or None)
    found = people_find(query=form.cleaned_data["q"]) if form.is_valid() else None
    requests = SubjectRequest.objects.select_related("party", "handled_by")[:20]
    context = {"form": form, "found": found, "requests": requests}
    return render(request, "dossier/people.html", context)


@supervisor_only
def person(request, party_id):
    party = get_object_or_404(Party, pk=party_id)
    participations = party.participations.select_related("case").order_by("added_at")
    context = {"party": party, "participations": participations}
    return render(request, "dossier/person.html", context)


@supervisor_only
def person_export_page(request, party_id):
    party = get_object_or_404(Party.objects.select_related("key"), pk=party_id)
    export = person_export(party=party, actor=request.user)
    return render(request, "dossier/person_export.html", {"party": party, "export": export})


@supervisor_only
def person_export_json(request, party_id):
    party = get_object_or_404(Party.objects.select_related("key"), pk=party_id)
    export = person_export(party=party, actor=request.user, deliver=True)
    response = JsonResponse(
        export.as_dict(), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="person-{party.pk}.json"'
    return response


@supervisor_only
def person_erase(request, party_id):
    party = get_object_or_404(Party.objects.select_related("key"), pk=party_id)
    form = ErasureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "erase":
                subjects.person_erase(
                    party=party, actor=request.user, explanation=data["explanation"]
                )
                messages.success(request, _("The person's data was erased."))
            else:
                subjects.person_erasure_refuse(
                    party=party,
                    actor=request.user,
                    exception=data["exception"],
                    explanation=data["explanation"],
                )
                messages.success(request, _("The refusal was recorded."))
            return redirect("dossier:people")
        except ValidationError as error:
            form.add_error(None, error)
    context = {
        "party": party,
        "form": form,
        "blockers": subjects.erasure_blockers(party),
        "deletes": subjects.erasure_deletes(party),
    }
    return render(request, "dossier/person_erase.html", context, status=400 if form.errors else 200)


@supervisor_only
def register(request):
    return render(request, "dossier/register.html", {"rows": processing_register()})


@supervisor_only
def register_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="register-of-processing.csv"'
    writer = csv.writer(response)
    writer.writerow(["processing", "purpose", "persons", "data", "retention", "protection"])
    for row in processing_register():
        writer.writerow([csv_cell(value) for value in astuple(row)])
    return response


# The mediator's registration report (MfN)


def _registration(request) -> tuple[RegistrationPeriodForm, RegistrationReport | None]:
    """The period form and, when it holds a valid period and a mediator, the report.

    A mediator reads their own report; a supervisor picks whose.
    """
    roles = roles_of(request.user)
    pick = Role.SUPERVISOR in roles
    if not request.GET:
        start, end = default_period()
        own = request.user if Role.MEDIATOR in roles else None
        form = RegistrationPeriodForm(
            initial={"start": start, "end": end, "mediator": own}, pick_mediator=pick
        )
        if own is None:
            return form, None
        return form, registration_report(mediator=own, start=start, end=end)
    form = RegistrationPeriodForm(request.GET, pick_mediator=pick)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    mediator = data["mediator"] if pick else request.user
    return form, registration_report(mediator=mediator, start=data["start"], end=data["end"])


@role_required(Role.MEDIATOR, Role.SUPERVISOR)
def registration(request):
    form, report = _registration(request)
    if report is not None:
        registration_report_record(report=report, actor=request.user)
    context = {"form": form, "report": report, "query": request.GET.urlencode()}
    return render(request, "dossier/registration.html", context, status=400 if form.errors else 200)


@role_required(Role.MEDIATOR, Role.SUPERVISOR)
def registration_csv(request):
    form, report = _registration(request)
    if report is None:
        context = {"form": form, "report": None, "query": ""}
        return render(request, "dossier/registration.html", context, status=400)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="registration-{report.start}-{report.end}.csv"'
    )
    writer = csv.writer(response)
    name = report.mediator.get_full_name() or report.mediator.get_username()
    writer.writerow(["mediator", csv_cell(name)])
    writer.writerow(["period_start", report.start.isoformat()])
    writer.writerow(["period_end", report.end.isoformat()])
    writer.writerow([])
    writer.writerow(["requirement", "figure", "required", "met", "note"])
    for minimum in report.minimums:
        writer.writerow(
            [
                minimum.code,
                minimum.figure,
                csv_cell(str(minimum.required)),
                "yes" if minimum.met else "no",
                csv_cell(str(minimum.note)),
            ]
        )
    writer.writerow(["contact_minutes", report.contact_minutes, "", "", ""])
    writer.writerow([])
    writer.writerow(["reference", "ended_on", "role", "outcome", "written_agreement"])
    for mediation in report.mediations:
        writer.writerow(
            [
                csv_cell(mediation.reference),
                mediation.ended_on.isoformat(),
                "lead" if mediation.as_lead else "co-mediator",
                mediation.outcome,
                "yes" if mediation.written_agreement else "no",
            ]
        )
    registration_report_record(report=report, actor=request.user, exported=True)
    return response
