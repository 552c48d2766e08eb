"""iCalendar invites (RFC 5545/5546) and the emails that carry them.

Each recipient gets a message of their own that names only them and the organizer. Summary and
description hold no confidential content: the case reference, the kind of session, the place
and the practical arrangements, in the recipient's language. Text typed by people never reaches
an email header: subjects are built from fixed words, the reference and the date only, and are
squeezed onto one line anyway.
"""

import unicodedata
import uuid
from datetime import UTC, datetime, timedelta
from email import encoders
from email.mime.base import MIMEBase
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from icalendar import (
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vText,
)

from parties.models import ParticipantRole
from parties.portal import portal_url_for_invite
from scheduling.models import Attendee, Rsvp, Session
from scheduling.rsvp import rsvp_token
from scheduling.times import AMSTERDAM

PRODID = "-//Tafel//Tafel mediation//EN"
TZID = "Europe/Amsterdam"


class Method:
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class Purpose:
    """What a message is for: the outbox's `purpose`, and the wording of the email."""

    INVITE = "invite"
    UPDATE = "update"
    CANCEL = "cancel"  # the session is cancelled, for everyone
    UNINVITE = "uninvite"  # one attendee is taken off; the session goes ahead
    REMINDER = "reminder"


_PARTSTAT = {
    Rsvp.NEEDS_ACTION: "NEEDS-ACTION",
    Rsvp.ACCEPTED: "ACCEPTED",
    Rsvp.TENTATIVE: "TENTATIVE",
    Rsvp.DECLINED: "DECLINED",
}


def base_url() -> str:
    """Where links in emails point to (TAFEL_BASE_URL)."""
    return settings.TAFEL_BASE_URL.rstrip("/")


def plain_text(text: str) -> str:
    """Typed text for a calendar or an email body: one kind of line break, no other controls."""
    if text.isprintable():
        return text  # no line breaks and no controls at all: most places and notes
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def one_line(text: str) -> str:
    """Text safe for a header or a parameter: no line breaks or controls, one space between."""
    text = str(text)
    # isprintable() is False for every control and separator but the plain space.
    if text.isprintable() and "  " not in text and text == text.strip(" "):
        return text
    cleaned = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    return " ".join(cleaned.split())


def escape_text(text: str) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): backslash first, then ; , and line breaks."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


class CalendarText(vText):
    """vText that keeps a typed backslash followed by N as it is.

    icalendar's escaping first turns the two characters "\\N" into a line break; a place such as
    "C:\\Nieuw" would come out changed. Escape in the order of RFC 5545 instead.
    """

    encoding: str  # set by vText.__new__

    def to_ical(self) -> bytes:
        return escape_text(str(self)).encode(self.encoding)


# Words of the invite, in the language that is active when they are built.


def title_pattern() -> str:
    """The words of `session_title`, with %(kind)s and %(reference)s still to fill in."""
    return _("%(kind)s, case %(reference)s")


def session_title(session: Session) -> str:
    """'Joint session, case MED-2026-0001': the SUMMARY, and part of the subject."""
    return title_pattern() % {
        "kind": session.get_kind_display(),
        "reference": session.case.reference,
    }


def session_needs(session: Session) -> list[str]:
    """Needs that all invitees may know about, in plain words (no names, no health details)."""
    needs = []
    participations = (
        a.participation
        for a in session.attendees.all()
        if a.removed_at is None and a.participation is not None
    )
    if any(
        p.role == ParticipantRole.INTERPRETER or p.party.needs_interpreter for p in participations
    ):
        needs.append(_("An interpreter is present."))
    if session.step_free_access:
        needs.append(_("The place has step-free access."))
    return needs


def when_text(session: Session) -> str:
    start = timezone.localtime(session.starts_at, AMSTERDAM)
    end = timezone.localtime(session.ends_at, AMSTERDAM)
    return _("%(date)s from %(start)s to %(end)s") % {
        "date": date_format(start.date(), "l j F Y"),
        "start": time_format(start.time(), "H:i"),
        "end": time_format(end.time(), "H:i"),
    }


class Organizer(Protocol):
    """What an event shows of its organizer (a user)."""

    def get_full_name(self) -> str: ...

    def get_username(self) -> str: ...


class EventSession(Protocol):
    """What an event needs of a session: a `Session`, or a feed's row (`FeedSession`)."""

    @property
    def uid(self) -> uuid.UUID: ...

    @property
    def starts_at(self) -> datetime: ...

    @property
    def ends_at(self) -> datetime: ...

    @property
    def updated_at(self) -> datetime: ...

    @property
    def place(self) -> str: ...

    @property
    def online_link(self) -> str: ...

    @property
    def organizer(self) -> Organizer: ...


def where_text(session: EventSession) -> str:
    """The LOCATION: the place, or else the online link."""
    return plain_text(session.place) or session.online_link


def _description(session: Session) -> str:
    lines = [_("Mediation session of case %(reference)s.") % {"reference": session.case.reference}]
    if session.place:
        lines.append(_("Place: %(place)s") % {"place": plain_text(session.place)})
    if session.online_link:
        lines.append(_("Online: %(link)s") % {"link": session.online_link})
    lines.extend(session_needs(session))
    if session.accessibility_notes:
        lines.append(plain_text(session.accessibility_notes))
    return "\n".join(lines)


# Calendars


def vtimezone() -> Timezone:
    """The one VTIMEZONE for Europe/Amsterdam, in invites and feeds alike.

    The EU rule as two yearly RRULEs (summer time from the last Sunday of March at 02:00,
    winter time from the last Sunday of October at 03:00), each onset written in the local time
    in force before the change (RFC 5545 3.6.5). One definition that every client reads the
    same for every year, unlike a list of RDATEs for some years: ical.js placed summer sessions
    an hour late from one, and vobject kept the first definition it saw under this TZID.
    `tests/scheduling/test_timezone.py` holds it to the tz database for 2026-2040.
    """
    return _VTIMEZONE


def _amsterdam() -> Timezone:
    zone = Timezone()
    zone.add("tzid", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(daylight)
    zone.add_component(standard)
    return zone


# Built once: it holds the time zone's rules and nothing else, and no calendar changes it.
_VTIMEZONE = _amsterdam()


def _address(email: str, name: str, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{one_line(email)}")
    if one_line(name):
        address.params["CN"] = one_line(name)
    address.params.update(params)
    return address


def _organizer(user: Organizer) -> vCalAddress:
    # The mailbox Tafel reads for iTIP replies (mediation.inbox), under the mediator's name.
    return _address(settings.TAFEL_ORGANIZER_EMAIL, user.get_full_name() or user.get_username())


def session_event(
    session: EventSession,
    *,
    title: str,
    description: str,
    sequence: int,
    cancelled: bool,
    stamp: datetime,
) -> Event:
    """The VEVENT of a session, as invites and feeds show it: no attendees (an invite adds
    its one recipient), no notes. `title` is `session_title`, or the same words filled in
    from a feed's row."""
    event = Event()
    event.add("uid", f"{session.uid}@tafel")
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("last-modified", session.updated_at.astimezone(UTC))
    event.add("dtstart", timezone.localtime(session.starts_at, AMSTERDAM))
    event.add("dtend", timezone.localtime(session.ends_at, AMSTERDAM))
    event.add("summary", CalendarText(title))
    event.add("description", CalendarText(description))
    event.add("location", CalendarText(where_text(session)))
    if session.online_link:
        event.add("url", session.online_link)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    # Whoever may see the details of a shared calendar sees only "busy", not the case's
    # reference and place (RFC 5545 3.8.1.3).
    event.add("class", "PRIVATE")
    event.add("organizer", _organizer(session.organizer))
    return event


def new_calendar(method: str | None = None) -> Calendar:
    """An empty VCALENDAR of Tafel's, with the iTIP `method` of an invite (a feed has none)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    return calendar


def invite_calendar(
    *,
    session: Session,
    attendee: Attendee,
    method: str,
    sequence: int | None = None,
    stamp: datetime | None = None,
    session_cancelled: bool | None = None,
) -> bytes:
    """The iCalendar file for one recipient: the event, the organizer and only them.

    A CANCEL for one attendee taken off a session that goes ahead has no STATUS:CANCELLED
    (RFC 5546 3.2.5): the event itself is not cancelled. `session_cancelled` says which it is
    (default: every CANCEL cancels the session). `stamp` is the DTSTAMP (default: now).
    """
    sequence = session.sequence if sequence is None else sequence
    cancelled = method == Method.CANCEL
    if session_cancelled is None:
        session_cancelled = cancelled
    calendar = new_calendar(method)
    calendar.add_component(vtimezone())
    event = session_event(
        session,
        title=session_title(session),
        sequence=sequence,
        cancelled=session_cancelled,
        stamp=stamp or timezone.now(),
        description=_description(session),
    )
    if cancelled and not session_cancelled:
        event.pop("STATUS", None)  # the session goes on; only this attendee is uninvited
    event.add(
        "attendee",
        _address(
            attendee.email,
            attendee.display_name,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT=_PARTSTAT[Rsvp(attendee.rsvp)],
            RSVP="FALSE" if cancelled else "TRUE",
            CUTYPE="INDIVIDUAL",
        ),
    )
    calendar.add_component(event)
    return calendar.to_ical()


# Emails


class InviteEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative names its iTIP method, as clients expect."""

    def __init__(self, *args, calendar_method: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar_method = calendar_method

    def _create_mime_attachment(self, content, mimetype):
        if mimetype == "text/calendar":
            part = SafeMIMEText(content, "calendar", "utf-8")
            part.replace_header(
                "Content-Type", f"text/calendar; method={self.calendar_method}; charset=UTF-8"
            )
            return part
        # Django's private method, which django-stubs leaves out.
        return super()._create_mime_attachment(content, mimetype)  # type: ignore[misc]


def _ics_attachment(ics: bytes) -> MIMEBase:
    part = MIMEBase("application", "ics", name="invite.ics")
    part.set_payload(ics)
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _subject(purpose: str, session: Session) -> str:
    values = {"title": session_title(session), "when": when_text(session)}
    subject = {
        Purpose.INVITE: _("Invitation: %(title)s, %(when)s"),
        Purpose.UPDATE: _("Changed: %(title)s, %(when)s"),
        Purpose.CANCEL: _("Cancelled: %(title)s, %(when)s"),
        Purpose.UNINVITE: _("No longer expected: %(title)s, %(when)s"),
        Purpose.REMINDER: _("Reminder: %(title)s, %(when)s"),
    }[purpose]
    return one_line(subject % values)


def rsvp_links(attendee: Attendee, sequence: int) -> dict[str, str]:
    """The three answer links of an invite (absolute URLs)."""
    token = rsvp_token(attendee, sequence=sequence)
    url = base_url() + reverse("scheduling:rsvp", args=[token])
    return {answer: f"{url}?answer={answer}" for answer in ("accepted", "tentative", "declined")}


def invite_letter_values(*, session: Session, attendee: Attendee) -> dict[str, str]:
    """The session's fields of the invitation letter's template (`doctemplates`), in the
    invitee's language: no answer links (nobody types one from paper) and no calendar file."""
    start = timezone.localtime(session.starts_at, AMSTERDAM)
    end = timezone.localtime(session.ends_at, AMSTERDAM)
    with override(attendee.language):
        arrangements = [*session_needs(session)]
        if session.accessibility_notes:
            arrangements.append(plain_text(session.accessibility_notes))
        how = [str(_("You can call, email or write to me."))]
        portal = portal_url_for_invite(attendee.participation)
        if portal:
            how.append(
                str(_("You can also see your talks on your own web page: %(url)s"))
                % {"url": portal}
            )
        return {
            "session_kind": session.get_kind_display(),
            "session_date": date_format(start.date(), "l j F Y"),
            "session_time": _("%(start)s to %(end)s")
            % {"start": time_format(start.time(), "H:i"), "end": time_format(end.time(), "H:i")},
            "place": plain_text(session.place) or session.online_link,
            "arrangements": "\n".join(arrangements)
            or _("Nothing special: tell me if you need something."),
            "how_to_answer": " ".join(how),
        }


def invite_letter(*, session: Session, attendee: Attendee, purpose: str) -> tuple[str, str]:
    """The title and text of the letter about a changed or cancelled session, or about being
    taken off one, that a participant who hears from us by post gets instead of the email: the
    same news in plain words, with the arrangements and how to reach the mediator. (The
    invitation itself comes from the organisation's template: `invite_letter_values`.)"""
    organizer = session.organizer
    with override(attendee.language):
        context = {
            "purpose": purpose,
            "name": one_line(attendee.display_name),
            "title": session_title(session),
            "when": when_text(session),
            "place": plain_text(session.place),
            "online_link": session.online_link,
            "needs": session_needs(session),
            "arrangements": plain_text(session.accessibility_notes),
            "organizer": one_line(organizer.get_full_name() or organizer.get_username()),
            "organizer_email": one_line(organizer.email),
            "portal": portal_url_for_invite(attendee.participation),
        }
        return _subject(purpose, session), render_to_string(
            "scheduling/letters/session.txt", context
        )


def invite_email(
    *,
    session: Session,
    attendee: Attendee,
    purpose: str,
    sequence: int | None = None,
    stamp: datetime | None = None,
) -> InviteEmail:
    """The email for one recipient: text, HTML and the calendar, plus invite.ics."""
    sequence = session.sequence if sequence is None else sequence
    method = Method.CANCEL if purpose in (Purpose.CANCEL, Purpose.UNINVITE) else Method.REQUEST
    with override(attendee.language):
        context = {
            "purpose": purpose,
            "name": one_line(attendee.display_name),
            "title": session_title(session),
            "when": when_text(session),
            "place": plain_text(session.place),
            "online_link": session.online_link,
            "needs": session_needs(session),
            "arrangements": plain_text(session.accessibility_notes),
            "organizer": one_line(
                session.organizer.get_full_name() or session.organizer.get_username()
            ),
            "links": rsvp_links(attendee, sequence) if method == Method.REQUEST else {},
            # Their personal page (issue 20), when the mediator gave them one.
            "portal": portal_url_for_invite(attendee.participation),
        }
        text = render_to_string("scheduling/email/invite.txt", context)
        html = render_to_string("scheduling/email/invite.html", context)
        subject = _subject(purpose, session)
        ics = invite_calendar(
            session=session,
            attendee=attendee,
            method=method,
            sequence=sequence,
            stamp=stamp,
            session_cancelled=purpose == Purpose.CANCEL,
        )
    message = InviteEmail(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[one_line(attendee.email)],
        calendar_method=method,
    )
    message.attach_alternative(html, "text/html")
    message.attach_alternative(ics.decode("utf-8"), "text/calendar")
    message.attach(_ics_attachment(ics))
    return message
