"""The report's one write: the audit event of a download."""

from audit.models import AuditAction
from audit.services import audit_record
from mediation.types import User
from reporting.selectors import ReportFilters


def report_export_record(*, actor: User, table: str, filters: ReportFilters) -> None:
    """Audit that `actor` downloaded `table` of the report under `filters` (no figures)."""
    audit_record(
        action=AuditAction.REPORT_EXPORTED,
        actor=actor,
        details={
            "table": table,
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "kind": filters.kind.code if filters.kind else "",
            "organisation": filters.organisation,
        },
    )
