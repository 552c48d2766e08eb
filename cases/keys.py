"""A case's data key: notes and the agreement are sealed under it.

The key itself is a `mediation.DataKey` (one table for every data key); this module gives a
case its key, opens it for the apps that seal under it (cases' notes, agreements), destroys
it (crypto-shredding) and runs the audited master-key rotation.
"""

from collections.abc import Callable
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case
from cases.permissions import is_supervisor
from mediation import keys
from mediation.crypto import CannotOpen
from mediation.models import DataKey, KeyPurpose
from mediation.types import User


def case_key_create(case: Case) -> DataKey:
    """Give a new case its own data key, wrapped under the primary master key."""
    if case.key is None:
        case.key = keys.data_key_create(KeyPurpose.CASE)
        Case.objects.filter(pk=case.pk).update(key=case.key)
    return case.key


def case_data_key(case: Case, *, create: bool = False) -> bytes:
    """The case's data key, opened; `CannotOpen` when it is missing, destroyed or unreadable.

    Only writing creates one (`create=True`): a read never makes up a new key.
    """
    if case.key is None:
        if not create:
            raise CannotOpen("the case has no data key")
        case_key_create(case)
    return keys.data_key_open(case.key)


@transaction.atomic
def case_data_key_or_none(case: Case) -> bytes | None:
    """The case's data key for showing what is sealed under it (a document's name, a letter),
    or None when it cannot be opened: the page then says so instead of failing."""
    try:
        return case_data_key(case)
    except CannotOpen:
        return None


def case_key_destroy(*, case: Case, actor: User | None, reason: str) -> None:
    """Destroy the case's data key: every note of the case becomes unreadable for good.

    For retention and erasure: a supervisor, or the system (`actor=None`, from a command).
    """
    if actor is not None and not is_supervisor(actor):
        raise PermissionDenied
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.key is None:
        locked.key = case_key_create(locked)
    keys.data_key_destroy(locked.key)
    case.key = locked.key
    audit_record(
        action=AuditAction.CASE_KEY_DESTROYED,
        actor=actor,
        target=case,
        case_id=case.pk,
        details={"reason": reason[:200]},
    )


def key_destroyed_at(case: Case) -> datetime | None:
    return case.key.destroyed_at if case.key is not None else None


def master_keys_rotate(
    *,
    batch_size: int = keys.ROTATION_BATCH,
    progress: Callable[[keys.RotationReport], None] | None = None,
) -> keys.RotationReport:
    """Re-wrap every data key under the primary master key (`mediation.keys.keys_rotate`),
    and record the rotation in the audit trail."""
    report = keys.keys_rotate(batch_size=batch_size, progress=progress)
    audit_record(
        action=AuditAction.KEYS_ROTATED,
        actor=None,
        details={
            "primary": report.primary_id,
            "rewrapped": report.rewrapped,
            "failed": len(report.failed),
        },
    )
    return report
