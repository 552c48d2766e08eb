"""Wall-clock times in the Netherlands, and the two nights a year when they misbehave.

On the last Sunday of March 02:00-03:00 does not exist (the clocks go forward); on the last
Sunday of October 02:00-03:00 happens twice (the clocks go back). A session at such a time
would land in calendars an hour off, so it is refused with a message that says why.
"""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

DST_GAP_MESSAGE = _(
    "%(time)s on %(date)s does not exist in the Netherlands: that night the clocks go "
    "forward from 02:00 to 03:00. Choose another time."
)
DST_AMBIGUOUS_MESSAGE = _(
    "%(time)s on %(date)s happens twice in the Netherlands: that night the clocks go back "
    "from 03:00 to 02:00. Choose a time outside 02:00-03:00."
)


def _params(value: datetime) -> dict:
    return {"time": time_format(value.time(), "H:i"), "date": date_format(value.date(), "j F Y")}


def check_wall_time(value: datetime, *, field: str | None = None) -> None:
    """Refuse a Dutch wall-clock time that does not exist or that happens twice.

    `value` is naive (a time as typed) or aware in Europe/Amsterdam. An aware value in another
    zone (UTC, a fixed offset) names one instant and needs no check.
    """
    if value.tzinfo is not None and value.tzinfo != AMSTERDAM:
        return
    wall = value.replace(tzinfo=AMSTERDAM)
    # Round-trip through UTC: a time in the gap comes back as another wall-clock time.
    back = wall.astimezone(UTC).astimezone(AMSTERDAM)
    if back.replace(tzinfo=None, fold=0) != wall.replace(tzinfo=None, fold=0):
        error = ValidationError(DST_GAP_MESSAGE, code="dst_gap", params=_params(wall))
        raise ValidationError({field: error}) if field else error
    # An ambiguous time has two offsets, one for each fold.
    if wall.replace(fold=0).utcoffset() != wall.replace(fold=1).utcoffset():
        error = ValidationError(DST_AMBIGUOUS_MESSAGE, code="dst_ambiguous", params=_params(wall))
        raise ValidationError({field: error}) if field else error


def local_datetime(day: date, at: time, *, field: str | None = None) -> datetime:
    """The aware Amsterdam datetime of a date and a time as typed, or a clear refusal."""
    naive = datetime.combine(day, at.replace(tzinfo=None))
    check_wall_time(naive, field=field)
    return naive.replace(tzinfo=AMSTERDAM)
