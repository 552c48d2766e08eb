"""Reads of the API app: a client by its token, the referrals a client may read, and its
webhooks with how their events fare."""

from datetime import date

from django.db.models import (
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat

from api.models import ApiClient, Webhook
from api.webhooks import GROUP_PREFIX
from cases.models import Case, CaseStatusChange
from cases.permissions import visible_cases
from mediation.models import HttpDelivery, OutboxStatus

WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


def api_client_for_token(token_hash: str) -> ApiClient | None:
    """The client whose token has this hash, with the coordinator it acts as; one query."""
    return ApiClient.objects.select_related("acts_as").filter(token_hash=token_hash).first()


def client_referrals(
    *,
    client: ApiClient,
    statuses: list[str] | None = None,
    outcomes: list[str] | None = None,
    referred_from: date | None = None,
    referred_until: date | None = None,
) -> QuerySet[Case]:
    """The cases this client referred that its coordinator may still see, filtered.

    Two rules, both in the database: the client's own referrals (never another client's, even
    of the same coordinator or organisation), and the coordinator's own view of cases
    (`visible_cases`, the rule of the web interface). The status history comes along in one
    query more, whatever the number of cases.
    """
    cases = visible_cases(client.acts_as).filter(api_referral__client=client)
    if statuses:
        cases = cases.filter(status__in=statuses)
    if outcomes:
        cases = cases.filter(outcome__in=outcomes)
    if referred_from:
        cases = cases.filter(referred_on__gte=referred_from)
    if referred_until:
        cases = cases.filter(referred_on__lte=referred_until)
    history = CaseStatusChange.objects.only("case_id", "to_status", "changed_at").order_by(
        "changed_at", "id"
    )
    return cases.select_related("kind", "api_referral").prefetch_related(
        Prefetch("status_changes", queryset=history)
    )


def _events(statuses: tuple[str, ...]) -> QuerySet[HttpDelivery]:
    """The outer webhook's events in these statuses (its HTTP outbox group)."""
    group = Concat(Value(GROUP_PREFIX), Cast(OuterRef("pk"), output_field=CharField()))
    return HttpDelivery.objects.filter(group=group, status__in=statuses).order_by()


def _count(statuses: tuple[str, ...]) -> Coalesce:
    counted = _events(statuses).values("group").annotate(count=Count("pk")).values("count")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def client_webhooks(*, client: ApiClient) -> QuerySet[Webhook]:
    """This client's webhooks, each with how its events fare, in one query for any number.

    `events_waiting` (queued or being retried), `events_delivered`, `events_failed` (failed for
    good: tried `MAX_ATTEMPTS` times, or refused by the receiver), `last_delivered_at`, and the
    last failed try of an event not delivered since: `last_failure_at`, `last_failure_error`
    (the kind of error or "HTTP <status>", never the receiver's answer) and
    `last_failure_status` (the HTTP status, when there was an answer).
    """
    failures = _events((*WAITING, OutboxStatus.FAILED)).exclude(last_error="")
    failures = failures.order_by(F("last_attempt_at").desc(nulls_last=True), "-id")
    delivered = _events((OutboxStatus.SENT,)).order_by("-sent_at", "-id")
    return client.webhooks.order_by("id").annotate(
        events_waiting=_count(WAITING),
        events_delivered=_count((OutboxStatus.SENT,)),
        events_failed=_count((OutboxStatus.FAILED,)),
        last_delivered_at=Subquery(delivered.values("sent_at")[:1]),
        last_failure_at=Subquery(failures.values("last_attempt_at")[:1]),
        last_failure_error=Subquery(failures.values("last_error")[:1]),
    )
