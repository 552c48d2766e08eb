"""The mediators' private calendar feed URLs."""

import hashlib
import secrets

from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from scheduling.models import CalendarFeed


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def feed_create(*, user) -> str:
    """Make (or replace) the user's private feed URL; return its secret token, shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        user=user, defaults={"token_hash": feed_token_hash(token)}
    )
    audit_record(action=AuditAction.FEED_CREATED, actor=user, target=user)
    return token


@transaction.atomic
def feed_revoke(*, user) -> None:
    """Make the user's feed URL stop working."""
    deleted, _counts = CalendarFeed.objects.filter(user=user).delete()
    if deleted:
        audit_record(action=AuditAction.FEED_REVOKED, actor=user, target=user)
