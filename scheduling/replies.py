"""Answers pressed in calendar programs: iTIP REPLY messages read from the organizer's mailbox.

Outlook, Gmail and Apple Calendar answer an invite by mailing a calendar with METHOD:REPLY to
its ORGANIZER (RFC 5546 3.2.3, RFC 6047): as a `text/calendar; method=REPLY` part, as an .ics
attachment, or both. A reply is recorded like an answer by link (same service, audit and
notice) when it names a session by its UID, an attendee who is invited to it, and the
session's current SEQUENCE, and when it comes from that attendee's address.

What is found out, and where the message is filed (`mediation.inbox`):
- recorded, or out of date (an older SEQUENCE, a cancelled or past session, someone taken off
  since): the done folder; nothing changes for an out-of-date one;
- forged or malformed (no such session, an address that was not invited, another sender, a
  SEQUENCE the session never had, an answer that is not one): the refused folder, nothing
  changes, and the log says why;
- no REPLY at all (a person's email, an out-of-office note): not ours, left in the inbox.
"""

import uuid
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.utils import getaddresses

from django.utils import timezone
from icalendar import Calendar, Component

from mediation.inbox import Filing, Handled
from scheduling.models import Attendee, Rsvp, Session, SessionStatus
from scheduling.rsvp import LinkProblem
from scheduling.services.sessions import load_attendees, rsvp_record_from_calendar

CALENDAR_TYPES = {"text/calendar", "application/ics", "text/x-vcalendar"}
UID_SUFFIX = "@tafel"
ANSWERS = {"ACCEPTED": Rsvp.ACCEPTED, "TENTATIVE": Rsvp.TENTATIVE, "DECLINED": Rsvp.DECLINED}

RECORDED = Handled(Filing.DONE, "answer recorded")
OUT_OF_DATE = Handled(Filing.DONE, "answer out of date, nothing changed")
SESSION_CLOSED = Handled(Filing.DONE, "session no longer open to answers, nothing changed")
MALFORMED = Handled(Filing.REFUSED, "calendar reply cannot be read")
UNKNOWN_SESSION = Handled(Filing.REFUSED, "calendar reply for an unknown session")
NOT_INVITED = Handled(Filing.REFUSED, "calendar reply from someone who was not invited")
OTHER_SENDER = Handled(Filing.REFUSED, "calendar reply sent by someone else than its attendee")
UNKNOWN_SEQUENCE = Handled(Filing.REFUSED, "calendar reply for a revision that was never sent")
NO_ANSWER = Handled(Filing.REFUSED, "calendar reply without an answer Tafel records")


@dataclass(frozen=True)
class Reply:
    """One attendee's answer, as a REPLY states it."""

    uid: str
    sequence: int
    address: str  # the attendee's email address, casefolded
    partstat: str
    recurring: bool  # the reply is for one occurrence (RECURRENCE-ID): Tafel has none


def calendar_reply_handle(message: EmailMessage) -> Handled | None:
    """The inbox handler: record the answer a REPLY carries, or say why not."""
    calendars, unreadable = _calendars(message)
    replies = [c for c in calendars if _is_reply(c)]
    if not replies:
        # A calendar we cannot read under a REPLY content type is a broken answer; anything
        # else (a forwarded invite, a note from a person) is for a person to read.
        return MALFORMED if unreadable else None
    answers = {answer for calendar in replies for answer in _replies(calendar)}
    if not answers:
        return MALFORMED
    senders = _senders(message)
    # Outlook and Gmail send the same calendar twice (inline and attached): one answer.
    results = [_record(reply, senders) for reply in sorted(answers, key=repr)]
    refused = [r for r in results if r.filing == Filing.REFUSED]
    return refused[0] if refused else results[0]


def _calendars(message: Message) -> tuple[list[Calendar], bool]:
    """Every calendar in the message (inline or attached), and whether one could not be read."""
    calendars, unreadable = [], False
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() not in CALENDAR_TYPES and not filename.endswith(".ics"):
            continue
        said_reply = str(part.get_param("method", "")).upper() == "REPLY"
        data = part.get_payload(decode=True)
        try:
            found = Calendar.from_ical(data, multiple=True) if isinstance(data, bytes) else []
        except ValueError:
            found = []
        calendars.extend(found)
        # A part that says it is a REPLY but holds none is a broken answer, ours to refuse; a
        # broken attachment in a person's mail is theirs to read.
        if said_reply and not any(_is_reply(c) for c in found):
            unreadable = True
    return calendars, unreadable


def _is_reply(calendar: Calendar) -> bool:
    return str(calendar.get("METHOD", "")).upper() == "REPLY"


def _replies(calendar: Calendar) -> list[Reply]:
    found = []
    for event in calendar.walk("VEVENT"):
        attendees = event.get("ATTENDEE", [])
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            found.append(
                Reply(
                    uid=str(event.get("UID", "")),
                    sequence=_sequence(event),
                    address=_address(attendee),
                    partstat=str(attendee.params.get("PARTSTAT", "")).upper(),
                    recurring="RECURRENCE-ID" in event,
                )
            )
    return found


def _sequence(event: Component) -> int:
    # No SEQUENCE means revision 0 (RFC 5545 3.8.7.4).
    try:
        return int(event.get("SEQUENCE", 0))
    except (TypeError, ValueError):
        return -1  # matches no revision: refused below


def _address(attendee: object) -> str:
    """The attendee's address: a mailto: URI in any case (Outlook writes MAILTO:), or the EMAIL
    parameter (RFC 7986) when the value is another kind of URI, as Apple's sometimes is."""
    value = str(attendee)
    if value[:7].lower() == "mailto:":
        value = value[7:]
    elif email := getattr(attendee, "params", {}).get("EMAIL"):
        value = str(email)
    return value.strip().casefold()


def _senders(message: Message) -> set[str]:
    """The addresses a message says it comes from (From, and Sender for a delegate)."""
    headers = [str(v) for name in ("From", "Sender") for v in message.get_all(name, [])]
    return {address.strip().casefold() for _, address in getaddresses(headers) if address}


def _session(uid: str) -> Session | None:
    if not uid.endswith(UID_SUFFIX):
        return None
    try:
        key = uuid.UUID(uid.removesuffix(UID_SUFFIX))
    except ValueError:
        return None
    session = Session.objects.select_related("case", "organizer").filter(uid=key).first()
    if session is not None:
        load_attendees(session)
    return session


def _invited(session: Session, address: str) -> Attendee | None:
    """The attendee with that address; someone taken off the session or the case still counts
    (their reply is out of date, not forged)."""
    matches = [a for a in session.attendees.all() if a.email.strip().casefold() == address]
    return next((a for a in matches if a.removed_at is None), matches[0] if matches else None)


def _record(reply: Reply, senders: set[str]) -> Handled:
    session = _session(reply.uid)
    if session is None:
        return UNKNOWN_SESSION
    attendee = _invited(session, reply.address)
    if attendee is None:
        return NOT_INVITED
    if reply.address not in senders:
        return OTHER_SENDER
    if reply.partstat not in ANSWERS or reply.recurring:
        return NO_ANSWER
    if not 0 <= reply.sequence <= session.sequence:
        return UNKNOWN_SEQUENCE
    if reply.sequence < session.sequence:
        return OUT_OF_DATE
    if session.status != SessionStatus.PLANNED or session.ends_at <= timezone.now():
        return SESSION_CLOSED
    participation = attendee.participation
    if attendee.removed_at is not None or (
        participation is not None and participation.removed_at is not None
    ):
        return OUT_OF_DATE
    try:
        rsvp_record_from_calendar(
            attendee=attendee, sequence=reply.sequence, answer=ANSWERS[reply.partstat]
        )
    except LinkProblem:
        return OUT_OF_DATE  # changed between this read and the lock
    return RECORDED
