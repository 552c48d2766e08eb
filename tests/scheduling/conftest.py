"""A real SMTP server on loopback, cases ready for sessions, and helpers to read invites."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from mediation.outbox import outbox_drain
from parties.models import Participation
from parties.services import consent_record, participant_add
from scheduling.models import Session
from scheduling.services import session_schedule

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def deliver(smtp_server=None):
    """Run the outbox worker once; return the report."""
    return outbox_drain()


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def parties_of(case) -> list[Participation]:
    return list(case.participations.active().select_related("party").order_by("id"))


def move_to(session: Session, starts_at: datetime, ends_at: datetime) -> Session:
    """Move a session in the database only, as if its day had come (no service plans one in
    the past)."""
    Session.objects.filter(pk=session.pk).update(starts_at=starts_at, ends_at=ends_at)
    session.refresh_from_db()
    return session


@pytest.fixture
def schedule(personas):
    """Plan a session on `case` as the lead mediator, inviting every participant by default.

    A start in the past is planned a year ahead and then moved back in the database.
    """

    def make(case, *, starts_at=None, ends_at=None, **fields):
        values = {
            "kind": "joint",
            "place": "Stadhuis Utrecht, kamer 2.14",
            "participations": parties_of(case),
            "actor": personas.mediator,
        }
        values.update(fields)
        starts_at = starts_at or at(2027, 7, 6, 14)
        ends_at = ends_at or starts_at + timedelta(hours=2)  # also across midnight
        if starts_at >= timezone.now():
            return session_schedule(case=case, starts_at=starts_at, ends_at=ends_at, **values)
        ahead = timedelta(days=400)
        session = session_schedule(
            case=case, starts_at=starts_at + ahead, ends_at=ends_at + ahead, **values
        )
        return move_to(session, starts_at, ends_at)

    return make


JAN = "jan.devries@example.nl"
FATIMA = "fatima@voorbeeld.nl"
TOLK = "tolk@vertaalbureau.example"


@pytest.fixture
def case(in_sessions, personas):
    """A case in sessions with three people who have an email address.

    Jan de Vries (party, Dutch), Fatima el Amrani (party, prefers English, needs an Arabic
    interpreter) and an interpreter; plus the municipality, a party without an address. Every
    one of them signed (consent or confidentiality statement).
    """
    participant_add(
        case=in_sessions,
        role="party",
        actor=personas.mediator,
        party_fields={
            "kind": "person",
            "name": "Fatima el Amrani",
            "email": FATIMA,
            "preferred_language": "en",
            "interpreter_language": "ar",
        },
    )
    participant_add(
        case=in_sessions,
        role="interpreter",
        actor=personas.mediator,
        party_fields={"kind": "person", "name": "Tolk Ahmed", "email": TOLK},
    )
    # Both signed, so that joint sessions may invite them (rule 7b).
    for participation in in_sessions.participations.filter(consent_signed_on__isnull=True):
        if participation.confidentiality_signed_on is None:
            consent_record(
                participation=participation,
                signed_on=timezone.localdate(),
                signed_by=participation.party.name if participation.is_party else "",
                actor=personas.mediator,
            )
    return in_sessions
