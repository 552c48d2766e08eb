"""A mediator's calendar feed as iCalendar text, written line by line.

A feed holds hundreds of sessions, and calendar programs fetch it every few minutes, most of
them without sending its ETag back. icalendar builds every property as an object before it
writes it (about a millisecond per event here), so the feed writes the same properties
straight as text instead: escaped as `invites.escape_text` escapes them, folded at 75 octets,
and with the time zone that `invites` builds, once per span of years. The tests hold each
event to the one `invites` builds with icalendar for an invite.

The feed is the mediators' own view: no attendees, addresses, needs or practical arrangements.
"""

from datetime import UTC, datetime

from django.conf import settings

from scheduling.invites import (
    PRODID,
    TZID,
    escape_text,
    one_line,
    title_pattern,
    vtimezone_ical,
    where_text,
)
from scheduling.models import SessionKind, SessionStatus
from scheduling.selectors import FeedSession
from scheduling.times import AMSTERDAM

LINE_OCTETS = 75


def fold(line: str) -> str:
    """Fold a content line after 75 octets (RFC 5545 3.1), never inside a character, and not
    between a backslash and the character it escapes."""
    if len(line) <= LINE_OCTETS and line.isascii():
        return line
    if len(line.encode()) <= LINE_OCTETS:
        return line
    parts, current, size, limit = [], [], 0, LINE_OCTETS
    for char in line:
        width = len(char.encode())
        if current and size + width > limit:
            carried = [current.pop()] if len(current) > 1 and current[-1] == "\\" else []
            parts.append("".join(current))
            current, size = carried, len(carried)
            limit = LINE_OCTETS - 1  # a continuation line starts with a space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%Y%m%dT%H%M%S")


def _parameter(value: str) -> str:
    """A quoted parameter value; a double quote and a caret escaped as RFC 6868 says."""
    return '"' + one_line(value).replace("^", "^^").replace('"', "^'") + '"'


def _organizer_line(user) -> str:
    name = one_line(user.get_full_name() or user.get_username())
    address = f"mailto:{one_line(settings.DEFAULT_FROM_EMAIL)}"
    return fold(f"ORGANIZER;CN={_parameter(name)}:{address}" if name else f"ORGANIZER:{address}")


def feed_calendar(*, sessions: list[FeedSession], name: str) -> bytes:
    """A mediator's feed: their sessions (`selectors.feed_sessions`), without attendees,
    addresses or notes."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        fold(f"PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN",
        fold(f"X-WR-CALNAME:{escape_text(one_line(name))}"),
        f"X-WR-TIMEZONE:{TZID}",
    ]
    timezone = b""
    if sessions:
        first = min(s.starts_at for s in sessions)
        last = max(s.ends_at for s in sessions)
        timezone = vtimezone_ical(first.date(), last.date())
    # The words once per request, not once per session.
    pattern = title_pattern()
    kinds = {value: str(label) for value, label in SessionKind.choices}
    organizers: dict[int, str] = {}
    events = []
    for session in sessions:
        title = escape_text(
            pattern
            % {"kind": kinds.get(session.kind, session.kind), "reference": session.reference}
        )
        stamp = _utc(session.updated_at)
        organizer = organizers.get(session.organizer_id)
        if organizer is None:
            organizer = organizers[session.organizer_id] = _organizer_line(session.organizer)
        status = "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED"
        events += [
            "BEGIN:VEVENT",
            f"UID:{session.uid}@tafel",
            f"SEQUENCE:{session.sequence}",
            f"DTSTAMP:{stamp}",
            f"LAST-MODIFIED:{stamp}",
            f"DTSTART;TZID={TZID}:{_local(session.starts_at)}",
            f"DTEND;TZID={TZID}:{_local(session.ends_at)}",
            fold(f"SUMMARY:{title}"),
            fold(f"DESCRIPTION:{title}"),
            fold(f"LOCATION:{escape_text(where_text(session))}"),
        ]
        if session.online_link:
            events.append(fold(f"URL:{one_line(session.online_link)}"))
        events += [f"STATUS:{status}", "TRANSP:OPAQUE", organizer, "END:VEVENT"]
    events.append("END:VCALENDAR")
    head = ("\r\n".join(lines) + "\r\n").encode()
    return head + timezone + ("\r\n".join(events) + "\r\n").encode()
