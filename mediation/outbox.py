"""The transactional email outbox.

`outbox_enqueue` stores a message in the caller's transaction, so a message exists exactly when
the change that caused it was committed. `outbox_drain` (run by `manage.py run_worker`) sends
due messages: oldest first, one group (e.g. one session) in order, retrying with backoff when
the mail server is away. A message is claimed before it is sent and marked sent right after;
if the worker dies in between, the message goes out again after the claim expires, with the
same Message-ID, so mail programs can recognise the duplicate.
"""

import contextlib
import email
import email.message
import email.policy
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage, get_connection
from django.core.mail.message import make_msgid, sanitize_address
from django.utils import timezone
from django.utils.functional import cached_property

from mediation import crypto
from mediation.keys import system_key
from mediation.models import OUTBOX_CANNOT_BUILD, OutboxMessage, OutboxStatus
from mediation.queueing import MAX_ATTEMPTS, backoff, claim_due
from mediation.types import User

logger = logging.getLogger(__name__)

OUTBOX_KEY_NAME = "outbox"


def outbox_enqueue(
    *,
    message: EmailMessage,
    purpose: str,
    group: str = "",
    case_id: int | None = None,
    send_after: datetime | None = None,
    recipient: User | None = None,
) -> OutboxMessage:
    """Store `message` (sealed) for the worker; call it inside the change's transaction.

    `send_after` holds the message back until then (e.g. a follow-up reminder). A held-back
    message also holds back the later messages of its group, so give it its own group or none.
    `recipient` is the user a notice is for, so that it can be withdrawn while it waits.
    """
    if "Message-ID" not in message.extra_headers:
        message.extra_headers["Message-ID"] = make_msgid(domain=settings.TAFEL_MAIL_DOMAIN)
    # Every message Tafel sends is made by the system, not typed by a person: out-of-office
    # replies and other automatic answers must not answer it (RFC 3834).
    message.extra_headers.setdefault("Auto-Submitted", "auto-generated")
    outgoing = OutboxMessage(purpose=purpose, group=group, case_id=case_id, recipient=recipient)
    try:
        envelope = {"from": message.from_email, "to": list(message.recipients())}
        # Each address as the mail server will get it: one that cannot be parsed (a line
        # break mended into spaces, two addresses in one) fails now, not at every try.
        for address in [message.from_email, *message.recipients()]:
            sanitize_address(address, message.encoding or settings.DEFAULT_CHARSET)
        # Django 5.2's message() is a SafeMIMEText or SafeMIMEMultipart, whose as_bytes takes
        # `linesep` (django-stubs is pinned to 5.2, which knows it).
        raw = message.message().as_bytes(linesep="\r\n")
    except (BadHeaderError, ValueError, UnicodeError) as exc:
        # A message that cannot be built (a line break in a stored address or subject, from
        # before addresses were checked) must not stop the change that caused it (issue 17):
        # it is stored as failed, empty, and shows so on the case page.
        logger.warning(
            "outbox: a %s message could not be built (%s); stored as failed",
            purpose,
            type(exc).__name__,
        )
        envelope, raw = {"from": "", "to": []}, b""
        outgoing.status = OutboxStatus.FAILED
        outgoing.last_error = f"{OUTBOX_CANNOT_BUILD} {type(exc).__name__}"[:200]
    # The envelope first, then the message itself.
    payload = json.dumps(envelope, ensure_ascii=True).encode("ascii") + b"\r\n\r\n" + raw
    if send_after is not None:
        outgoing.next_attempt_at = send_after
    outgoing.sealed_message = crypto.seal_bytes(
        system_key(OUTBOX_KEY_NAME), payload, context=outgoing.context()
    )
    outgoing.save()
    return outgoing


class _RawMessage:
    """A stored message that Django's mail backends can send as it is."""

    def __init__(self, raw: bytes):
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return linesep.encode().join(self.raw.replace(b"\r\n", b"\n").split(b"\n"))

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8", "replace")


class StoredEmail(EmailMessage):
    """An outbox message, opened: sends its stored bytes unchanged.

    Its subject and text are read from the bytes only when asked for (the mediators' view, the
    locmem backend): sending needs neither, and parsing an invite with its calendar costs more
    than sending it.
    """

    def __init__(self, raw: bytes, *, from_email: str, to: list[str]):
        self.raw = raw
        self._subject: str | None = None
        self._body: str | None = None
        super().__init__(from_email=from_email, to=to)

    @cached_property
    def parsed(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    # EmailMessage.__init__ sets an empty subject and body: empty means "the stored one".
    @property
    def subject(self) -> str:
        if self._subject is not None:
            return self._subject
        return str(self.parsed.get("Subject", ""))

    @subject.setter
    def subject(self, value: str) -> None:
        self._subject = value or None

    @property
    def body(self) -> str:
        if self._body is not None:
            return self._body
        text = self.parsed.get_body(preferencelist=("plain",))
        return text.get_content() if text is not None else ""

    @body.setter
    def body(self, value: str) -> None:
        self._body = value or None

    def message(self, *args, **kwargs):
        return _RawMessage(self.raw)


def outbox_open(outgoing: OutboxMessage, *, key: bytes | None = None) -> StoredEmail:
    """The stored message of `outgoing`, opened (for sending, or the mediators' view).

    `key` is the outbox key, when the caller opens many messages and fetched it once.
    """
    key = key or system_key(OUTBOX_KEY_NAME)
    payload = crypto.unseal_bytes(key, outgoing.sealed_message, context=outgoing.context())
    head, raw = payload.split(b"\r\n\r\n", 1)
    envelope = json.loads(head)
    return StoredEmail(raw, from_email=envelope["from"], to=envelope["to"])


@dataclass
class DrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _close_quietly(connection) -> None:
    # After a failure the connection may be half gone: close what is left, and open a new one
    # for the next message.
    with contextlib.suppress(Exception):  # the failure itself is recorded with the message
        connection.close()


def _send_one(connection, outgoing: OutboxMessage, keys: dict, now, report: DrainReport) -> None:
    try:
        # The outbox key once per drain, fetched here so that a failure to open it is recorded
        # with the message, as any other failure to send it.
        if OUTBOX_KEY_NAME not in keys:
            keys[OUTBOX_KEY_NAME] = system_key(OUTBOX_KEY_NAME)
        stored = outbox_open(outgoing, key=keys[OUTBOX_KEY_NAME])
        # One connection for the whole drain: opened by the first message, reopened after a
        # failure (backends without connections do nothing here).
        connection.open()
        if not connection.send_messages([stored]):
            raise OSError("the mail backend did not accept the message")
    except Exception as exc:
        _close_quietly(connection)
        outgoing.attempts += 1
        # The error's type and SMTP code only: its text may hold an address.
        outgoing.last_error = f"{type(exc).__name__} {getattr(exc, 'smtp_code', '')}"[:200]
        if outgoing.attempts >= MAX_ATTEMPTS:
            outgoing.status = OutboxStatus.FAILED
            report.failed += 1
        else:
            outgoing.status = OutboxStatus.PENDING
            outgoing.next_attempt_at = now + backoff(outgoing.attempts)
            report.retried += 1
        outgoing.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return
    OutboxMessage.objects.filter(pk=outgoing.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), claimed_at=None
    )
    report.sent += 1


def outbox_drain(*, limit: int = 100, now=None) -> DrainReport:
    """Send the messages that are due; a mail server that is away means a later retry.

    All of them over one connection to the mail server, not one each.
    """
    now = now or timezone.now()
    report = DrainReport()
    connection = get_connection()
    keys: dict[str, bytes] = {}
    try:
        # Claim again after each round: a sent message may free the next one of its group.
        while (handled := report.sent + report.retried + report.failed) < limit:
            due = claim_due(OutboxMessage, limit=limit - handled, now=now)
            if not due:
                break
            for outgoing in due:
                _send_one(connection, outgoing, keys, now, report)
    finally:
        _close_quietly(connection)
    return report


def outbox_retry(*, message: OutboxMessage) -> bool:
    """Put a message that failed for good back in the queue, to be sent at once, with a fresh
    count of tries; False when it had not failed (sent, or still trying)."""
    return bool(
        OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.FAILED)
        .exclude(last_error__startswith=OUTBOX_CANNOT_BUILD)
        .update(status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), attempts=0)
    )


def outbox_withdraw(
    *,
    group: str | None = None,
    recipient: User | None = None,
    purposes: Iterable[str] | None = None,
) -> int:
    """Withdraw the messages still waiting that match every filter given (e.g. a follow-up's
    group; one user's notices of the kinds they turned off); call it in the change's
    transaction. Returns how many were withdrawn.

    A message already claimed by the worker is left alone: it is leaving now.
    """
    waiting = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    if group is None and recipient is None and purposes is None:
        raise ValueError("outbox_withdraw needs a group, a recipient or purposes")
    if group is not None:
        waiting = waiting.filter(group=group)
    if recipient is not None:
        waiting = waiting.filter(recipient=recipient)
    if purposes is not None:
        waiting = waiting.filter(purpose__in=list(purposes))
    return waiting.update(status=OutboxStatus.WITHDRAWN)


def outbox_for_case(*, case_id: int, limit: int = 20):
    """The case's latest outgoing messages (no contents: purpose, status, times, tries)."""
    return (
        OutboxMessage.objects.filter(case_id=case_id)
        .defer("sealed_message")
        .order_by("-id")[:limit]
    )


def outbox_forget(*, case_id: int) -> int:
    """Delete every stored message about a case, sent or not (its dossier is destroyed: the
    sealed emails hold names, places and times). Returns how many went."""
    count, _ = OutboxMessage.objects.filter(case_id=case_id).delete()
    return count
