"""The organizer's mailbox, read over IMAP: what people's calendar programs send back.

Every invite names this mailbox as its ORGANIZER, so the Accept, Maybe and Decline buttons of
Outlook, Gmail and Apple Calendar send their answers here (iTIP REPLY, RFC 6047). An app that
understands some incoming mail registers a handler (scheduling: calendar answers); `mediation`
is the lowest layer and knows nothing of sessions.

Each round reads the messages that arrived since the last one (`InboxCursor`) without marking
them seen, and offers each to the handlers in a transaction of its own. A message a handler took
is filed in the done folder, or in the refused folder when the handler refused it (forged or
malformed); a message no handler takes stays in the folder untouched, for a person to read.
"""

import logging
import ssl
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from mediation.models import InboxCursor

logger = logging.getLogger("tafel.inbox")

BATCH = 50  # messages downloaded per FETCH


class Filing(StrEnum):
    DONE = "done"  # handled: the answer was recorded, or was out of date and changes nothing
    REFUSED = "refused"  # forged or malformed: changes nothing, kept apart for a person to see


@dataclass(frozen=True)
class Handled:
    """What a handler did with a message: where it is filed, and in a few words why."""

    filing: Filing
    outcome: str  # for the report and the log, e.g. "answer recorded", "unknown session"


InboxHandler = Callable[[EmailMessage], Handled | None]
_handlers: dict[str, InboxHandler] = {}


def register_inbox_handler(name: str, handler: InboxHandler) -> None:
    """Offer every new message to `handler`; it returns None for mail that is not its own."""
    _handlers[name] = handler


class InboxUnavailable(Exception):
    """The mailbox cannot be read now; the message says why, in one line."""


@dataclass
class InboxReport:
    """What one round did: handled messages by outcome, and how many were left alone."""

    outcomes: Counter[str] = field(default_factory=Counter)
    left: int = 0

    def __str__(self) -> str:
        parts = [f"{count} {outcome}" for outcome, count in sorted(self.outcomes.items())]
        parts.append(f"{self.left} other message(s) left in {settings.TAFEL_IMAP_FOLDER}")
        return "; ".join(parts)


def inbox_configured() -> bool:
    return bool(settings.TAFEL_IMAP_HOST)


def inbox_fetch() -> InboxReport:
    """Read the new messages once, hand them to the handlers and file what they took."""
    if not inbox_configured():
        raise InboxUnavailable("TAFEL_IMAP_HOST is not set: there is no mailbox to read.")
    try:
        with _connection() as client:
            return _read(client)
    except (IMAPClientError, OSError) as exc:  # ssl.SSLError and timeouts are OSErrors
        raise InboxUnavailable(
            f"The mailbox {settings.TAFEL_IMAP_USER} on {settings.TAFEL_IMAP_HOST}:"
            f"{settings.TAFEL_IMAP_PORT} cannot be read: {exc}"
        ) from None


def inbox_round() -> None:
    """The worker's periodic job: a mailbox that is away is logged and tried next time."""
    if not inbox_configured():
        return
    try:
        report = inbox_fetch()
    except InboxUnavailable as exc:
        logger.warning("%s", exc)
        return
    if report.outcomes:
        logger.info("mailbox: %s", report)


@contextmanager
def _connection() -> Iterator[IMAPClient]:
    security = settings.TAFEL_IMAP_SECURITY
    context = ssl.create_default_context()
    client = IMAPClient(
        settings.TAFEL_IMAP_HOST,
        port=settings.TAFEL_IMAP_PORT,
        ssl=security == "tls",
        ssl_context=context,
        timeout=settings.TAFEL_IMAP_TIMEOUT_SECONDS,
    )
    try:
        if security == "starttls":
            client.starttls(context)
        client.login(settings.TAFEL_IMAP_USER, settings.TAFEL_IMAP_PASSWORD)
        yield client
    finally:
        try:
            client.logout()
        except (IMAPClientError, OSError):
            client.shutdown()


def _read(client: IMAPClient) -> InboxReport:
    folder = settings.TAFEL_IMAP_FOLDER
    validity = int(client.select_folder(folder)[b"UIDVALIDITY"])
    cursor = _cursor(f"{settings.TAFEL_IMAP_HOST}/{settings.TAFEL_IMAP_USER}/{folder}", validity)
    # "UID n:*" always answers the newest message, even one below n: filter again.
    found = client.search(["UID", f"{cursor.last_uid + 1}:*"])
    uids = sorted(uid for uid in found if uid > cursor.last_uid)
    report = InboxReport()
    folders = _Folders(client)
    for start in range(0, len(uids), BATCH):
        batch = uids[start : start + BATCH]
        # PEEK: mail for a person stays unread.
        bodies = client.fetch(batch, ["BODY.PEEK[]"])
        for uid in batch:
            raw = bodies.get(uid, {}).get(b"BODY[]")
            if raw is None:
                continue  # deleted by someone else meanwhile
            message = message_from_bytes(raw, policy=policy.default)
            try:
                handled = _offer(message, cursor, uid)
            except _ClaimedElsewhereError:
                continue  # another worker handled it
            if handled is None:
                report.left += 1
                continue
            report.outcomes[handled.outcome] += 1
            folders.file(uid, handled.filing)
    return report


def _cursor(mailbox: str, validity: int) -> InboxCursor:
    cursor, _ = InboxCursor.objects.get_or_create(
        mailbox=mailbox[:300], defaults={"uidvalidity": validity}
    )
    if cursor.uidvalidity != validity:
        # The server renumbered the folder: what is in it now is read again from the start.
        InboxCursor.objects.filter(pk=cursor.pk).update(uidvalidity=validity, last_uid=0)
        cursor.refresh_from_db()
    return cursor


class _ClaimedElsewhereError(Exception):
    pass


def _advance(cursor: InboxCursor, uid: int) -> bool:
    """Move the cursor past `uid`, unless another worker did already."""
    return bool(
        InboxCursor.objects.filter(
            pk=cursor.pk, uidvalidity=cursor.uidvalidity, last_uid__lt=uid
        ).update(last_uid=uid)
    )


def _offer(message: EmailMessage, cursor: InboxCursor, uid: int) -> Handled | None:
    """Offer one message to the handlers: their changes and the cursor commit together, so a
    message is handled exactly once, also with two workers reading the same mailbox."""
    label = _message_label(message)
    try:
        with transaction.atomic():
            handled = next(
                (h for h in (handler(message) for handler in _handlers.values()) if h), None
            )
            if not _advance(cursor, uid):
                raise _ClaimedElsewhereError
    except _ClaimedElsewhereError:
        raise
    except Exception:
        # One message a handler cannot cope with must not stop the mailbox: it stays in the
        # folder for a person, and the log says which one.
        logger.exception("mailbox: message %s could not be handled; it stays in the folder", label)
        _advance(cursor, uid)
        return None
    if handled is not None:
        log = logger.warning if handled.filing == Filing.REFUSED else logger.info
        log("mailbox: message %s: %s", label, handled.outcome)
    return handled


def _message_label(message: EmailMessage) -> str:
    """The Message-ID, for the log: one line, short, never an address or a subject."""
    return repr(" ".join(str(message.get("Message-ID", "")).split())[:200])


class _Folders:
    """Files messages in the done and refused folders, making them the first time."""

    def __init__(self, client: IMAPClient):
        self.client = client
        self.known: set[str] = set()

    def file(self, uid: int, filing: Filing) -> None:
        folder = {
            Filing.DONE: settings.TAFEL_IMAP_DONE_FOLDER,
            Filing.REFUSED: settings.TAFEL_IMAP_REFUSED_FOLDER,
        }[filing]
        if folder not in self.known:
            if not self.client.folder_exists(folder):
                self.client.create_folder(folder)
                self.client.subscribe_folder(folder)  # so that mail programs show it
            self.known.add(folder)
        if self.client.has_capability("MOVE"):
            self.client.move([uid], folder)
            return
        self.client.copy([uid], folder)
        self.client.delete_messages([uid])
        if self.client.has_capability("UIDPLUS"):
            self.client.uid_expunge([uid])
        else:
            self.client.expunge()
