"""What happens to sessions when the case or its participants change."""

import pytest

from cases.services import case_assign
from mediation.models import OutboxMessage
from parties.services import participation_remove
from scheduling.models import SessionStatus
from scheduling.rsvp import rsvp_token
from scheduling.services import attendances_end, case_sessions_cancel, session_reschedule
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def test_someone_taken_off_the_case_hears_nothing_more_about_its_sessions(
    client, case, schedule, personas
):
    session = schedule(case)
    tolk = session.attendees.get(participation__party__name="Tolk Ahmed")

    link = f"/invite/{rsvp_token(tolk, sequence=0)}/"
    participation_remove(participation=tolk.participation, actor=personas.mediator)
    before = OutboxMessage.objects.count()

    session_reschedule(session=session, actor=personas.mediator, place="Wijkcentrum")

    assert OutboxMessage.objects.count() - before == 3  # two parties and the co-mediator
    assert "no longer invited" in client.get(link).content.decode()


def test_closing_a_case_can_cancel_its_planned_sessions(case, schedule, personas):
    first = schedule(case)
    second = schedule(case, starts_at=at(2027, 7, 9, 10))

    assert case_sessions_cancel(case=case, actor=personas.mediator) == 2

    for session in (first, second):
        session.refresh_from_db()
        assert session.status == SessionStatus.CANCELLED
    assert OutboxMessage.objects.filter(purpose="cancel").count() == 8


def test_someone_leaving_the_case_is_taken_off_its_planned_sessions_with_a_cancellation(
    case, schedule, personas
):
    first = schedule(case)
    second = schedule(case, starts_at=at(2027, 7, 9, 10))
    tolk = first.attendees.get(participation__party__name="Tolk Ahmed").participation

    assert attendances_end(case=case, participation=tolk, actor=personas.mediator) == 2
    assert attendances_end(case=case, user=personas.comediator, actor=personas.mediator) == 2

    for session in (first, second):
        assert not session.attendees.active().filter(participation=tolk).exists()
        assert not session.attendees.active().filter(user=personas.comediator).exists()
    # Each is uninvited: the sessions go ahead for the others.
    assert OutboxMessage.objects.filter(purpose="uninvite").count() == 4


def test_a_supervisor_taking_a_co_mediator_off_the_case_takes_them_off_its_sessions(
    case, schedule, personas
):
    session = schedule(case)
    assert session.attendees.active().filter(user=personas.comediator).exists()

    # The supervisor assigns mediators but does not schedule: the removal is theirs to make.
    case_assign(case=case, lead=personas.mediator, co_mediators=[], actor=personas.supervisor)

    assert not session.attendees.active().filter(user=personas.comediator).exists()
    assert OutboxMessage.objects.filter(purpose="uninvite").count() == 1
