"""The outbox worker's connections to the mail server, and opening a stored message."""

import logging

import pytest
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediation.models import OutboxMessage, OutboxStatus
from mediation.outbox import outbox_drain, outbox_enqueue, outbox_open
from tests.smtp import SmtpServer, _Handler, free_port

pytestmark = pytest.mark.django_db

REFUSED = "weigert@voorbeeld.nl"


class _CountingHandler(_Handler):
    """Notes the connection (the client's address and port) of every message, and refuses
    one recipient as a mail server refuses an unknown mailbox."""

    def __init__(self):
        super().__init__()
        self.peers: list[tuple] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REFUSED:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.peers.append(session.peer)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def counting_server(settings):
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = SmtpServer(handler=_CountingHandler(), port=free_port())
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def message(subject: str, to: str = "partij@voorbeeld.nl") -> EmailMessage:
    return EmailMessage(subject=subject, body="Tekst", from_email="tafel@localhost", to=[to])


def test_one_drain_sends_every_message_over_one_connection(counting_server):
    for number in range(5):
        outbox_enqueue(message=message(f"Uitnodiging {number}"), purpose="invite")

    assert outbox_drain().sent == 5

    assert len(counting_server.received) == 5
    assert len(set(counting_server.handler.peers)) == 1


def test_a_refused_message_waits_and_the_next_ones_still_leave(counting_server):
    outbox_enqueue(message=message("1"), purpose="invite")
    refused = outbox_enqueue(message=message("2", to=REFUSED), purpose="invite")
    outbox_enqueue(message=message("3"), purpose="invite")

    report = outbox_drain()

    assert (report.sent, report.retried) == (2, 1)
    assert [r.message["Subject"] for r in counting_server.received] == ["1", "3"]
    refused.refresh_from_db()
    assert (refused.status, refused.attempts) == (OutboxStatus.PENDING, 1)
    assert refused.last_error.startswith("SMTPRecipientsRefused")
    # The failure closed the connection; the next message went over a new one.
    assert len(set(counting_server.handler.peers)) == 2


def test_each_further_message_of_a_drain_costs_one_query(counting_server):
    def queries_to_send(count: int) -> int:
        for number in range(count):
            outbox_enqueue(message=message(f"Bericht {number}"), purpose="invite")
        with CaptureQueriesContext(connection) as captured:
            assert outbox_drain().sent == count
        return len(captured.captured_queries)

    # Claiming and the outbox key are once per drain; marking a message sent is its own.
    assert queries_to_send(8) - queries_to_send(3) == 5


def test_an_opened_message_shows_its_subject_and_text_as_queued():
    mail = EmailMultiAlternatives(
        subject="Uitnodiging: Gezamenlijk gesprek",
        body="Beste Jan,\n\nU bent uitgenodigd.",
        from_email="tafel@localhost",
        to=["jan@voorbeeld.nl"],
    )
    mail.attach_alternative("<p>U bent uitgenodigd.</p>", "text/html")
    outgoing = outbox_enqueue(message=mail, purpose="invite")

    opened = outbox_open(OutboxMessage.objects.get(pk=outgoing.pk))

    assert opened.subject == "Uitnodiging: Gezamenlijk gesprek"
    assert opened.body.replace("\r\n", "\n").strip() == "Beste Jan,\n\nU bent uitgenodigd."
    assert opened.to == ["jan@voorbeeld.nl"] and opened.from_email == "tafel@localhost"
    assert b"U bent uitgenodigd." in opened.message().as_bytes()
