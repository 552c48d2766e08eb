"""The outbox for HTTP calls to other systems (a municipality's Zaken API; later, webhooks).

The same promises as the email outbox (`mediation.outbox`):

- `http_enqueue` stores a call in the caller's transaction, so a call exists exactly when the
  change that caused it was committed.
- `http_outbox_drain` (a periodic job of `run_worker`) makes the calls that are due: oldest
  first, the calls of one group (e.g. one case) strictly in order, one at a time; a receiver
  that is down, slow or answers 5xx, 429 (or 401/403: credentials being put right) means a
  retry with exponential backoff, up to `MAX_ATTEMPTS`, honouring a `Retry-After`; nothing is
  lost meanwhile. A call the receiver refuses (400, 404, 409, 422...) fails at once: the same
  call would get the same answer.
- A call is claimed before it is made and marked delivered right after; if the worker dies in
  between, the call is made again after `CLAIM_TIMEOUT`, with the same event id (`uid`), so a
  receiver can recognise the repeat.

A row holds no credentials: each app registers a sender (`register_http_sender`) that turns
the stored call into the request when it is made (a fresh token or signature; a URL that an
earlier call of the group returned) and hears the answer (`delivered`). `mediation` is the
lowest layer and knows nothing of zaken or webhooks.

The client is `requests`: synchronous like the worker, with separate connect and read
timeouts, and one `Session` per drain so that calls to one host reuse the connection.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import requests
from django.db import transaction
from django.utils import timezone

from mediation.models import HttpDelivery, OutboxStatus
from mediation.queueing import LONGEST_RETRY, MAX_ATTEMPTS, backoff, claim_due

logger = logging.getLogger(__name__)

# A round claims few calls: each may wait for its timeouts, and the whole round must end well
# within the claim timeout, or another worker would take the calls over while they are made.
CLAIM_BATCH = 10
TIMEOUTS = (5.0, 20.0)  # seconds to connect, seconds to wait for the answer
# How `last_error` starts for a call its sender could not make (e.g. no configuration).
CANNOT_PREPARE = "cannot-prepare"
# Answers worth trying again: the receiver is busy, down or behind a gateway that is.
RETRY_STATUSES = frozenset({401, 403, 408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class HttpCall:
    """The request a sender makes of a stored call, at the moment it is sent."""

    method: str
    url: str
    body: Any = None  # sent as JSON
    headers: dict[str, str] = field(default_factory=dict)
    # Or the exact bytes to send, instead of `body` (e.g. what a signature was made over).
    content: bytes | None = None


class CallCannotBeMade(Exception):
    """The sender cannot make this call (its configuration is gone, an earlier call of the
    group failed for good): it fails at once. The message is a short code, never content."""


class CallWithdrawn(Exception):
    """The call is no longer needed (e.g. what it would remove was never made): it is marked
    withdrawn and the group goes on."""


class Prepare(Protocol):
    def __call__(self, delivery: HttpDelivery) -> HttpCall: ...


class Delivered(Protocol):
    """Hears the receiver's answer to a delivered call, in the transaction that marks it
    delivered (e.g. remember the URL of the zaak the receiver made)."""

    def __call__(self, delivery: HttpDelivery, answer: Any) -> object: ...


@dataclass(frozen=True)
class HttpSender:
    prepare: Prepare
    delivered: Delivered | None = None


_senders: dict[str, HttpSender] = {}


def register_http_sender(name: str, prepare: Prepare, delivered: Delivered | None = None) -> None:
    """Calls queued with `sender=name` are made by `prepare(delivery)`; `delivered(delivery,
    answer)` hears the answer (the JSON, or None). A second registration replaces the first."""
    _senders[name] = HttpSender(prepare, delivered)


def http_enqueue(
    *,
    sender: str,
    purpose: str,
    method: str,
    url: str,
    body: Any = None,
    group: str = "",
    case_id: int | None = None,
) -> HttpDelivery:
    """Store a call for the worker; call it inside the change's transaction.

    `group` keeps calls in order (a later call of the group waits until the earlier ones
    were delivered or failed for good).
    """
    if sender not in _senders:
        raise ValueError(f"no HTTP sender is registered as {sender!r}")
    return HttpDelivery.objects.create(
        sender=sender,
        purpose=purpose,
        method=method.upper(),
        url=url,
        body=body,
        group=group,
        case_id=case_id,
    )


@dataclass
class HttpDrainReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    withdrawn: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.withdrawn


def _retry_after(response: requests.Response | None, now: datetime) -> timedelta | None:
    """The wait a 429 or 503 asks for (seconds or an HTTP date), at most LONGEST_RETRY."""
    value = response.headers.get("Retry-After", "") if response is not None else ""
    if not value:
        return None
    try:
        wait = timedelta(seconds=int(value))
    except ValueError:
        try:
            wait = parsedate_to_datetime(value) - now
        except (TypeError, ValueError):
            return None
    return min(max(wait, timedelta(0)), LONGEST_RETRY)


def _answer(response: requests.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def _delivered(sender: HttpSender, delivery: HttpDelivery, response: requests.Response) -> None:
    """Mark the call delivered, with what its sender keeps of the answer, in one transaction.

    The receiver acted on the call: it is never made again, even when its sender cannot use
    the answer (the error's kind is kept, for the administrator).
    """
    error = ""
    with transaction.atomic():
        if sender.delivered is not None:
            try:
                with transaction.atomic():
                    sender.delivered(delivery, _answer(response))
            except Exception as exc:
                logger.warning("http outbox: the answer to %s was not understood", delivery.uid)
                error = f"answer-not-understood {type(exc).__name__}"
        HttpDelivery.objects.filter(pk=delivery.pk).update(
            status=OutboxStatus.SENT,
            sent_at=timezone.now(),
            last_attempt_at=timezone.now(),
            claimed_at=None,
            response_status=response.status_code,
            last_error=error[:200],
        )


def _fail(delivery: HttpDelivery, error: str, report: HttpDrainReport) -> None:
    delivery.status = OutboxStatus.FAILED
    delivery.last_error = error[:200]
    delivery.claimed_at = None
    delivery.last_attempt_at = timezone.now()
    delivery.save(
        update_fields=["status", "last_error", "claimed_at", "response_status", "last_attempt_at"]
    )
    report.failed += 1


def _send_one(
    session: requests.Session, delivery: HttpDelivery, now: datetime, report: HttpDrainReport
) -> None:
    sender = _senders.get(delivery.sender)
    try:
        if sender is None:
            raise CallCannotBeMade(f"no sender {delivery.sender}")
        call = sender.prepare(delivery)
    except CallCannotBeMade as exc:
        _fail(delivery, f"{CANNOT_PREPARE} {exc}", report)
        return
    except CallWithdrawn as exc:
        HttpDelivery.objects.filter(pk=delivery.pk).update(
            status=OutboxStatus.WITHDRAWN, claimed_at=None, last_error=str(exc)[:200]
        )
        report.withdrawn += 1
        return
    except Exception as exc:
        # E.g. the sealed secret cannot be opened until the master keys are put right.
        logger.warning("http outbox: %s could not be prepared", delivery.uid, exc_info=False)
        _try_again(delivery, type(exc).__name__, None, now, report)
        return
    response: requests.Response | None = None
    try:
        response = session.request(
            call.method,
            call.url,
            json=call.body if call.content is None else None,
            data=call.content,
            headers=call.headers,
            timeout=TIMEOUTS,
            allow_redirects=False,
        )
    except requests.RequestException as exc:
        # The kind of error only: its text may hold the address with a query string.
        error = type(exc).__name__
    else:
        delivery.response_status = response.status_code
        if 200 <= response.status_code < 300:
            _delivered(sender, delivery, response)
            report.sent += 1
            return
        error = f"HTTP {response.status_code}"
        if response.status_code not in RETRY_STATUSES:
            # The receiver refused the call itself (400, 404, 409...): the same call again
            # gets the same answer. An administrator may queue it again once it is put right.
            _fail(delivery, error, report)
            return
    _try_again(delivery, error, response, now, report)


def _try_again(
    delivery: HttpDelivery,
    error: str,
    response: requests.Response | None,
    now: datetime,
    report: HttpDrainReport,
) -> None:
    delivery.attempts += 1
    delivery.last_error = error[:200]
    delivery.claimed_at = None
    delivery.last_attempt_at = timezone.now()
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = OutboxStatus.FAILED
        report.failed += 1
    else:
        delivery.status = OutboxStatus.PENDING
        delivery.next_attempt_at = now + (_retry_after(response, now) or backoff(delivery.attempts))
        report.retried += 1
    delivery.save(
        update_fields=[
            "attempts",
            "last_error",
            "status",
            "next_attempt_at",
            "claimed_at",
            "response_status",
            "last_attempt_at",
        ]
    )
    logger.info(
        "http outbox: %s %s to retry or given up (%s)", delivery.purpose, delivery.uid, error
    )


def http_outbox_drain(*, limit: int = 100, now: datetime | None = None) -> HttpDrainReport:
    """Make the calls that are due; a receiver that is away means a later retry."""
    started = timezone.now()
    now = now or started
    report = HttpDrainReport()
    with requests.Session() as session:
        # Claim again after each round: a delivered call may free the next one of its group.
        while report.handled < limit:
            # The drain's clock moves on with the time its calls take, so a late batch's
            # claim is not taken for one that a dead worker left behind.
            clock = now + (timezone.now() - started)
            due = claim_due(HttpDelivery, limit=min(CLAIM_BATCH, limit - report.handled), now=clock)
            if not due:
                break
            for delivery in due:
                _send_one(session, delivery, clock, report)
    return report


def http_outbox_retry(*, delivery: HttpDelivery) -> bool:
    """Queue a call that failed for good again, at once, with a fresh count of tries; False
    when it had not failed."""
    return bool(
        HttpDelivery.objects.filter(pk=delivery.pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING, next_attempt_at=timezone.now(), attempts=0
        )
    )


def http_outbox_forget(*, case_id: int) -> int:
    """Delete every stored call about a case (its dossier is destroyed). Returns how many."""
    count, _ = HttpDelivery.objects.filter(case_id=case_id).delete()
    return count


def http_outbox_job() -> None:
    """The worker's job (registered in `MediationConfig.ready()`): drain, and say what went."""
    report = http_outbox_drain()
    if report.handled:
        logger.info(
            "http outbox: %s delivered, %s to retry, %s given up",
            report.sent,
            report.retried,
            report.failed,
        )
