"""A mediator's calendar feed as iCalendar, made with icalendar like the invites.

Each session becomes the VEVENT that `invites.session_event` makes for an invite, with the same
VTIMEZONE for Europe/Amsterdam; only the description differs (the title again: the feed is the
mediators' own view, with no attendees, addresses, needs or practical arrangements).

Building hundreds of events with icalendar takes a while, and calendar programs fetch the
feed every few minutes, most of them without sending its ETag back: the text is stored per
version stamp and served from there (`scheduling.services.feeds.feed_current`).
"""

import hashlib
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import vDuration

from scheduling.invites import (
    PRODID,
    TZID,
    CalendarText,
    Organizer,
    new_calendar,
    one_line,
    session_event,
    title_pattern,
    vtimezone,
)
from scheduling.models import SessionKind
from scheduling.selectors import FeedSession

# Raise when the feed's text changes for the same sessions (a new property, other words than
# the catalogue's): every stored copy is then written again.
FORMAT = 2  # 2: the VTIMEZONE as yearly rules (RRULE); NAME, REFRESH-INTERVAL, CLASS:PRIVATE
# Calendar programs are asked to fetch the feed again this often.
REFRESH = timedelta(minutes=15)


def display_name(user: Organizer) -> str:
    return user.get_full_name() or user.get_username()


def feed_name(owner: Organizer) -> str:
    """The calendar's name in the mediator's calendar program, in the active language."""
    return _("Tafel sessions of %(name)s") % {"name": display_name(owner)}


def feed_recipe(*, owner: Organizer, organizers: Iterable[tuple[int, str]]) -> str:
    """SHA-256 of what the feed's text depends on besides the sessions, in the active language.

    The names of its owner and of the sessions' organizers (`(id, name)` pairs), its words, the
    organizer's address and the format. A name changes in the admin, which has no service to
    raise the version stamp; a new catalogue or sender comes with a deploy.
    """
    kinds = [f"{value}={label}" for value, label in SessionKind.choices]
    parts = [
        str(FORMAT),
        PRODID,
        settings.TAFEL_ORGANIZER_EMAIL,
        feed_name(owner),
        title_pattern(),
        *kinds,
        *(f"{pk}={name}" for pk, name in sorted(organizers)),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def feed_calendar(*, sessions: list[FeedSession], name: str) -> bytes:
    """A mediator's feed: their sessions (`selectors.feed_sessions`), without attendees,
    addresses or notes, in the active language."""
    calendar = new_calendar()
    calendar.add("name", CalendarText(one_line(name)))  # RFC 7986
    calendar.add("x-wr-calname", CalendarText(one_line(name)))
    calendar.add("x-wr-timezone", TZID)
    # How often a calendar program should fetch the feed again: RFC 7986's property, and the
    # older one that Outlook and Apple Calendar read.
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    # An X- property has no known type: icalendar would write str(timedelta) ("0:15:00").
    calendar.add("x-published-ttl", vDuration(REFRESH))
    if sessions:
        calendar.add_component(vtimezone())
    # The words once per feed, not once per session.
    pattern = title_pattern()
    kinds = {value: str(label) for value, label in SessionKind.choices}
    for session in sessions:
        title = pattern % {
            "kind": kinds.get(session.kind, session.kind),
            "reference": session.reference,
        }
        event = session_event(
            session,
            title=title,
            description=title,
            sequence=session.sequence,
            cancelled=False,  # the feed leaves cancelled sessions out
            stamp=session.updated_at,
        )
        calendar.add_component(event)
    return calendar.to_ical()
