"""What a session may be: DST nights, end after start, no double-booked mediator, open cases."""

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from cases.models import Case, CaseStatus
from mediation.models import OutboxMessage
from parties.services import participation_add
from scheduling.forms import SessionForm
from scheduling.models import Rsvp, Session
from scheduling.services import session_reschedule, session_schedule
from scheduling.times import local_datetime
from tests.factories import CaseFactory
from tests.scheduling.conftest import at, parties_of

pytestmark = pytest.mark.django_db


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


def form_data(**overrides) -> dict:
    data = {
        "kind": "joint",
        "date": "2027-07-06",
        "starts_at": "14:00",
        "ends_at": "16:00",
        "place": "Stadhuis",
        "online_link": "",
        "accessibility_notes": "",
    }
    data.update(overrides)
    return data


def test_a_time_in_the_spring_gap_is_refused_with_a_message_that_says_so():
    with pytest.raises(ValidationError) as caught:
        local_datetime(date(2027, 3, 28), time(2, 30))

    assert "does not exist in the Netherlands" in messages_of(caught.value)
    assert "clocks go forward" in messages_of(caught.value)


def test_a_time_in_the_autumn_hour_is_refused_as_happening_twice():
    with pytest.raises(ValidationError) as caught:
        local_datetime(date(2027, 10, 31), time(2, 30))

    assert "happens twice" in messages_of(caught.value)


def test_times_just_outside_the_dst_hours_are_fine():
    assert local_datetime(date(2027, 3, 28), time(3, 0)).utcoffset().total_seconds() == 7200
    assert local_datetime(date(2027, 10, 31), time(3, 0)).utcoffset().total_seconds() == 3600


def test_the_form_shows_the_dst_message_on_the_start_time(case):
    form = SessionForm(form_data(date="2027-03-28", starts_at="02:15", ends_at="04:00"), case=case)

    assert not form.is_valid()
    assert "does not exist" in " ".join(form.errors["starts_at"])


def test_the_service_refuses_an_ambiguous_wall_clock_time(case, schedule):
    with pytest.raises(ValidationError) as caught:
        schedule(case, starts_at=at(2027, 10, 31, 2, 30), ends_at=at(2027, 10, 31, 4))

    assert "happens twice" in messages_of(caught.value)
    assert not Session.objects.exists()


def test_a_session_must_end_after_it_starts(case, schedule):
    with pytest.raises(ValidationError) as caught:
        schedule(case, starts_at=at(2027, 7, 6, 14), ends_at=at(2027, 7, 6, 14))

    assert "must end after it starts" in messages_of(caught.value)
    form = SessionForm(form_data(starts_at="15:00", ends_at="14:00"), case=case)
    assert not form.is_valid() and "must end after" in " ".join(form.errors["ends_at"])


def test_a_place_or_an_online_link_is_needed(case, schedule):
    with pytest.raises(ValidationError) as caught:
        schedule(case, place="", online_link="")
    assert "Give a place" in messages_of(caught.value)

    online = schedule(case, place="", online_link="https://meet.example/abc")
    assert online.online_link == "https://meet.example/abc"


def test_a_mediator_cannot_be_double_booked_across_cases(case, schedule, personas, refer):
    schedule(case, starts_at=at(2027, 7, 6, 14), ends_at=at(2027, 7, 6, 16))
    other = CaseFactory(
        referred_by=personas.coordinator, mediators=[personas.comediator, personas.mediator]
    )
    Case.objects.filter(pk=other.pk).update(status=CaseStatus.SESSIONS)
    other.refresh_from_db()
    queued = OutboxMessage.objects.count()

    with pytest.raises(ValidationError) as caught:
        session_schedule(
            case=other,
            kind="joint",
            starts_at=at(2027, 7, 6, 15),
            ends_at=at(2027, 7, 6, 17),
            place="Elders",
            actor=personas.comediator,
        )

    assert "cannot be in two sessions at once" in messages_of(caught.value)
    assert Session.objects.count() == 1
    assert OutboxMessage.objects.count() == queued
    # Back to back is fine.
    session_schedule(
        case=other,
        kind="joint",
        starts_at=at(2027, 7, 6, 16),
        ends_at=at(2027, 7, 6, 17),
        place="Elders",
        actor=personas.comediator,
    )


def test_moving_a_session_onto_another_of_the_same_mediator_is_refused(case, schedule, personas):
    schedule(case, starts_at=at(2027, 7, 6, 10), ends_at=at(2027, 7, 6, 12))
    later = schedule(case, starts_at=at(2027, 7, 6, 14), ends_at=at(2027, 7, 6, 16))

    with pytest.raises(ValidationError):
        session_reschedule(
            session=later,
            actor=personas.mediator,
            starts_at=at(2027, 7, 6, 11),
            ends_at=at(2027, 7, 6, 13),
        )
    later.refresh_from_db()
    assert later.sequence == 0


def test_a_party_booked_elsewhere_at_the_same_time_is_a_warning_not_a_refusal(
    case, schedule, personas
):
    jan = next(p for p in parties_of(case) if p.party.name == "Jan de Vries")
    other = CaseFactory(referred_by=personas.coordinator, mediators=[personas.outsider])
    Case.objects.filter(pk=other.pk).update(status=CaseStatus.SESSIONS)
    elsewhere = participation_add(
        case=other, party=jan.party, role="party", actor=personas.outsider
    )
    session_schedule(
        case=other,
        kind="intake",  # no consent recorded in the other case: an intake may invite them
        starts_at=at(2027, 7, 6, 14),
        ends_at=at(2027, 7, 6, 16),
        place="Elders",
        participations=[elsewhere],
        actor=personas.outsider,
    )
    data = form_data(participations=[str(jan.pk)])

    first = SessionForm(data, case=case)
    assert not first.is_valid()
    assert "Jan de Vries already has another session" in " ".join(first.errors["overlap_confirmed"])
    confirmed = SessionForm({**data, "overlap_confirmed": "on"}, case=case)
    assert confirmed.is_valid(), confirmed.errors
    session = session_schedule(case=case, actor=personas.mediator, **confirmed.service_values())
    assert session.attendees.filter(participation=jan).exists()


def test_sessions_are_planned_only_in_intake_or_sessions(assigned, personas):
    with pytest.raises(ValidationError) as caught:
        session_schedule(
            case=assigned,
            kind="intake",
            starts_at=at(2027, 7, 6, 14),
            ends_at=at(2027, 7, 6, 15),
            place="Stadhuis",
            actor=personas.mediator,
        )
    assert "only while the case is in intake or in sessions" in messages_of(caught.value)


def test_intake_sessions_can_be_planned_before_consent(in_intake, personas):
    session = session_schedule(
        case=in_intake,
        kind="intake",
        starts_at=at(2027, 7, 6, 14),
        ends_at=at(2027, 7, 6, 15),
        place="Stadhuis",
        participations=parties_of(in_intake)[:1],
        actor=personas.mediator,
    )
    assert session.attendees.count() == 3  # one party and both mediators


def test_only_the_cases_mediators_may_schedule(case, personas):
    for user in (personas.supervisor, personas.coordinator, personas.outsider):
        with pytest.raises(PermissionDenied):
            session_schedule(
                case=case,
                kind="joint",
                starts_at=at(2027, 7, 6, 14),
                ends_at=at(2027, 7, 6, 15),
                place="Stadhuis",
                actor=user,
            )


def test_scheduling_is_audited_with_ids_only(case, schedule):
    session = schedule(case, place="Geheime plek 12")

    event = AuditEvent.objects.get(action="session.scheduled")
    assert event.target_id == str(session.pk) and event.case_id == case.pk
    text = str(event.details)
    assert "Geheime" not in text and "@" not in text and "Jan" not in text


def test_a_change_of_time_asks_everyone_to_answer_again(case, schedule, personas):
    session = schedule(case)
    session.attendees.filter(participation__isnull=False).update(rsvp=Rsvp.ACCEPTED)

    session_reschedule(session=session, actor=personas.mediator, accessibility_notes="Lift")
    assert session.attendees.filter(rsvp=Rsvp.ACCEPTED, participation__isnull=False).count() == 4

    session_reschedule(
        session=session,
        actor=personas.mediator,
        starts_at=at(2027, 7, 8, 14),
        ends_at=at(2027, 7, 8, 16),
    )
    assert not session.attendees.filter(rsvp=Rsvp.ACCEPTED, participation__isnull=False).exists()
    session.refresh_from_db()
    assert session.sequence == 2
