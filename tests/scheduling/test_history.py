"""The case's session history: upcoming and past, held and cancelled, and the contact hours."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.services import case_transition
from scheduling.models import SessionStatus
from scheduling.selectors import (
    contact_minutes_for_case,
    contact_minutes_per_mediator,
    mediator_sessions,
    session_history,
)
from scheduling.services import session_cancel, session_mark_held, session_record
from scheduling.templatetags.sessions import minutes_text
from tests.scheduling.conftest import at, parties_of

pytestmark = pytest.mark.django_db


def days_ago(days: int, hour: int = 10):
    start = timezone.localtime().replace(hour=hour, minute=0, second=0, microsecond=0)
    return start - timedelta(days=days)


def record(case, actor, *, days: int = 3, minutes: int = 30, kind="joint", **fields):
    values = {
        "channel": "phone",
        "participations": parties_of(case)[:1],
        "mediators": [actor],
    }
    values.update(fields)
    return session_record(
        case=case,
        kind=kind,
        starts_at=days_ago(days),
        duration_minutes=minutes,
        actor=actor,
        **values,
    )


def held(schedule, case, personas, *, days: int, minutes: int | None = None):
    session = schedule(case, starts_at=days_ago(days, hour=14))
    return session_mark_held(session=session, actor=personas.mediator, duration_minutes=minutes)


def case_page(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_history_lists_upcoming_soonest_first_and_past_newest_first(personas, case, schedule):
    later = schedule(case, starts_at=at(2027, 7, 8, 10))
    sooner = schedule(case, starts_at=at(2027, 7, 6, 10))
    old = held(schedule, case, personas, days=20)
    recent = held(schedule, case, personas, days=2)
    cancelled = schedule(case, starts_at=at(2027, 7, 9, 10))
    session_cancel(session=cancelled, actor=personas.mediator)
    over = schedule(case, starts_at=days_ago(1))  # over, not yet marked as held

    history = session_history(case=case)

    assert history.upcoming == [sooner, later]
    assert [s.pk for s in history.past] == [cancelled.pk, over.pk, recent.pk, old.pk]


def test_the_panel_labels_each_session_in_words_and_keeps_them_after_closing(
    client, personas, case, schedule
):
    schedule(case)
    held(schedule, case, personas, days=5, minutes=75)
    cancelled = schedule(case, starts_at=at(2027, 7, 9, 10))
    session_cancel(session=cancelled, actor=personas.mediator)
    record(case, personas.mediator, days=1, minutes=20)
    client.force_login(personas.mediator)

    page = case_page(client, case)

    for words in ("Upcoming", "Past and cancelled", "Planned", "Held", "Cancelled"):
        assert words in page, words
    assert "(took 1 h 15 min)" in page and "(phone call, recorded afterwards)" in page
    assert "Contact time (held sessions): <strong>1 h 35 min</strong>" in page

    case_transition(case=case, name="withdraw", actor=personas.mediator, reason="Gestopt.")
    closed = case_page(client, case)
    assert "No sessions are planned" not in closed
    assert "Held" in closed and "Cancelled" in closed  # the planned one, cancelled at closing
    assert "Plan a session" not in closed and "Record a session afterwards" not in closed


def test_a_case_without_sessions_says_so(client, personas, case):
    client.force_login(personas.mediator)

    page = case_page(client, case)

    assert "No sessions are planned." in page
    assert "Plan a session" in page and "Record a session afterwards" in page


def test_the_panel_takes_as_many_queries_for_many_sessions_as_for_one(
    client, personas, case, schedule, django_assert_max_num_queries
):
    schedule(case)
    client.force_login(personas.mediator)
    with CaptureQueriesContext(connection) as one:
        case_page(client, case)
    for day in range(10, 14):
        schedule(case, starts_at=at(2027, 8, day, 10))
        held(schedule, case, personas, days=day)
        record(case, personas.mediator, days=day, participations=parties_of(case))
    cancelled = schedule(case, starts_at=at(2027, 9, 1, 10))
    session_cancel(session=cancelled, actor=personas.mediator)

    with django_assert_max_num_queries(len(one.captured_queries)):
        page = case_page(client, case)
    assert page.count('<span class="badge badge-done">Held</span>') == 8


def test_contact_minutes_of_a_case_add_up_its_held_sessions_only(personas, case, schedule):
    assert contact_minutes_for_case(case=case) == 0
    held(schedule, case, personas, days=4)  # the planned two hours by default
    record(case, personas.mediator, days=2, minutes=25)
    schedule(case)  # planned: not yet contact time
    cancelled = schedule(case, starts_at=at(2027, 7, 9, 10))
    session_cancel(session=cancelled, actor=personas.mediator)

    assert contact_minutes_for_case(case=case) == 145


def test_contact_minutes_per_mediator_count_the_sessions_they_attended_in_the_period(
    personas, case, schedule, django_assert_num_queries
):
    both = schedule(case, starts_at=days_ago(10, hour=14))
    comediator = both.attendees.get(user=personas.comediator)
    session_mark_held(
        session=both,
        actor=personas.mediator,
        attended=[a for a in both.attendees.active() if a.pk != comediator.pk],
        duration_minutes=90,
    )
    record(case, personas.comediator, days=3, minutes=40, mediators=[personas.comediator])
    record(case, personas.mediator, days=40, minutes=15)

    with django_assert_num_queries(1):
        everything = contact_minutes_per_mediator()
    assert everything == {personas.mediator.pk: 105, personas.comediator.pk: 40}
    last_month = contact_minutes_per_mediator(since=timezone.now() - timedelta(days=30))
    assert last_month == {personas.mediator.pk: 90, personas.comediator.pk: 40}
    assert (
        contact_minutes_per_mediator(
            until=timezone.now() - timedelta(days=5), user_ids=[personas.comediator.pk]
        )
        == {}
    )


def test_durations_read_as_hours_and_minutes():
    assert minutes_text(45) == "45 min"
    assert minutes_text(120) == "2 h"
    assert minutes_text(95) == "1 h 35 min"
    assert minutes_text(0) == "0 min"


def test_the_history_holds_held_sessions_with_their_status(personas, case, schedule):
    session = held(schedule, case, personas, days=1)
    assert session.status == SessionStatus.HELD
    assert session_history(case=case).past == [session]


def test_a_mediator_sees_the_sessions_of_their_cases_in_a_period(
    personas, case, schedule, django_assert_num_queries
):
    soon = schedule(case, starts_at=at(2027, 7, 6, 10))
    later = schedule(case, starts_at=at(2027, 8, 6, 10))
    past = held(schedule, case, personas, days=3)
    cancelled = schedule(case, starts_at=at(2027, 7, 9, 10))
    session_cancel(session=cancelled, actor=personas.mediator)

    with django_assert_num_queries(2):
        everything = list(mediator_sessions(user=personas.mediator))
    assert everything == [past, soon, later]
    july = mediator_sessions(
        user=personas.comediator, since=at(2027, 7, 1, 0), until=at(2027, 8, 1, 0)
    )
    assert list(july) == [soon]
    assert list(mediator_sessions(user=personas.outsider)) == []
