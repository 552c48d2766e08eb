"""Reminders: once per session, a configurable time before it starts."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction
from audit.services import audit_record
from scheduling.invites import Purpose
from scheduling.models import Rsvp, Session, SessionStatus
from scheduling.services.sessions import load_attendees, queue_message, reminder_lead_time


def reminders_queue(*, now: datetime | None = None) -> int:
    """Queue the reminders of sessions that start within the reminder time; return how many.

    Each session is handled in its own transaction under a row lock, and marked when its
    reminders are queued: a second run, or two runs at once, queue nothing twice.
    """
    now = now or timezone.now()
    due = Session.objects.filter(
        status=SessionStatus.PLANNED,
        reminder_queued_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + reminder_lead_time(),
    ).values_list("pk", flat=True)
    queued = 0
    for pk in list(due):
        with transaction.atomic():
            session = (
                Session.objects.select_for_update()
                .select_related("case", "organizer")
                .filter(pk=pk, reminder_queued_at__isnull=True, status=SessionStatus.PLANNED)
                .first()
            )
            if session is None:
                continue
            load_attendees(session)
            sent = sum(
                queue_message(session, attendee, Purpose.REMINDER)
                for attendee in session.attendees.all()
                if attendee.rsvp != Rsvp.DECLINED
            )
            session.reminder_queued_at = now
            session.save(update_fields=["reminder_queued_at"])
            audit_record(
                action=AuditAction.REMINDERS_QUEUED,
                actor=None,
                target=session,
                case_id=session.case_id,
                details={"invites": sent},
            )
            queued += sent
    return queued
