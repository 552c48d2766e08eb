"""Reads of the API app: a client by its token, and the referrals a client may read."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from api.models import ApiClient
from cases.models import Case, CaseStatusChange
from cases.permissions import visible_cases


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
