"""A mediator's day: cases with something due, built through the services as users would."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from agreements.models import AgreementAction
from agreements.services import approval_record
from cases.services import case_assign, case_transition
from scheduling.models import Attendee
from scheduling.rsvp import rsvp_open, rsvp_token
from scheduling.services import rsvp_record, session_schedule
from tests.case_fixtures import consent_all, declare_all
from tests.cases.agreement_helpers import approve_all, draft, parties, to_agreement


def local(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def plan(case, mediator, *, starts_at, kind="joint"):
    return session_schedule(
        case=case,
        kind=kind,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        place="Buurthuis De Kroon",
        participations=list(case.participations.active().order_by("id")),
        actor=mediator,
    )


def answer(session, participation, value):
    attendee = Attendee.objects.get(session=session, participation=participation)
    link = rsvp_open(rsvp_token(attendee, sequence=session.sequence))
    return rsvp_record(link=link, answer=value)


def in_sessions_case(refer, personas, **overrides):
    case = refer(**overrides)
    case = case_assign(
        case=case,
        lead=personas.mediator,
        co_mediators=[personas.comediator],
        actor=personas.supervisor,
    )
    declare_all(case, personas)
    case = case_transition(case=case, name="accept", actor=personas.mediator)
    consent_all(case, personas.mediator)
    return case_transition(case=case, name="start_sessions", actor=personas.mediator)


@pytest.fixture
def busy_day(refer, personas):
    """Four cases of the mediator, each with something that needs them:

    - `sessions`: a session tomorrow that one party declined, and one the day after tomorrow
      that the other party has not answered;
    - `approvals`: an agreement that one of two parties approved;
    - `overdue`: an agreement in follow-up with an action past its date and the check due;
    - `undeclared`: a new referral on which the mediator has not declared yet.
    """
    today = timezone.localdate()
    sessions = in_sessions_case(refer, personas, title="Gesprekken")
    tomorrow = plan(sessions, personas.mediator, starts_at=local(today + timedelta(days=1), 10))
    first, second = parties(sessions)
    answer(tomorrow, first, "declined")
    answer(tomorrow, second, "accepted")
    later = plan(sessions, personas.mediator, starts_at=local(today + timedelta(days=1), 15))
    answer(later, first, "accepted")  # the second party has not answered, a day ahead

    approvals = to_agreement(in_sessions_case(refer, personas, title="Goedkeuring"))
    agreement = draft(approvals, personas.mediator)
    approval_record(
        agreement=agreement,
        participation=parties(approvals)[0],
        decision="approved",
        method="paper",
        decided_on=today,
        actor=personas.mediator,
    )

    overdue = to_agreement(in_sessions_case(refer, personas, title="Nazorg"))
    agreement = draft(overdue, personas.mediator)
    approve_all(agreement, personas.mediator)
    overdue = case_transition(case=overdue, name="start_follow_up", actor=personas.mediator)
    # Time passes: the action's date and the follow-up date are behind us now.
    AgreementAction.objects.filter(agreement=agreement).update(due_on=today - timedelta(days=3))
    type(agreement).objects.filter(pk=agreement.pk).update(follow_up_on=today - timedelta(days=1))

    undeclared = refer(title="Nieuw")
    undeclared = case_assign(
        case=undeclared, lead=personas.mediator, co_mediators=[], actor=personas.supervisor
    )
    return {
        "sessions": sessions,
        "tomorrow": tomorrow,
        "later": later,
        "approvals": approvals,
        "overdue": overdue,
        "undeclared": undeclared,
    }
