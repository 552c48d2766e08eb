"""Closed cases with everything a dossier holds, and a clock to move (time-machine)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.models import NoteKind
from cases.services import case_transition, note_write
from dossier.rules import add_years
from tests.cases.agreement_helpers import (  # noqa: F401 - fixtures
    drafted,
    in_agreement,
    in_follow_up,
    review_all,
)

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# Every dossier test starts on this day; the clock moves from there.
START = datetime(2026, 12, 1, 10, 0, tzinfo=AMSTERDAM)


@pytest.fixture
def clock():
    """The clock, at START; `clock.move_to(...)` or `clock.days(n)` moves it on."""
    with time_machine.travel(START) as traveller:

        class Clock:
            def move_to(self, moment):
                traveller.move_to(moment)

            def years_and_days(self, years, days=0):
                today = datetime.now(AMSTERDAM)
                later = add_years(today.date(), years) + timedelta(days=days)
                traveller.move_to(datetime.combine(later, today.timetz()))

        yield Clock()


def close(case, mediator):
    """Close a case in follow-up with full agreement (its actions reviewed)."""
    review_all(case, mediator)
    return case_transition(
        case=case, name="close", actor=mediator, reason="Afgerond.", outcome="full_agreement"
    )


@pytest.fixture
def closed(clock, in_follow_up, personas):  # noqa: F811 - the fixture imported above
    """A case with an agreement, a working note and a dossier record, closed today (START)."""
    case = in_follow_up
    note_write(
        case=case,
        author=personas.mediator,
        kind=NoteKind.WORKING,
        title="Eigen indruk",
        body="Werkaantekening",
    )
    note_write(
        case=case,
        author=personas.mediator,
        kind=NoteKind.DOSSIER,
        title="Verslag intake",
        body="Dossierstuk",
    )
    return close(case, personas.mediator)
