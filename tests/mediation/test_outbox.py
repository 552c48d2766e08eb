"""The transactional outbox, through a real SMTP server on loopback."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail import EmailMessage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cases.services import case_transition
from mediation.management.commands import run_worker
from mediation.models import OutboxMessage, OutboxStatus
from mediation.outbox import outbox_drain, outbox_enqueue, outbox_withdraw
from mediation.queueing import CLAIM_TIMEOUT
from tests.case_fixtures import declare_all
from tests.smtp import free_port

pytestmark = pytest.mark.django_db


def message(subject: str, to: str = "partij@voorbeeld.nl") -> EmailMessage:
    return EmailMessage(subject=subject, body="Tekst", from_email="tafel@localhost", to=[to])


def test_the_referrer_hears_the_new_status_and_nothing_else(smtp_server, assigned, personas):
    declare_all(assigned, personas)
    outbox_drain()  # the mediators' notices of their assignment
    before = len(smtp_server.received)

    case_transition(case=assigned, name="accept", actor=personas.mediator)
    outbox_drain()

    [mail] = [r.message for r in smtp_server.received[before:]]
    assert mail["To"] == personas.coordinator.email
    assert assigned.reference in mail["Subject"] and "Intake" in mail["Subject"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert f"/cases/{assigned.pk}/" in text
    for secret in ("Bewoners voelen zich niet gehoord", "Jan de Vries", assigned.title):
        assert secret not in mail.as_string()


def test_a_rolled_back_change_leaves_no_message(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_enqueue(message=message("Uitnodiging"), purpose="invite")
        raise RuntimeError("the change failed")

    assert not OutboxMessage.objects.exists()


def test_messages_are_stored_sealed():
    outbox_enqueue(message=message("Uitnodiging intake", to="y.demir@voorbeeld.nl"), purpose="x")

    stored = bytes(OutboxMessage.objects.get().sealed_message)
    assert b"y.demir" not in stored and b"Uitnodiging" not in stored


def test_with_the_server_away_the_message_waits_and_leaves_exactly_once(settings, smtp_server):
    real_port = smtp_server.port
    settings.EMAIL_PORT = free_port()  # nobody listens there: connection refused
    outbox_enqueue(message=message("Uitnodiging"), purpose="invite")

    first = outbox_drain()
    waiting = OutboxMessage.objects.get()
    settings.EMAIL_PORT = real_port
    too_early = outbox_drain()
    later = outbox_drain(now=waiting.next_attempt_at + timedelta(seconds=1))
    again = outbox_drain(now=timezone.now() + timedelta(days=1))

    assert (first.retried, waiting.status, waiting.attempts) == (1, OutboxStatus.PENDING, 1)
    assert waiting.last_error.startswith("ConnectionRefusedError")
    assert too_early.sent == 0
    assert (later.sent, again.sent) == (1, 0)
    assert len(smtp_server.received) == 1
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_a_group_leaves_in_order(smtp_server):
    for subject in ("1 REQUEST", "2 REQUEST", "3 CANCEL"):
        outbox_enqueue(message=message(subject), purpose="invite", group="session:abc")
    outbox_enqueue(message=message("other"), purpose="status", group="case:1")

    report = outbox_drain()

    assert report.sent == 4
    subjects = [mail["Subject"] for mail in [r.message for r in smtp_server.received]]
    assert [s for s in subjects if s != "other"] == ["1 REQUEST", "2 REQUEST", "3 CANCEL"]


def test_a_later_message_of_a_group_waits_for_an_earlier_one_that_failed(settings, smtp_server):
    real_port = smtp_server.port
    outbox_enqueue(message=message("REQUEST"), purpose="invite", group="session:abc")
    outbox_enqueue(message=message("CANCEL"), purpose="cancel", group="session:abc")
    settings.EMAIL_PORT = free_port()
    outbox_drain()
    settings.EMAIL_PORT = real_port

    outbox_drain()  # the REQUEST is not due yet, so the CANCEL must not leave either
    assert smtp_server.received == []
    outbox_drain(now=timezone.now() + timedelta(hours=2))

    assert [mail["Subject"] for mail in [r.message for r in smtp_server.received]] == [
        "REQUEST",
        "CANCEL",
    ]


def test_a_claim_left_by_a_dead_worker_is_taken_over(smtp_server):
    outgoing = outbox_enqueue(message=message("Uitnodiging"), purpose="invite")
    OutboxMessage.objects.filter(pk=outgoing.pk).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now() - CLAIM_TIMEOUT * 2
    )

    assert outbox_drain().sent == 1
    assert len(smtp_server.received) == 1


def test_the_message_id_stays_the_same_on_every_attempt(smtp_server):
    outbox_enqueue(message=message("Uitnodiging"), purpose="invite")
    outgoing = OutboxMessage.objects.get()
    outbox_drain()
    OutboxMessage.objects.filter(pk=outgoing.pk).update(status=OutboxStatus.PENDING)
    outbox_drain()

    first, second = [r.message for r in smtp_server.received]
    assert first["Message-ID"] == second["Message-ID"]


def test_the_worker_sends_once_and_stops(smtp_server):
    outbox_enqueue(message=message("Uitnodiging"), purpose="invite")
    out = StringIO()

    call_command("run_worker", "--once", stdout=out)

    assert "1 sent" in out.getvalue()
    assert len(smtp_server.received) == 1


def test_the_development_mailbox_lists_and_shows_mail(client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.EMAIL_BACKEND = "mediation.mail.DevMailboxBackend"
    mail = message("Uitnodiging <b>intake</b>")
    mail.body = "Antwoord via https://tafel.example/rsvp/abc"
    mail.attach("invite.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    outbox_enqueue(message=mail, purpose="invite")
    outbox_drain()

    listing = client.get(reverse("dev_mailbox"), HTTP_ACCEPT_LANGUAGE="en")
    name = next(tmp_path.joinpath("mailbox").glob("*.eml")).name
    shown = client.get(reverse("dev_mailbox_message", args=[name])).content.decode()
    ics = client.get(reverse("dev_mailbox_attachment", args=[name, 0]))

    assert "Uitnodiging &lt;b&gt;intake&lt;/b&gt;" in listing.content.decode()
    assert '<a href="https://tafel.example/rsvp/abc"' in shown
    assert ics.content.startswith(b"BEGIN:VCALENDAR")
    assert client.get(reverse("dev_mailbox_message", args=["..%2Fdb.sqlite3"])).status_code == 404


def test_the_development_mailbox_lists_strictly_newest_first_and_wraps_long_links(
    client, settings, tmp_path
):
    settings.VAR_DIR = tmp_path
    folder = tmp_path / "mailbox"
    folder.mkdir()
    dates = {
        # file names in delivery order; the Date each message carries says otherwise
        "20261201-100000-000001-aaaaaa.eml": "Tue, 01 Dec 2026 09:00:00 +0000",
        "20261201-100000-000002-bbbbbb.eml": "Tue, 01 Dec 2026 11:00:00 +0000",
        "20261201-100000-000003-cccccc.eml": "Tue, 01 Dec 2026 10:00:00 +0000",
    }
    for number, (name, date) in enumerate(dates.items()):
        (folder / name).write_bytes(
            f"To: a@example.org\r\nSubject: Bericht {number}\r\nDate: {date}\r\n\r\n"
            f"https://tafel.example/{'x' * 300}\r\n".encode()
        )

    listing = client.get(reverse("dev_mailbox"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = client.get(reverse("dev_mailbox_message", args=[next(iter(dates))])).content.decode()

    positions = [listing.index(f"Bericht {number}") for number in (1, 2, 0)]
    assert positions == sorted(positions)
    assert 'class="data wrap-long"' in listing
    assert "prewrap wrap-long" in shown
    css = (settings.BASE_DIR / "mediation/static/mediation/tafel.css").read_text()
    assert ".wrap-long, .wrap-long a { overflow-wrap: anywhere;" in css


def test_the_development_mailbox_does_not_exist_in_production(client, settings):
    settings.PRODUCTION = True

    assert client.get(reverse("dev_mailbox")).status_code == 404


def test_a_message_sent_after_a_date_waits_until_then(smtp_server):
    later = timezone.now() + timedelta(days=42)
    outbox_enqueue(message=message("Herinnering nazorg"), purpose="reminder", send_after=later)

    outbox_drain()
    assert smtp_server.received == []
    outbox_drain(now=later + timedelta(seconds=1))

    [mail] = [r.message for r in smtp_server.received]
    assert mail["Subject"] == "Herinnering nazorg"


def test_the_case_page_shows_its_waiting_and_failed_mail_to_its_mediators_only(
    client, settings, smtp_server, assigned, personas
):
    declare_all(assigned, personas)
    settings.EMAIL_PORT = free_port()  # the server is away
    case_transition(case=assigned, name="accept", actor=personas.mediator)
    outbox_drain()
    OutboxMessage.objects.create(
        purpose="invite", case_id=assigned.pk, sealed_message=b"x", status=OutboxStatus.FAILED
    )
    url = reverse("cases:detail", args=[assigned.pk])

    client.force_login(personas.mediator)
    mediator_page = client.get(url).content.decode()
    client.force_login(personas.coordinator)
    referrer_page = client.get(url).content.decode()

    assert "Email from this case" in mediator_page
    assert "Waiting to be sent" in mediator_page and "Could not be sent" in mediator_page
    assert "(next try at" in mediator_page
    assert "Email from this case" not in referrer_page


def test_the_worker_pauses_only_when_the_outbox_is_empty(smtp_server, monkeypatch):
    monkeypatch.setattr(run_worker, "ROUND_LIMIT", 3)
    for number in range(7):
        outbox_enqueue(message=message(f"Bericht {number}"), purpose="notice")
    pauses = []

    def sleep(seconds):
        pauses.append(len(smtp_server.received))
        raise KeyboardInterrupt  # ends the worker, as Ctrl-C does

    monkeypatch.setattr(run_worker.time, "sleep", sleep)
    # Between rounds the worker drops stale connections; here that would be the test's own.
    monkeypatch.setattr(run_worker, "close_old_connections", lambda: None)
    call_command("run_worker", stdout=StringIO())

    # Rounds of 3, 3 and 1: the first pause comes after the short round, with everything sent.
    assert pauses == [7]


def test_withdrawing_a_group_stops_its_waiting_messages_and_leaves_the_rest(smtp_server):
    later = timezone.now() + timedelta(days=3)
    waiting = outbox_enqueue(
        message=message("Nazorg"), purpose="notice", group="follow-up:1", send_after=later
    )
    leaving = outbox_enqueue(message=message("Nazorg 2"), purpose="notice", group="follow-up:1")
    OutboxMessage.objects.filter(pk=leaving.pk).update(status=OutboxStatus.SENDING)
    other = outbox_enqueue(
        message=message("Andere zaak"), purpose="notice", group="follow-up:2", send_after=later
    )

    assert outbox_withdraw(group="follow-up:1") == 1

    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert statuses == {
        waiting.pk: OutboxStatus.WITHDRAWN,
        leaving.pk: OutboxStatus.SENDING,  # claimed by the worker: it is leaving now
        other.pk: OutboxStatus.PENDING,
    }
    outbox_drain(now=later + timedelta(minutes=1))
    assert [r.message["Subject"] for r in smtp_server.received] == ["Andere zaak"]
