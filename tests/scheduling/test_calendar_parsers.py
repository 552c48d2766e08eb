"""The one VTIMEZONE holds the tz database's rules, and vobject reads every time as stored."""

from datetime import UTC, datetime, timedelta

import pytest
import vobject
from dateutil.rrule import rrulestr
from icalendar import Calendar

from scheduling.invites import invite_calendar, vtimezone
from tests.scheduling.calendar_cases import AMSTERDAM, feed_text
from tests.scheduling.conftest import at

pytestmark = pytest.mark.django_db


def _onsets(component, until: datetime) -> list[datetime]:
    """The moments (UTC) a STANDARD or DAYLIGHT part of the VTIMEZONE takes effect."""
    start = component["DTSTART"].dt
    offset_from = component["TZOFFSETFROM"].td
    rule = rrulestr(component["RRULE"].to_ical().decode(), dtstart=start)
    return [(local - offset_from).replace(tzinfo=UTC) for local in rule.between(start, until)]


def test_the_vtimezone_changes_the_clock_when_the_tz_database_does_2026_to_2040():
    until = datetime(2041, 1, 1)
    onsets = sorted(
        (moment, part["TZOFFSETFROM"].td, part["TZOFFSETTO"].td)
        for part in vtimezone().walk()
        if part.name in ("STANDARD", "DAYLIGHT")
        for moment in _onsets(part, until)
        if moment.year >= 2026
    )

    assert len(onsets) == 2 * 15
    for moment, before, after in onsets:
        assert (moment - timedelta(seconds=1)).astimezone(AMSTERDAM).utcoffset() == before
        assert moment.astimezone(AMSTERDAM).utcoffset() == after


def test_the_onsets_are_written_in_the_local_time_before_the_change():
    parts = {part.name: part for part in vtimezone().walk() if part.name != "VTIMEZONE"}

    assert parts["DAYLIGHT"]["DTSTART"].dt.time().hour == 2  # 02:00 winter time becomes 03:00
    assert parts["STANDARD"]["DTSTART"].dt.time().hour == 3  # 03:00 summer time becomes 02:00
    assert b"RDATE" not in vtimezone().to_ical()


def test_vobject_reads_every_feed_event_at_its_stored_time():
    text, expected = feed_text()

    calendar = vobject.readOne(text.decode())

    found = {
        str(event.uid.value): (
            event.dtstart.value.astimezone(UTC),
            event.dtend.value.astimezone(UTC),
        )
        for event in calendar.vevent_list
    }
    assert found == expected
    assert len(found) == 5 * 10


def test_vobject_and_icalendar_read_invites_of_several_years_alike(case, schedule):
    """Several invites read one after the other: vobject keeps the first VTIMEZONE it sees
    under a TZID, so every invite must carry the same one."""
    sessions = [
        schedule(case, starts_at=at(year, month, 6, 14))
        for year in (2027, 2029)
        for month in (1, 7)
    ]
    for session in sessions:
        attendee = session.attendees.filter(participation__isnull=False).first()
        text = invite_calendar(session=session, attendee=attendee, method="REQUEST")
        (event,) = vobject.readOne(text.decode()).vevent_list
        (by_icalendar,) = Calendar.from_ical(text).walk("VEVENT")

        assert event.dtstart.value.astimezone(UTC) == session.starts_at.astimezone(UTC)
        assert event.dtend.value.astimezone(UTC) == session.ends_at.astimezone(UTC)
        assert by_icalendar["DTSTART"].dt.astimezone(UTC) == session.starts_at.astimezone(UTC)
