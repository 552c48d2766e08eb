"""Bench sessions: every assigned case gets its sessions and attendees, in bulk.

The fields are set as `scheduling.services.session_schedule` (and the cancel and held services
after it) set them: a fresh UID, the lead mediator as organizer and planner, SEQUENCE 0 (1 after
a change or a cancellation), `reminder_queued_at` as `_reminder_mark` and `reminders_queue`
leave it, the invited participants with their answers and the lead mediator as an attendee who
accepted. The lead mediator is never in two planned sessions at once, as the services insist.

Shortcuts, each chosen so that it does not change what is measured: no audit events and no
outbox messages for these sessions (measure 7 queues its own), and every case's sessions are
made at once, so `created_at` and `updated_at` are the time of generation.

The measured mediator's sessions are counted so that their feed holds exactly FEED_SESSIONS
planned and held sessions once their caseload is full (some of their cases get a third).
"""

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from cases.models import CaseStatus
from scheduling.models import Attendee, Rsvp, Session, SessionKind, SessionStatus
from scheduling.times import AMSTERDAM

SESSIONS_PER_CASE = 2
FEED_SESSIONS = 500
CANCELLED_EVERY = 10  # one assigned case in ten also has a cancelled session
SESSION_HOURS = 2
# Planned sessions start two days ahead at the earliest: none is due for a reminder, so the
# outbox worker of measure 7 sends exactly the messages the measure queued.
FIRST_PLANNED_DAY = 2
SLOT_HOURS = (9, 12, 15)  # three planned slots a day per mediator; never the DST hours

_PLACES = (
    "Buurthuis De Kroon, Kroonstraat 12, Utrecht, zaal 1",
    "Wijkbureau Oost, Biltstraat 166, Utrecht, kamer 2.14",
    "Stadhuis, Stadsplateau 1, Utrecht, spreekkamer 4",
    "Jongerencentrum De Pijp, Amsterdamsestraatweg 300, Utrecht",
)
_ARRANGEMENTS = (
    "",
    "",
    "Ingang aan de zijkant, lift naar de tweede verdieping.",
    "Koffie en thee staan klaar. Parkeren kan in de garage aan de overkant.",
)


@dataclass
class Planned:
    """Sessions and attendees of one batch, ready for bulk_create."""

    sessions: list[Session]
    attendees: list[list[Attendee]]  # per session, in the same order


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=AMSTERDAM)


def _count_for(world, remaining_cases: int) -> int:
    """How many feed sessions a case of the measured mediator gets: 2, or 3 while their feed
    would not reach FEED_SESSIONS with the `remaining_cases` (this one included) they get."""
    needed = FEED_SESSIONS - world.mediator_sessions
    return max(SESSIONS_PER_CASE, math.ceil(needed / max(remaining_cases, 1)))


def _plan(status: str, count: int) -> list[tuple[str, str]]:
    """(status, kind) of a case's sessions: held ones in its past, planned ones to come."""
    if status == CaseStatus.CLOSED:
        return [(SessionStatus.HELD, SessionKind.INTAKE)] + [
            (SessionStatus.HELD, SessionKind.JOINT)
        ] * (count - 1)
    if status == CaseStatus.SESSIONS:
        return (
            [(SessionStatus.HELD, SessionKind.INTAKE)]
            + [(SessionStatus.HELD, SessionKind.JOINT)] * (count - 2)
            + [(SessionStatus.PLANNED, SessionKind.JOINT)]
        )
    # Intake: one individual intake per party, still to come.
    return [(SessionStatus.PLANNED, SessionKind.INTAKE)] * count


def _planned_start(world, lead: int, today: date) -> datetime:
    """The lead's next free planned slot: no mediator is in two planned sessions at once."""
    slot = world.next_slot.get(lead, 0)
    world.next_slot[lead] = slot + 1
    day = today + timedelta(days=FIRST_PLANNED_DAY + slot // len(SLOT_HOURS))
    return _local(day, SLOT_HOURS[slot % len(SLOT_HOURS)])


def _held_start(world, case, number: int, today: date) -> datetime:
    """A time in the case's past: after its referral, before its end (or yesterday)."""
    rng = world.rng
    last = min(case.ended_on or today, today - timedelta(days=1))
    first = min(case.referred_on + timedelta(days=7), last)
    span = max((last - first).days, 0)
    day = first + timedelta(days=min(span, rng.randrange(0, 30) + 14 * number))
    return _local(min(day, last), 10 if number % 2 == 0 else 14)


def sessions_plan(
    world, cases, leads, participations: dict[int, list], *, caseload: int, now: datetime
) -> Planned:
    """The sessions of the batch's assigned cases, with their attendees (not saved yet).

    Call it after the batch's leads were chosen: `world.mediator_cases` counts them already,
    and the measured mediator gets `caseload` cases in all.
    """
    rng = world.rng
    today = now.astimezone(AMSTERDAM).date()
    planned = Planned(sessions=[], attendees=[])
    # The measured mediator's cases still to come: the rest of this batch's, and later ones.
    remaining = leads.count(world.mediator.pk) + caseload - world.mediator_cases
    for case, lead in zip(cases, leads, strict=True):
        if lead is None:
            continue
        count = SESSIONS_PER_CASE
        if lead == world.mediator.pk:
            count = _count_for(world, remaining)
            remaining -= 1
        parties = participations[case.pk]
        plan = _plan(case.status, count)
        if world.session_cases % CANCELLED_EVERY == 0 and case.status != CaseStatus.CLOSED:
            plan.append((SessionStatus.CANCELLED, SessionKind.JOINT))
        for number, (status, kind) in enumerate(plan):
            if status == SessionStatus.HELD:
                starts_at = _held_start(world, case, number, today)
            else:
                starts_at = _planned_start(world, lead, today)
            online = rng.random() < 0.2
            link = f"https://meet.example/tafel-{rng.getrandbits(40):010x}" if online else ""
            session = Session(
                case_id=case.pk,
                kind=kind,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=SESSION_HOURS),
                place="" if online else rng.choice(_PLACES),
                online_link=link,
                step_free_access=rng.random() < 0.5,
                accessibility_notes=rng.choice(_ARRANGEMENTS),
                status=status,
                uid=uuid.uuid4(),
                # A cancellation raises SEQUENCE; so does one change in five of the others.
                sequence=1 if status == SessionStatus.CANCELLED or rng.random() < 0.2 else 0,
                organizer_id=lead,
                created_by_id=lead,
                # Queued by reminders_queue a day ahead; none yet for sessions days away.
                reminder_queued_at=(
                    starts_at - timedelta(hours=24) if status == SessionStatus.HELD else None
                ),
            )
            # An intake is individual: one party each.
            one = kind == SessionKind.INTAKE
            invited = [parties[number % len(parties)]] if one else parties
            answered = status == SessionStatus.HELD
            attendees = [
                Attendee(
                    participation_id=participation.pk,
                    rsvp=Rsvp.ACCEPTED if answered else rng.choice(list(Rsvp.values)),
                    responded_at=now if answered else None,
                )
                for participation in invited
            ]
            for attendee in attendees:
                if attendee.rsvp == Rsvp.NEEDS_ACTION:
                    attendee.responded_at = None
                elif attendee.responded_at is None:
                    attendee.responded_at = now
            # The organizer needs not answer their own invitation.
            attendees.append(Attendee(user_id=lead, rsvp=Rsvp.ACCEPTED, responded_at=now))
            planned.sessions.append(session)
            planned.attendees.append(attendees)
            if lead == world.mediator.pk and status != SessionStatus.CANCELLED:
                world.mediator_sessions += 1
        world.session_cases += 1
    return planned


def sessions_save(planned: Planned, batch_size: int) -> int:
    """Insert the planned sessions, then their attendees; return how many sessions."""
    Session.objects.bulk_create(planned.sessions, batch_size=batch_size)
    rows = []
    for session, attendees in zip(planned.sessions, planned.attendees, strict=True):
        for attendee in attendees:
            attendee.session_id = session.pk
            rows.append(attendee)
    Attendee.objects.bulk_create(rows, batch_size=batch_size)
    return len(planned.sessions)
