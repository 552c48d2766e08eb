"""The migration that brought attendance and durations fills them in for sessions held before."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from scheduling.models import Rsvp, Session, SessionStatus
from tests.scheduling.conftest import at

BEFORE = [("scheduling", "0001_initial")]
AFTER = [("scheduling", "0002_session_history")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_sessions_held_before_get_their_planned_length_and_who_did_not_decline(
    case, schedule, personas
):
    session = schedule(case, starts_at=at(2026, 3, 3, 10))  # two hours
    jan = session.attendees.get(participation__party__name="Jan de Vries")
    planned = schedule(case)
    try:
        migrate(BEFORE)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE scheduling_session SET status = %s WHERE id = %s",
                [SessionStatus.HELD, session.pk],
            )
            cursor.execute(
                "UPDATE scheduling_attendee SET rsvp = %s WHERE id = %s", [Rsvp.DECLINED, jan.pk]
            )
        migrate(AFTER)
    finally:
        # Every app back to its latest migration: later tests need every table.
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        migrate(executor.loader.graph.leaf_nodes())

    session = Session.objects.get(pk=session.pk)
    assert session.duration_minutes == 120
    attended = dict(session.attendees.values_list("pk", "attended"))
    assert attended.pop(jan.pk) is False
    assert set(attended.values()) == {True}
    assert Session.objects.get(pk=planned.pk).duration_minutes is None
    assert set(planned.attendees.values_list("attended", flat=True)) == {None}
