"""What `scheduling` registers with the lower layers at start-up (`SchedulingConfig.ready`)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import hooks
from cases.models import Case
from cases.permissions import CaseAccess
from mediation.inbox import register_inbox_handler
from mediation.jobs import register_periodic_job
from mediation.types import User
from parties import hooks as party_hooks
from parties.models import Participation
from scheduling.models import Session, SessionKind, SessionStatus
from scheduling.replies import calendar_reply_handle
from scheduling.selectors import contact_minutes_for_case, session_history
from scheduling.services import (
    RECORDABLE_STATUSES,
    SCHEDULABLE_STATUSES,
    attendances_end,
    case_sessions_cancel,
    feed_stamps_move,
    reminders_queue,
)

REMINDER_INTERVAL_SECONDS = 60


def reach_agreement_problems(case: Case) -> list[str]:
    """At least one joint (or group) session was held."""
    held = Session.objects.filter(
        case=case, status=SessionStatus.HELD, kind__in=[SessionKind.JOINT, SessionKind.GROUP]
    )
    if not held.exists():
        return [_("Hold a joint session with the parties first, and mark it as held.")]
    return []


def sessions_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The case page's sessions panel, for those who schedule them (the case's mediators):
    upcoming and past sessions, and the contact time of the held ones."""
    if not access.schedule_sessions:
        return None
    return {
        "case": case,
        "history": session_history(case=case),
        "contact_minutes": contact_minutes_for_case(case=case),
        "can_schedule": case.status in SCHEDULABLE_STATUSES,
        "can_record": case.status in RECORDABLE_STATUSES,
    }


def mediator_off_sessions(*, case: Case, user: User, actor: User) -> None:
    attendances_end(case=case, user=user, actor=actor)


def participant_off_sessions(*, case: Case, participation: Participation, actor: User) -> None:
    attendances_end(case=case, participation=participation, actor=actor)


def feeds_of_mediators_move(*, case: Case, user_ids: set[int]) -> None:
    """Whoever joined or left the case: their calendar feeds show its sessions, or no longer."""
    feed_stamps_move(user_ids=user_ids)


def register() -> None:
    hooks.register_guard("reach_agreement", reach_agreement_problems)
    # A closed case meets no more: its planned sessions are cancelled, and invitees told.
    hooks.register_after_closing(case_sessions_cancel)
    # Someone leaving the case leaves its planned sessions first, with a cancellation.
    hooks.register_mediator_removed(mediator_off_sessions)
    hooks.register_mediators_changed(feeds_of_mediators_move)
    party_hooks.register_participation_ended(participant_off_sessions)
    hooks.register_case_section(
        hooks.CaseSection(
            name="sessions",
            template="scheduling/partials/_case_panel.html",
            position=60,
            context=sessions_panel,
            title=gettext_lazy("Sessions"),
        )
    )
    # Reminders are queued into the outbox; the worker's next round sends them.
    register_periodic_job(
        "session reminders", reminders_queue, every_seconds=REMINDER_INTERVAL_SECONDS
    )
    # Answers pressed in calendar programs, read from the organizer's mailbox.
    register_inbox_handler("calendar replies", calendar_reply_handle)
