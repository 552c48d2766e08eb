"""The audit trail for supervisors: filter, page through and export."""

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.export import audit_csv_lines
from audit.forms import AuditFilterForm
from audit.labels import events_for_display
from audit.models import AuditAction
from audit.selectors import audit_event_list
from audit.services import audit_record
from mediation.roles import Role, role_required
from mediation.types import AuthenticatedHttpRequest

PAGE_SIZE = 50


@role_required(Role.SUPERVISOR)
def trail(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every event, newest first, filtered by actor, action and days."""
    form = AuditFilterForm(request.GET or None)
    page = Paginator(audit_event_list(**form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    # Names and labels, not ids; a supervisor's trail names no parties (the CSV keeps the ids).
    page.object_list = events_for_display(page.object_list, show_names=False)  # type: ignore[assignment]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/trail.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


@role_required(Role.SUPERVISOR)
def export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The filtered trail as CSV; the export itself is recorded first."""
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    events = audit_event_list(**filters)
    audit_record(
        action=AuditAction.AUDIT_EXPORTED,
        actor=request.user,
        details={"filters": {key: str(value) for key, value in filters.items()}},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(audit_csv_lines(events), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="tafel-audit-{stamp}.csv"'
    return response
