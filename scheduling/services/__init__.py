"""Every write to sessions, attendees, reminders and calendar feeds (see the modules)."""

from scheduling.services.feeds import (
    FeedDocument,
    feed_create,
    feed_current,
    feed_revoke,
    feed_stamps_move,
    feed_token_hash,
)
from scheduling.services.reminders import reminders_queue
from scheduling.services.sessions import (
    RECORDABLE_STATUSES,
    SCHEDULABLE_STATUSES,
    SCHEDULE,
    attendances_end,
    attended_by_default,
    attendee_add,
    attendee_remove,
    case_sessions_cancel,
    reminder_lead_time,
    rsvp_record,
    session_cancel,
    session_mark_held,
    session_record,
    session_reschedule,
    session_schedule,
)

__all__ = [
    "RECORDABLE_STATUSES",
    "SCHEDULABLE_STATUSES",
    "SCHEDULE",
    "FeedDocument",
    "attendances_end",
    "attended_by_default",
    "attendee_add",
    "attendee_remove",
    "case_sessions_cancel",
    "feed_create",
    "feed_current",
    "feed_revoke",
    "feed_stamps_move",
    "feed_token_hash",
    "reminder_lead_time",
    "reminders_queue",
    "rsvp_record",
    "session_cancel",
    "session_mark_held",
    "session_record",
    "session_reschedule",
    "session_schedule",
]
