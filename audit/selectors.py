"""Reading the audit trail."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from audit.models import AuditEvent


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list(
    *,
    actor: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    case_id: int | None = None,
) -> QuerySet[AuditEvent]:
    """Return events, newest first, filtered in the database.

    `actor` matches the actor's user name exactly (case-insensitive); dates are whole days in
    the site's time zone (Europe/Amsterdam), `date_to` included.
    """
    events = AuditEvent.objects.order_by("-sequence")
    if actor:
        events = events.filter(actor_label__iexact=actor)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(occurred_at__gte=_start_of_day(date_from))
    if date_to:
        events = events.filter(occurred_at__lt=_start_of_day(date_to + timedelta(days=1)))
    if case_id is not None:
        events = events.filter(case_id=case_id)
    return events
