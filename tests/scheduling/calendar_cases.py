"""Sessions in every season and around both clock changes, 2026-2030, for the parsers' tests."""

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from scheduling.feed import feed_calendar
from scheduling.selectors import FeedSession

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
YEARS = range(2026, 2031)


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def local_starts() -> list[datetime]:
    """Winter and summer afternoons; the day before, the night of and the day after each clock
    change (01:00 and 04:00 local, either side of the missing or repeated hour)."""
    starts = []
    for year in YEARS:
        starts += [datetime(year, 1, 15, 10), datetime(year, 7, 6, 14)]
        for month in (3, 10):
            sunday = _last_sunday(year, month)
            for day, hour in ((-1, 14), (0, 1), (0, 4), (1, 9)):
                starts.append(datetime.combine(sunday + timedelta(days=day), time(hour)))
    return [start.replace(tzinfo=AMSTERDAM) for start in starts]


def _end(start: datetime) -> datetime:
    """45 minutes later; a session from 01:00 on the night of a change lasts until 04:00, across
    the change (2 hours in March, 4 in October). Never in the missing or repeated hour, which
    the planning form refuses: an end at 02:30 on the October night would be ambiguous."""
    if start.hour == 1:
        return start.replace(hour=4)
    return start + timedelta(minutes=45)


def feed_sessions() -> list[FeedSession]:
    organizer = get_user_model()(pk=1, username="mediator", first_name="Mehmet")
    now = datetime.now(UTC)
    return [
        FeedSession(
            pk=number,
            uid=uuid.uuid4(),
            sequence=0,
            status="planned",
            kind="joint",
            starts_at=start.astimezone(UTC),
            ends_at=_end(start).astimezone(UTC),
            updated_at=now,
            place="Buurthuis De Kroon",
            online_link="",
            reference=f"MED-{start.year}-{number:04d}",
            organizer_id=1,
            organizer=organizer,
        )
        for number, start in enumerate(local_starts(), start=1)
    ]


def feed_text() -> tuple[bytes, dict[str, tuple[datetime, datetime]]]:
    """A feed of every session above, and each event's start and end in UTC by UID."""
    sessions = feed_sessions()
    expected = {
        f"{s.uid}@tafel": (s.starts_at.astimezone(UTC), s.ends_at.astimezone(UTC)) for s in sessions
    }
    return feed_calendar(sessions=sessions, name="Tafel"), expected
