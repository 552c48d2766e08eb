"""Data keys: made, opened and destroyed here, and re-wrapped when master keys rotate.

Every data key lives in one table (`DataKey`): a case's, a party's and the system keys (the
blind-index key, the outbox key). Cases and parties point at theirs; this module never needs
to know whose a key is, so `mediation` imports no app above it. `crypto` does the cipher work.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeAlias, cast

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper, Q
from django.utils import timezone

from mediation import crypto
from mediation.models import DataKey, KeyPurpose

ROTATION_BATCH = 5000
INDEX_KEY_NAME = "blind-index"
# A key to re-wrap: (pk, wrapped, id of the master key that wraps it). PostgreSQL drivers may
# give the wrapped bytes as a memoryview.
StaleKey: TypeAlias = tuple[int, bytes | memoryview, str]


def data_key_create(purpose: KeyPurpose) -> DataKey:
    """A new random data key, wrapped under the primary master key, saved."""
    wrapped, key_id = crypto.data_key_new()
    return DataKey.objects.create(purpose=purpose, wrapped=wrapped, master_key_id=key_id)


def data_key_open(key: DataKey | None) -> bytes:
    """The data key itself; `crypto.CannotOpen` when it is missing, destroyed or no
    configured master key opens it."""
    if key is None or key.wrapped is None:
        raise crypto.CannotOpen("the data key is missing or destroyed")
    return crypto.data_key_unwrap(bytes(key.wrapped))


def data_key_destroy(key: DataKey) -> None:
    """Crypto-shred: forget the wrapped key for good (retention, erasure)."""
    DataKey.objects.filter(pk=key.pk).update(wrapped=None, destroyed_at=timezone.now())
    key.refresh_from_db(fields=["wrapped", "destroyed_at"])


@lru_cache(maxsize=8)
def _unwrapped_system_key(wrapped: bytes, keys: tuple[str, ...]) -> bytes:
    # Keyed by the configured master keys too: a rotation or a changed key set opens afresh.
    return crypto.data_key_unwrap(wrapped)


def system_key(name: str) -> bytes:
    """A system-wide random key (the blind index, the outbox), created on first use.

    Stored only wrapped and re-wrapped by rotate_keys like every data key, so rotating master
    keys never changes it.
    """
    secret = DataKey.objects.filter(name=name).first()
    if secret is None:
        wrapped, key_id = crypto.data_key_new()
        secret, _created = DataKey.objects.get_or_create(
            name=name,
            defaults={"purpose": KeyPurpose.SYSTEM, "wrapped": wrapped, "master_key_id": key_id},
        )
    if secret.wrapped is None:
        raise crypto.CannotOpen(f"the {name} key was destroyed")
    return _unwrapped_system_key(bytes(secret.wrapped), crypto.configured_keys())


def blind_index(value: str) -> str:
    """HMAC-SHA256 of `value` under the index key: equal values give equal indexes."""
    if not value:
        return ""
    key = system_key(INDEX_KEY_NAME)
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass
class RotationReport:
    primary_id: str
    rewrapped: int = 0
    failed: list[str] = field(default_factory=list)


def keys_rotate(
    *, batch_size: int = ROTATION_BATCH, progress: Callable[[RotationReport], None] | None = None
) -> RotationReport:
    """Re-wrap every data key (cases, parties, system keys) under the primary master key.

    Sealed records are not touched: only the small wrapped keys change. Each batch commits on
    its own, so an interrupted run loses nothing and a second run carries on where it stopped;
    a key is readable throughout, since every configured master key still opens the old
    wrapping. A key is replaced only if it is still the one that was read, so a key destroyed
    meanwhile stays destroyed. The caller audits the rotation (the audit app sits above).
    """
    ring = crypto.keyring()
    report = RotationReport(primary_id=ring.primary_id)
    for batch, rewrapped in _rewrapped_batches(ring.primary_id, batch_size):
        swaps = []
        for (pk, wrapped, _by), new in zip(batch, rewrapped, strict=True):
            if new is None:
                report.failed.append(f"{DataKey._meta.verbose_name} {pk}")
            else:
                swaps.append((pk, bytes(wrapped), new))
        report.rewrapped += _swap(swaps, ring.primary_id)
        if progress:
            progress(report)
    return report


def _stale_batches(primary_id: str, batch_size: int) -> Iterator[list[StaleKey]]:
    """(pk, wrapped, master key id) of the keys not yet under `primary_id`, in batches by pk.

    Each batch starts after the last pk of the one before (keyset paging), so the cost of a
    batch does not grow with the rows already done, and a key that cannot be opened is passed
    once, not read again in every batch.
    """
    stale = (
        DataKey.objects.filter(wrapped__isnull=False)
        .exclude(master_key_id=primary_id)
        .order_by("pk")
        .values_list("pk", "wrapped", "master_key_id")
    )
    batch = list(stale[:batch_size])
    while batch:
        # `wrapped__isnull=False` above: no row holds None, which the field's type allows.
        yield cast(list[StaleKey], batch)
        batch = list(stale.filter(pk__gt=batch[-1][0])[:batch_size])


def _rewrapped_batches(
    primary_id: str, batch_size: int
) -> Iterator[tuple[list[StaleKey], list[bytes | None]]]:
    """Yield (batch, its keys re-wrapped), re-wrapping the next batch while this one is written.

    The re-wrapping (Python) overlaps the database's work on the previous batch, during which
    the driver lets other threads run: 60k keys on PostgreSQL in 1.2 s instead of 1.6. The
    thread only re-wraps; every query stays on the caller's connection.
    """
    batches = _stale_batches(primary_id, batch_size)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rewrap") as pool:
        batch = next(batches, None)
        pending = pool.submit(_rewrap, batch) if batch else None
        while batch and pending:
            rewrapped = pending.result()
            following = next(batches, None)
            pending = pool.submit(_rewrap, following) if following else None
            yield batch, rewrapped
            batch = following


def _rewrap(batch: list[StaleKey]) -> list[bytes | None]:
    return crypto.data_keys_rewrap([(bytes(wrapped), by) for _pk, wrapped, by in batch])


def _swap(swaps: list[tuple[int, bytes, bytes]], primary_id: str) -> int:
    """Store each (pk, old, new) wrapping where the row still holds `old`; return how many.

    One transaction per batch. On PostgreSQL the batch is copied into a temporary table and
    joined in one UPDATE (measured: 15 µs a row against 29 for a statement per row);
    elsewhere one parametrised UPDATE per row.
    """
    if not swaps:
        return 0
    quote = connection.ops.quote_name
    table, pk = quote(DataKey._meta.db_table), quote("id")
    wrapped, key_id = quote("wrapped"), quote("master_key_id")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE tafel_rotation (pk bigint, old bytea, new bytea) "
                "ON COMMIT DROP"
            )
            with cursor.copy("COPY tafel_rotation (pk, old, new) FROM STDIN") as copy:
                for row in swaps:
                    copy.write_row(row)
            cursor.execute(
                f"UPDATE {table} SET {wrapped} = swap.new, {key_id} = %s FROM tafel_rotation swap "  # noqa: S608 - quoted names
                f"WHERE {table}.{pk} = swap.pk AND {table}.{wrapped} = swap.old",
                [primary_id],
            )
            swapped = cursor.rowcount
            cursor.execute("DROP TABLE tafel_rotation")  # now, also inside an outer transaction
            return swapped
        cursor.executemany(
            f"UPDATE {table} SET {wrapped} = %s, {key_id} = %s WHERE {pk} = %s AND {wrapped} = %s",  # noqa: S608 - quoted names
            [(new, primary_id, row_pk, old) for row_pk, old, new in swaps],
        )
        return cursor.rowcount


def key_status() -> dict[str, dict[str, int]]:
    """Per master key id, how many data keys of each purpose it wraps ("destroyed" too)."""
    status: dict[str, dict[str, int]] = {}
    # Operator output (key_status) is in English throughout: no translation here.
    labels = {
        KeyPurpose.CASE: "case data keys",
        KeyPurpose.PARTY: "party data keys",
        KeyPurpose.SYSTEM: "system keys",
    }
    destroyed = Q(wrapped__isnull=True)
    rows = (
        DataKey.objects.annotate(
            destroyed=ExpressionWrapper(destroyed, output_field=BooleanField())
        )
        .values_list("master_key_id", "purpose", "destroyed")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for key_id, purpose, destroyed, count in sorted(
        rows, key=lambda row: list(labels).index(row[1])
    ):
        bucket = status.setdefault("destroyed" if destroyed else key_id, {})
        bucket[labels[purpose]] = bucket.get(labels[purpose], 0) + count
    return status
