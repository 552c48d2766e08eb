"""Reminders go out once, a configurable time before the session."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from mediation.models import OutboxMessage
from scheduling.models import Rsvp, Session
from scheduling.services import reminders_queue, session_reschedule
from tests.scheduling.conftest import JAN, deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(case, schedule, settings):
    """A session two days ahead, planned before the reminder window opens."""
    settings.TAFEL_REMINDER_HOURS = 24
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    return schedule(case, starts_at=start, ends_at=start + timedelta(hours=2))


def test_reminders_are_queued_once_within_the_configured_time(soon, smtp_server):
    assert reminders_queue() == 0  # not yet: the session is two days away

    later = timezone.now() + timedelta(days=1, hours=1)
    assert reminders_queue(now=later) == 4
    assert reminders_queue(now=later) == 0
    call_command("send_reminders")
    assert OutboxMessage.objects.filter(purpose="reminder").count() == 4

    deliver()
    # Jan reads Dutch.
    reminder = [r for r in smtp_server.to(JAN) if "Herinnering" in r.message["Subject"]]
    assert len(reminder) == 1
    assert reminder[0].calendar()["METHOD"] == "REQUEST"


def test_the_reminder_time_is_a_setting(soon, settings):
    settings.TAFEL_REMINDER_HOURS = 72

    assert reminders_queue() == 4


def test_who_declined_gets_no_reminder(soon):
    soon.attendees.filter(participation__party__name="Jan de Vries").update(rsvp=Rsvp.DECLINED)

    assert reminders_queue(now=timezone.now() + timedelta(days=1, hours=1)) == 3


def test_a_moved_session_gets_a_new_reminder(soon, personas):
    later = timezone.now() + timedelta(days=1, hours=1)
    reminders_queue(now=later)
    session_reschedule(
        session=soon,
        actor=personas.mediator,
        starts_at=soon.starts_at + timedelta(days=3),
        ends_at=soon.ends_at + timedelta(days=3),
    )
    soon.refresh_from_db()
    assert soon.reminder_queued_at is None

    assert reminders_queue(now=later + timedelta(days=3)) == 4


def test_a_session_planned_inside_the_window_needs_no_separate_reminder(case, schedule):
    start = (timezone.now() + timedelta(hours=5)).replace(microsecond=0)
    session = schedule(case, starts_at=start, ends_at=start + timedelta(hours=1))

    assert Session.objects.get(pk=session.pk).reminder_queued_at is not None
    assert reminders_queue() == 0
