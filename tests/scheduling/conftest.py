"""A real SMTP server on loopback, cases ready for sessions, and helpers to read invites."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from mediation.outbox import outbox_drain
from parties.models import Participation
from parties.services import participant_add
from scheduling.services import session_schedule

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def deliver(smtp_server=None):
    """Run the outbox worker once; return the report."""
    return outbox_drain()


def at(year, month, day, hour, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


def parties_of(case) -> list[Participation]:
    return list(case.participations.active().select_related("party").order_by("id"))


@pytest.fixture
def schedule(personas):
    """Plan a session on `case` as the lead mediator, inviting every participant by default."""

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
        return session_schedule(case=case, starts_at=starts_at, ends_at=ends_at, **values)

    return make


JAN = "jan.devries@example.nl"
FATIMA = "fatima@voorbeeld.nl"
TOLK = "tolk@vertaalbureau.example"


@pytest.fixture
def case(in_sessions, personas):
    """A case in sessions with three people who have an email address.

    Jan de Vries (party, Dutch), Fatima el Amrani (party, prefers English, needs an Arabic
    interpreter) and an interpreter; plus the municipality, a party without an address.
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
    return in_sessions
