"""What the two outboxes share (`mediation.outbox` for email, `mediation.http_outbox` for calls
to other systems): how long a claim lasts, how retries back off, and how a worker claims what
is due.

Both tables have `group`, `status` (`OutboxStatus`), `next_attempt_at` and `claimed_at`: a row
is due when it is pending, its time has come, and no earlier row of its group is still unsent.
"""

from datetime import datetime, timedelta
from typing import TypeVar

from django.db import models, transaction
from django.db.models import Exists, OuterRef

from mediation.models import OutboxStatus

MAX_ATTEMPTS = 10
CLAIM_TIMEOUT = timedelta(minutes=10)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)

Row = TypeVar("Row", bound=models.Model)


def backoff(attempts: int) -> timedelta:
    """The wait after `attempts` failed tries: 30 s, doubling, at most an hour."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def claim_due(model: type[Row], *, limit: int, now: datetime) -> list[Row]:
    """Claim up to `limit` due rows of `model`, oldest first (marked as being sent at `now`);
    rows another worker holds are skipped, and a claim older than `CLAIM_TIMEOUT` (its worker
    died) is taken over."""
    manager = model._default_manager
    earlier_unsent = manager.filter(
        group=OuterRef("group"),
        id__lt=OuterRef("id"),
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING],
    ).exclude(group="")
    with transaction.atomic():
        manager.filter(status=OutboxStatus.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT).update(
            status=OutboxStatus.PENDING
        )
        due = list(
            manager.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
            .exclude(Exists(earlier_unsent))
            .order_by("id")[:limit]
        )
        manager.filter(pk__in=[row.pk for row in due]).update(
            status=OutboxStatus.SENDING, claimed_at=now
        )
    return due
