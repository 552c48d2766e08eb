"""Writing to the audit trail. `audit_record` is the only way in."""

import json
from enum import Enum
from typing import Any, Literal

from django.db import connections, models, router, transaction
from django.utils import timezone

from audit import hooks
from audit.chain import event_hash
from audit.context import current_client_address, normalised_address
from audit.models import GENESIS_HASH, AuditAction, AuditEvent
from mediation.types import User

# Key of the PostgreSQL advisory lock that serialises appends.
AUDIT_LOCK_KEY = int.from_bytes(b"TAFELAUD", "big")
DETAILS_MAX_BYTES = 4096


class _Unset(Enum):
    """The default of `client_address`: the address of the request being handled."""

    UNSET = "unset"


_UNSET = _Unset.UNSET


class AuditDetailsError(ValueError):
    """`details` holds a value that cannot be hashed reliably, or is too large."""


def _check_details(value: object, path: str = "details") -> None:
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str) and "\x00" in value:
            raise AuditDetailsError(f"{path} holds a NUL character")
        return
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_details(item, f"{path}[{index}]")
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise AuditDetailsError(f"{path} has a key that is not text: {key!r}")
            _check_details(item, f"{path}.{key}")
        return
    raise AuditDetailsError(f"{path} holds a {type(value).__name__}; use text or whole numbers")


def _lock_chain(using: str) -> None:
    """Serialise appends so that two writers never take the same predecessor."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        # Held until the surrounding transaction ends, so the event and the change it records
        # commit together and the next writer sees this event as the head.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [AUDIT_LOCK_KEY])
    # SQLite: transactions begin IMMEDIATE (see settings), so this connection already holds the
    # database's single write lock. The unique constraints on sequence and prev_hash refuse a
    # fork on any database.


def audit_record(
    *,
    action: AuditAction,
    actor: User | None,
    target: models.Model | None = None,
    case_id: int | None = None,
    details: dict[str, Any] | None = None,
    actor_label: str = "",
    client_address: str | Literal[_Unset.UNSET] | None = _UNSET,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction, and return it.

    `details` must not hold plaintext notes or other secrets. `client_address` defaults to
    the address of the request being handled. `actor_label` names an actor that has no user
    (for example the user name typed at a failed login); it defaults to the user's name, or
    'system' when there is no actor.
    """
    details = dict(details or {})
    _check_details(details)
    if len(json.dumps(details, ensure_ascii=False).encode()) > DETAILS_MAX_BYTES:
        raise AuditDetailsError(f"details are larger than {DETAILS_MAX_BYTES} bytes")
    client_address = (
        current_client_address() if client_address is _UNSET else normalised_address(client_address)
    )
    label = actor.get_username() if actor is not None else (actor_label or "system")
    fields = {
        "actor_id": actor.pk if actor is not None else None,
        "actor_label": label[:150],
        "action": AuditAction(action).value,
        "target_type": target._meta.label_lower if target is not None else "",
        "target_id": str(target.pk) if target is not None else "",
        "case_id": case_id,
        "client_address": client_address,
        "details": details,
    }
    using = router.db_for_write(AuditEvent)
    with transaction.atomic(using=using):
        _lock_chain(using)
        head = (
            AuditEvent.objects.using(using)
            .order_by("-sequence")
            .values_list("sequence", "hash")
            .first()
        )
        sequence, prev_hash = (head[0] + 1, head[1]) if head else (1, GENESIS_HASH)
        # Read the clock under the lock, so that times rise with the sequence.
        occurred_at = timezone.now()
        event = AuditEvent(
            sequence=sequence, occurred_at=occurred_at, prev_hash=prev_hash, **fields
        )
        event.hash = event_hash(event.chain_values())
        event.save(force_insert=True, using=using)
        if case_id is not None:
            hooks.run_case_event(case_id, event.action, occurred_at)
        return event
