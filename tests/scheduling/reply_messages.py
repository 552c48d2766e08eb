"""iTIP REPLY messages shaped the way the three big calendar programs send them.

Each builder takes the invite an attendee received (its VEVENT) and answers it as that program
does when the attendee presses Accept, Maybe or Decline:
- Outlook (Exchange): multipart/alternative, a text part and a base64 `text/calendar;
  method=REPLY` part; `MAILTO:` in capitals; Windows time zone names; Microsoft's X- properties.
- Gmail: multipart/mixed holding multipart/alternative (text, HTML, `text/calendar;
  method=REPLY`) and the same calendar again as an `application/ics` attachment, times in UTC,
  no VTIMEZONE.
- Apple (iCloud, macOS and iOS Calendar): multipart/mixed with a text part and the calendar as a
  quoted-printable attachment named iCal-*.ics, the attendee's address also as EMAIL=.
"""

import quopri
from datetime import UTC, datetime
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, make_msgid

PARTSTAT = {"accepted": "ACCEPTED", "tentative": "TENTATIVE", "declined": "DECLINED"}
OUTLOOK_WORD = {"accepted": "Accepted", "tentative": "Tentative", "declined": "Declined"}


def _utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(value) -> str:
    return value.strftime("%Y%m%dT%H%M%S")


def _headers(message, *, sender: str, name: str, organizer: str, subject: str) -> None:
    message["From"] = f'"{name}" <{sender}>'
    message["To"] = organizer
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message["MIME-Version"] = "1.0"


def outlook_reply(
    event, *, address, name, answer, organizer, sequence=None, uid=None, sender=None
) -> bytes:
    sequence = int(event["SEQUENCE"]) if sequence is None else sequence
    uid = str(event["UID"]) if uid is None else uid
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "METHOD:REPLY",
            "PRODID:Microsoft Exchange Server 2010",
            "VERSION:2.0",
            "BEGIN:VTIMEZONE",
            "TZID:W. Europe Standard Time",
            "BEGIN:STANDARD",
            "DTSTART:16010101T030000",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10",
            "END:STANDARD",
            "BEGIN:DAYLIGHT",
            "DTSTART:16010101T020000",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3",
            "END:DAYLIGHT",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            f"ATTENDEE;PARTSTAT={PARTSTAT[answer]};CN={name}:MAILTO:{address}",
            "COMMENT;LANGUAGE=nl-NL:\\n",
            f"SUMMARY;LANGUAGE=nl-NL:{OUTLOOK_WORD[answer]}: {event['SUMMARY']}",
            f"DTSTART;TZID=W. Europe Standard Time:{_local(start)}",
            f"DTEND;TZID=W. Europe Standard Time:{_local(end)}",
            f"UID:{uid}",
            "CLASS:PUBLIC",
            "PRIORITY:5",
            f"DTSTAMP:{_utc(datetime.now(UTC))}",
            "TRANSP:OPAQUE",
            "STATUS:CONFIRMED",
            f"SEQUENCE:{sequence}",
            "LOCATION;LANGUAGE=nl-NL:",
            f"X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}",
            "X-MICROSOFT-CDO-OWNERAPPTID:2118263914",
            "X-MICROSOFT-CDO-BUSYSTATUS:BUSY",
            "X-MICROSOFT-CDO-INTENDEDSTATUS:BUSY",
            "X-MICROSOFT-CDO-ALLDAYEVENT:FALSE",
            "X-MICROSOFT-CDO-IMPORTANCE:1",
            "X-MICROSOFT-CDO-INSTTYPE:0",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    message = MIMEMultipart("alternative")
    _headers(
        message,
        sender=sender or address,
        name=name,
        organizer=organizer,
        subject=f"{OUTLOOK_WORD[answer]}: {event['SUMMARY']}",
    )
    message["Thread-Topic"] = str(event["SUMMARY"])
    message["X-MS-Has-Attach"] = ""
    message.attach(MIMEText("\r\n", "plain", "utf-8"))
    calendar = MIMEText(ics, "calendar", "utf-8")  # base64, as Exchange sends it
    calendar.set_param("method", "REPLY")
    message.attach(calendar)
    return message.as_bytes()


def gmail_reply(
    event, *, address, name, answer, organizer, sequence=None, uid=None, sender=None
) -> bytes:
    sequence = int(event["SEQUENCE"]) if sequence is None else sequence
    uid = str(event["UID"]) if uid is None else uid
    word = {"accepted": "Accepted", "tentative": "Tentatively Accepted", "declined": "Declined"}
    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:REPLY",
            "BEGIN:VEVENT",
            f"DTSTART:{_utc(event.decoded('DTSTART'))}",
            f"DTEND:{_utc(event.decoded('DTEND'))}",
            f"DTSTAMP:{_utc(datetime.now(UTC))}",
            f"ORGANIZER;CN=Mediator:mailto:{organizer}",
            f"UID:{uid}",
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;"
            f"PARTSTAT={PARTSTAT[answer]};CN={name};X-NUM-GUESTS=0:mailto:{address}",
            f"CREATED:{_utc(datetime.now(UTC))}",
            "DESCRIPTION:",
            f"LAST-MODIFIED:{_utc(datetime.now(UTC))}",
            "LOCATION:",
            f"SEQUENCE:{sequence}",
            "STATUS:CONFIRMED",
            f"SUMMARY:{event['SUMMARY']}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    outer = MIMEMultipart("mixed")
    subject = f"{word[answer]}: {event['SUMMARY']} ({address})"
    _headers(outer, sender=sender or address, name=name, organizer=organizer, subject=subject)
    alternative = MIMEMultipart("alternative")
    alternative.attach(MIMEText(f"{name} has {word[answer].lower()} this invitation.\r\n"))
    said = f"{name} has {word[answer].lower()} this invitation."
    alternative.attach(MIMEText(f"<p>{said}</p>", "html"))
    inline = MIMEText(ics, "calendar", "utf-8")
    inline.replace_header("Content-Transfer-Encoding", "7bit")
    inline.set_payload(ics)
    inline.set_param("method", "REPLY")
    alternative.attach(inline)
    outer.attach(alternative)
    attachment = MIMEApplication(ics.encode(), "ics", name="invite.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="invite.ics")
    outer.attach(attachment)
    return outer.as_bytes()


def apple_reply(
    event, *, address, name, answer, organizer, sequence=None, uid=None, sender=None
) -> bytes:
    sequence = int(event["SEQUENCE"]) if sequence is None else sequence
    uid = str(event["UID"]) if uid is None else uid
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    ics = "\r\n".join(
        [
            "BEGIN:VCALENDAR",
            "METHOD:REPLY",
            "VERSION:2.0",
            "PRODID:-//Apple Inc.//iPhone OS 18.1//EN",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Amsterdam",
            "X-LIC-LOCATION:Europe/Amsterdam",
            "BEGIN:DAYLIGHT",
            "DTSTART:19810329T020000",
            "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
            "TZNAME:CEST",
            "TZOFFSETFROM:+0100",
            "TZOFFSETTO:+0200",
            "END:DAYLIGHT",
            "BEGIN:STANDARD",
            "DTSTART:19961027T030000",
            "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
            "TZNAME:CET",
            "TZOFFSETFROM:+0200",
            "TZOFFSETTO:+0100",
            "END:STANDARD",
            "END:VTIMEZONE",
            "BEGIN:VEVENT",
            f'ATTENDEE;CN="{name}";CUTYPE=INDIVIDUAL;EMAIL="{address}";'
            f"PARTSTAT={PARTSTAT[answer]};ROLE=REQ-PARTICIPANT:mailto:{address}",
            f"DTEND;TZID=Europe/Amsterdam:{_local(end)}",
            f"DTSTAMP:{_utc(datetime.now(UTC))}",
            f"DTSTART;TZID=Europe/Amsterdam:{_local(start)}",
            f'ORGANIZER;CN="Mediator";EMAIL="{organizer}":mailto:{organizer}',
            "REQUEST-STATUS:2.0;Success",
            f"SEQUENCE:{sequence}",
            f"SUMMARY:{event['SUMMARY']}",
            f"UID:{uid}",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    outer = MIMEMultipart("mixed")
    word = {"accepted": "accepted", "tentative": "tentatively accepted", "declined": "declined"}
    subject = f"Invitation {word[answer]}: {event['SUMMARY']}"
    _headers(outer, sender=sender or address, name=name, organizer=organizer, subject=subject)
    outer["X-Mailer"] = "iPhone Mail (22B83)"
    outer.attach(MIMEText(f"{name} has {word[answer]} your event invitation.\r\n"))
    attachment = MIMEText(ics, "calendar", "utf-8")
    attachment.replace_header("Content-Transfer-Encoding", "quoted-printable")
    attachment.set_payload(_quoted_printable(ics))
    attachment.set_param("method", "REPLY")
    attachment.set_param("name", "iCal-20261203-101500.ics")
    attachment.add_header("Content-Disposition", "attachment", filename="iCal-20261203-101500.ics")
    outer.attach(attachment)
    return outer.as_bytes()


def _quoted_printable(text: str) -> str:
    return quopri.encodestring(text.encode()).decode("ascii")


SHAPES = {"outlook": outlook_reply, "gmail": gmail_reply, "apple": apple_reply}
