"""Webhooks: a client hears of its referrals' status changes (issue 21, point 3).

A client registers an address (`webhook_create`; the signing secret is shown once). Every step
of a case the client referred is then one event, queued in the step's own transaction in the
HTTP outbox (`mediation.http_outbox`), one group per webhook: the events of a webhook arrive in
the order they happened, one at a time, and a receiver that is down gets them all once it is
back (retries with backoff; nothing is lost meanwhile). An event carries what the client reads
back from `GET referrals/<id>/` (status, dates, outcome; never content), with its own id, so a
receiver that gets an event twice (a retry after a lost answer) can tell.

Each call is signed when it is made, with the webhook's secret (stored only sealed):

    Tafel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>." followed by the body>
    Tafel-Event-Id: <the event's id>     Tafel-Event-Type: referral.status_changed

A receiver computes the HMAC over the raw body it received, compares it in constant time,
refuses a timestamp more than five minutes off (a replay), and keeps the event ids it has
handled. `signature_valid` is that check, for tests and as an example.

A client looks after its webhooks itself: it reads how its events fare (waiting, delivered,
failed for good, the last failure's kind; `api.selectors.client_webhooks`), moves a webhook
to a new address (`webhook_url_change`: the events still waiting go there, since each call
reads the address from the webhook when it is made, not from the stored row), renews its
secret (`webhook_secret_renew`), and queues the events that failed for good again, in their
order and with their ids (`webhook_redeliver`).
"""

import hashlib
import hmac
import json
import secrets
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from api.models import ApiClient, Webhook
from api.serializers import ReferralSerializer
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case
from mediation import crypto
from mediation.http_outbox import CallWithdrawn, HttpCall, http_enqueue
from mediation.keys import system_key
from mediation.models import HttpDelivery, OutboxStatus
from mediation.types import User

SENDER = "api.webhook"
EVENT_STATUS_CHANGED = "referral.status_changed"
SIGNATURE_HEADER = "Tafel-Signature"
EVENT_ID_HEADER = "Tafel-Event-Id"
EVENT_TYPE_HEADER = "Tafel-Event-Type"
# How far a signature's time may be from the receiver's clock (a replay is refused).
TOLERANCE_SECONDS = 300
# The system key the signing secrets are sealed under, and the field they are bound to.
SECRET_KEY_NAME = "webhooks"  # noqa: S105 - a key's name, not a secret
SECRET_FIELD = "secret"  # noqa: S105
SECRET_PREFIX = "whsec_"  # noqa: S105 - marks a signing secret, not one itself


class WebhookProblem(Exception):
    """A webhook that cannot be made or changed, with a message for the client."""


class WebhookStopped(WebhookProblem):
    """The webhook is stopped: it cannot be changed or send again."""


GROUP_PREFIX = "webhook:"


def group_of(webhook: Webhook) -> str:
    """The HTTP outbox group of a webhook's events: in order, one at a time."""
    return f"{GROUP_PREFIX}{webhook.pk}"


def url_problem(url: str) -> str:
    """Why `url` cannot receive events, or "" when it can."""
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return _("Enter a full web address, starting with https://.")
    parts = urlsplit(url)
    if parts.scheme != "https" and not settings.TAFEL_WEBHOOKS_ALLOW_HTTP:
        return _("The address must start with https://: events are sent encrypted only.")
    if parts.username or parts.password:
        return _(
            "The address cannot hold a user name or password; the signature proves "
            "that an event comes from Tafel."
        )
    return ""


def webhook_create(*, client: ApiClient, url: str) -> tuple[Webhook, str]:
    """A new webhook for `client` at `url`, and its signing secret (shown this once)."""
    problem = url_problem(url)
    if problem:
        raise WebhookProblem(problem)
    with transaction.atomic():
        # One at a time per client, so that two calls at once cannot pass the limit together.
        ApiClient.objects.select_for_update().filter(pk=client.pk).first()
        if client.webhooks.filter(active=True).count() >= settings.TAFEL_WEBHOOKS_PER_CLIENT:
            raise WebhookProblem(
                _("A client can have at most %(count)d webhooks; stop one first.")
                % {"count": settings.TAFEL_WEBHOOKS_PER_CLIENT}
            )
        webhook = Webhook.objects.create(client=client, url=url)
        secret = _secret_set(webhook)
        webhook.save(update_fields=["sealed_secret"])
    return webhook, secret


def _secret_set(webhook: Webhook) -> str:
    """Give `webhook` a new signing secret (sealed, not saved yet); return it."""
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    webhook.sealed_secret = crypto.seal(
        system_key(SECRET_KEY_NAME), secret, context=webhook.context(SECRET_FIELD)
    )
    return secret


def _still_active(webhook: Webhook) -> Webhook:
    """The webhook again, locked for this transaction; a stopped one is refused."""
    locked = (
        Webhook.objects.select_for_update(of=("self",))
        .select_related("client__acts_as")
        .get(pk=webhook.pk)
    )
    if not locked.active:
        raise WebhookStopped(
            _("This webhook is stopped: it sends nothing more. Make a new one instead.")
        )
    return locked


def _audit(webhook: Webhook, action: AuditAction, **details: int) -> None:
    """A client's change to its webhook, in the trail as the coordinator it acts as: ids and
    counts only, never the address or the secret."""
    audit_record(
        action=action,
        actor=webhook.client.acts_as,
        target=webhook.client,
        details={"client": webhook.client_id, "webhook": webhook.pk, **details},
    )


@transaction.atomic
def webhook_url_change(*, webhook: Webhook, url: str) -> Webhook:
    """Move an active webhook to `url`, checked as when it is made. The events still waiting
    (and any queued again later) go to the new address: each call reads the webhook's address
    when it is made. The stored rows that have not been delivered are updated too, so the
    administrator's list of calls shows where they will go."""
    problem = url_problem(url)
    if problem:
        raise WebhookProblem(problem)
    webhook = _still_active(webhook)
    if url != webhook.url:
        webhook.url = url
        webhook.save(update_fields=["url"])
        HttpDelivery.objects.filter(
            group=group_of(webhook),
            status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.FAILED],
        ).update(url=url)
        _audit(webhook, AuditAction.WEBHOOK_ADDRESS_CHANGED)
    return webhook


@transaction.atomic
def webhook_secret_renew(*, webhook: Webhook) -> str:
    """A new signing secret for an active webhook, returned this once; the old one stops at
    once, so the events still waiting are signed with the new one."""
    webhook = _still_active(webhook)
    secret = _secret_set(webhook)
    webhook.save(update_fields=["sealed_secret"])
    _audit(webhook, AuditAction.WEBHOOK_SECRET_RENEWED)
    return secret


@transaction.atomic
def webhook_redeliver(*, webhook: Webhook) -> int:
    """Queue the events of an active webhook that failed for good again, with a fresh count of
    tries; return how many. They keep their event ids, and go out in the order they happened:
    the outbox sends a group's calls by their order of queueing, and a later waiting event of
    the webhook waits for them."""
    webhook = _still_active(webhook)
    count = HttpDelivery.objects.filter(group=group_of(webhook), status=OutboxStatus.FAILED).update(
        status=OutboxStatus.PENDING,
        next_attempt_at=timezone.now(),
        attempts=0,
        claimed_at=None,
    )
    _audit(webhook, AuditAction.WEBHOOK_REDELIVERED, events=count)
    return count


def webhook_stop(*, webhook: Webhook) -> Webhook:
    """Stop a webhook: no new events; the ones still waiting are withdrawn when their turn
    comes (`webhook_prepare`)."""
    if webhook.active:
        webhook.active = False
        webhook.stopped_at = timezone.now()
        webhook.save(update_fields=["active", "stopped_at"])
    return webhook


def _secret(webhook: Webhook) -> str:
    return crypto.unseal(
        system_key(SECRET_KEY_NAME),
        bytes(webhook.sealed_secret),
        context=webhook.context(SECRET_FIELD),
    )


def body_bytes(body: Any) -> bytes:
    """The exact bytes an event is sent (and signed) as."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Tafel-Signature` header of `body` sent at `timestamp` (unix seconds)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def signature_valid(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """What a receiver checks: the HMAC of the raw body, and a time within the tolerance."""
    fields = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    try:
        timestamp = int(fields.get("t", ""))
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - timestamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header.strip())


def referral_step_announce(*, case: Case, actor: User) -> None:
    """After every step of a case (a `cases.hooks` after-every-step, in the step's
    transaction): one event for each active webhook of the client that referred it."""
    # One read for the common case, a case no client referred: the case as the event shows
    # it, with its client (None for a form referral).
    shown = (
        Case.objects.select_related("kind", "api_referral__client")
        .filter(pk=case.pk, api_referral__isnull=False)
        .first()
    )
    if shown is None or not shown.api_referral.client.active:
        return
    webhooks = list(shown.api_referral.client.webhooks.filter(active=True))
    if not webhooks:
        return
    change = case.status_changes.order_by("-changed_at", "-id").first()
    body = {
        "id": str(uuid.uuid4()),
        "type": EVENT_STATUS_CHANGED,
        "occurred_at": (change.changed_at if change else timezone.now()).isoformat(),
        "previous_status": change.from_status if change else "",
        "referral": ReferralSerializer(shown).data,
    }
    for webhook in webhooks:
        http_enqueue(
            sender=SENDER,
            purpose=EVENT_STATUS_CHANGED,
            method="POST",
            url=webhook.url,
            body=body,
            group=group_of(webhook),
            case_id=case.pk,
        )


def webhook_prepare(delivery: HttpDelivery) -> HttpCall:
    """The signed call of a stored event, made when it is sent (a fresh timestamp each try)."""
    webhook_id = delivery.group.removeprefix(GROUP_PREFIX)
    webhook = (
        Webhook.objects.select_related("client").filter(pk=int(webhook_id)).first()
        if webhook_id.isdigit()
        else None
    )
    if webhook is None or not webhook.active or not webhook.client.active:
        raise CallWithdrawn("webhook stopped")
    content = body_bytes(delivery.body)
    body = delivery.body if isinstance(delivery.body, dict) else {}
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Tafel-Webhooks/1",
        SIGNATURE_HEADER: signature(_secret(webhook), int(time.time()), content),
        EVENT_ID_HEADER: str(body.get("id", delivery.uid)),
        EVENT_TYPE_HEADER: str(body.get("type", "")),
    }
    # The webhook's address now, not the one stored with the event: a client that moved its
    # webhook gets the events still waiting at the new address.
    return HttpCall(method="POST", url=webhook.url, content=content, headers=headers)
