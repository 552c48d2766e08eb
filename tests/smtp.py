"""A real SMTP server on loopback (aiosmtpd) for the tests, and what it received."""

import email
import email.policy
import logging
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar


@dataclass
class Received:
    """One message as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    message: email.message.EmailMessage = field(repr=False)

    def calendar_part(self):
        return next(p for p in self.message.walk() if p.get_content_type() == "text/calendar")

    def ics(self) -> bytes:
        """The bytes of the invite.ics attachment, exactly as attached."""
        part = next(p for p in self.message.walk() if p.get_filename() == "invite.ics")
        return part.get_payload(decode=True)

    def calendar(self) -> Calendar:
        return Calendar.from_ical(self.ics())

    def event(self):
        (event,) = self.calendar().walk("VEVENT")
        return event


class _Handler:
    def __init__(self):
        self.received: list[Received] = []

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                raw=raw,
                message=email.message_from_bytes(raw, policy=email.policy.default),
            )
        )
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServer:
    handler: _Handler
    port: int
    controller: Controller | None = None

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]


@pytest.fixture
def smtp_server(settings):
    """An aiosmtpd server on 127.0.0.1 that Django's SMTP backend sends to; `.received`."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    server = SmtpServer(handler=_Handler(), port=free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
