"""An SMTP outage loses nothing: scheduling succeeds, and every invite arrives exactly once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mediation.models import OutboxMessage, OutboxStatus
from mediation.outbox import outbox_drain
from scheduling.models import Session
from scheduling.services import session_cancel
from tests.scheduling.conftest import JAN
from tests.smtp import SmtpServer, _Handler

pytestmark = pytest.mark.django_db


def test_with_the_mail_server_down_scheduling_succeeds_and_the_invite_arrives_once_later(
    case, schedule, smtp_server, personas
):
    smtp_server.stop()  # the port now refuses connections

    session = schedule(case)
    session_cancel(session=session, actor=personas.mediator)
    first = outbox_drain()

    assert Session.objects.filter(pk=session.pk).exists()
    assert first.sent == 0 and first.retried >= 1
    waiting = OutboxMessage.objects.filter(group=f"session:{session.uid}")
    assert waiting.count() == 8
    assert not waiting.filter(status=OutboxStatus.SENT).exists()

    back = SmtpServer(handler=_Handler(), port=smtp_server.port)
    back.start()
    try:
        later = timezone.now() + timedelta(hours=2)
        outbox_drain(now=later)
        outbox_drain(now=later + timedelta(hours=2))
        outbox_drain(now=later + timedelta(hours=4))
    finally:
        back.stop()

    to_jan = [r for r in back.received if r.rcpt_tos == [JAN]]
    assert [r.calendar()["METHOD"] for r in to_jan] == ["REQUEST", "CANCEL"]
    assert waiting.filter(status=OutboxStatus.SENT).count() == 8
