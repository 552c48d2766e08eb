"""Refusals made visible in the audit trail (issue 17): refused lifecycle steps, and case
pages a signed-in user asked for but may not see.

A supervisor reads probing in the trail: someone posting steps they may not take, or walking
through case numbers. Both are recorded outside the refused change's transaction (which rolled
back), without the case's id in the `case_id` column: a refusal is not an activity of the case,
and a case someone may not see must not gain an entry in its own trail through them. The id
asked for is in the details.

Case pages not found are throttled, so one user cannot flood the trail:

- the first `TAFEL_NOT_FOUND_AUDIT_LIMIT` (default 5) of a user in a clock hour are each an
  event `case.not_found`, with the path and the case id asked for;
- the next one is one event `case.not_found_count` (`{"hour": ..., "count": N, "final":
  false}`): "more than the limit this hour, the total follows";
- the rest of that hour are only counted, in the cache (`TAFEL_CACHE_URL`), and the total
  for the hour is one more `case.not_found_count` (`"final": true`), written with the user's
  first case page not found in a later hour.

So a flood leaves at most two count events per user per hour beside the first five. The
count lives in the cache: with a per-process cache (the default) each process counts its own
share, and a cache that is emptied loses at most a total, never the first events.
"""

from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from audit.models import AuditAction, AuditEvent
from audit.services import audit_record
from cases.models import Case
from mediation.types import User

# Why a step was refused, as the details name it.
REFUSAL_KINDS = ("unreadable", "stale", "not_allowed", "guard")


def case_step_refused_record(
    *, case: Case, actor: User, name: str, refusal: str, status: str
) -> AuditEvent:
    """Record that `actor` asked for step `name` on `case` and was refused (and why)."""
    if refusal not in REFUSAL_KINDS:
        raise ValueError(f"unknown refusal {refusal!r}")
    printable = "".join(char for char in str(name)[:64] if char.isprintable())
    with transaction.atomic():
        return audit_record(
            action=AuditAction.STEP_REFUSED,
            actor=actor,
            target=case,
            details={"transition": printable, "refusal": refusal, "status": status},
        )


def _hour(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:00Z")


def _count_key(user_pk: int, hour: str) -> str:
    return f"tafel:case-not-found:{user_pk}:{hour}"


def _pending_key(user_pk: int) -> str:
    return f"tafel:case-not-found:{user_pk}:pending"


def case_not_found_record(*, user: User, path: str, case_id: int | str | None) -> None:
    """Record that signed-in `user` got a 404 on a case page, throttled as the module says."""
    limit = settings.TAFEL_NOT_FOUND_AUDIT_LIMIT
    hour = _hour(timezone.now())
    key = _count_key(user.pk, hour)
    cache.add(key, 0, timeout=26 * 60 * 60)
    count = cache.incr(key)
    pending = cache.get(_pending_key(user.pk))
    with transaction.atomic():
        if pending and pending != hour and cache.delete(_pending_key(user.pk)):
            audit_record(
                action=AuditAction.CASE_NOT_FOUND_COUNT,
                actor=user,
                details={
                    "hour": pending,
                    "count": int(cache.get(_count_key(user.pk, pending)) or 0),
                    "final": True,
                },
            )
        if count <= limit:
            audit_record(
                action=AuditAction.CASE_NOT_FOUND,
                actor=user,
                details={
                    "path": "".join(char for char in path[:200] if char.isprintable()),
                    "case": str(case_id)[:20] if case_id is not None else "",
                },
            )
        elif count == limit + 1:
            cache.set(_pending_key(user.pk), hour, timeout=26 * 60 * 60)
            audit_record(
                action=AuditAction.CASE_NOT_FOUND_COUNT,
                actor=user,
                details={"hour": hour, "count": count, "final": False},
            )
