import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from audit.export import csv_cell
from mediation.roles import Role, role_required
from reporting.forms import AnnualForm, ReportFilterForm
from reporting.selectors import TABLE_NAMES, organisations_for, report_build
from reporting.services import report_export_record

report_readers = role_required(Role.SUPERVISOR, Role.COORDINATOR)


@report_readers
def report(request):
    form = ReportFilterForm(request.GET, organisations=organisations_for(request.user))
    if not form.is_valid():
        return render(request, "reporting/report.html", {"form": form}, status=400)
    built = report_build(user=request.user, filters=form.filters())
    context = {"form": form, "report": built, "query": request.GET.urlencode()}
    return render(request, "reporting/report.html", context)


@report_readers
def export_csv(request):
    form = ReportFilterForm(request.GET, organisations=organisations_for(request.user))
    table_name = request.GET.get("table", "")
    if table_name not in TABLE_NAMES:
        form.is_valid()
        form.add_error(None, _("Choose one of the report's tables to download."))
    if not form.is_valid():
        return render(request, "reporting/report.html", {"form": form}, status=400)
    filters = form.filters()
    table = report_build(user=request.user, filters=filters).table(table_name)
    if table is None:
        form.add_error(None, _("This table has too few answers to show."))
        return render(request, "reporting/report.html", {"form": form}, status=400)
    report_export_record(actor=request.user, table=table_name, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="report-{table_name}-{filters.start}-{filters.end}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow([csv_cell(table.column), csv_cell(_("Number"))])
    for row in table.rows:
        writer.writerow([csv_cell(row.label), csv_cell(row.cell)])
    writer.writerow([csv_cell(_("Total")), csv_cell(table.total)])
    return response


@report_readers
def annual(request):
    form = AnnualForm(request.GET, organisations=organisations_for(request.user))
    if not form.is_valid():
        return render(request, "reporting/annual.html", {"form": form}, status=400)
    built = report_build(user=request.user, filters=form.filters())
    context = {"form": form, "report": built, "year": form.cleaned_data["year"]}
    return render(request, "reporting/annual.html", context)
