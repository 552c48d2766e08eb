"""Master-key rotation and status over the case data keys."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import CaseKey
from mediation import crypto
from mediation.models import WrappedSecret
from parties.models import PartyKey

ROTATION_BATCH = 5000


@dataclass
class RotationReport:
    primary_id: str
    rewrapped: int = 0
    failed: list[str] = field(default_factory=list)


def _wrapped_keys():
    """Every table that holds data keys wrapped by a master key: (model, wrapped field)."""
    return [(CaseKey, "wrapped"), (PartyKey, "wrapped"), (WrappedSecret, "wrapped")]


def keys_rotate(*, batch_size: int = ROTATION_BATCH, progress=None) -> RotationReport:
    """Re-wrap every data key (cases, parties, the index key) under the primary master key.

    Notes and contact details are not touched: only the small wrapped keys change. Each batch
    commits on its own, so an interrupted run loses nothing and a second run carries on where
    it stopped; a key is readable throughout, since every configured master key still opens
    the old wrapping. A key is replaced only if it is still the one that was read, so a key
    destroyed meanwhile stays destroyed.
    """
    ring = crypto.keyring()
    report = RotationReport(primary_id=ring.primary_id)
    for model, column in _wrapped_keys():
        failed: list[int] = []
        for batch, rewrapped in _rewrapped_batches(model, column, ring.primary_id, batch_size):
            swaps = []
            for (pk, wrapped, _by), new in zip(batch, rewrapped, strict=True):
                if new is None:
                    failed.append(pk)
                else:
                    swaps.append((pk, bytes(wrapped), new))
            report.rewrapped += _swap(model, column, swaps, ring.primary_id)
            if progress:
                progress(report)
        report.failed.extend(f"{model._meta.verbose_name} {pk}" for pk in failed)
    audit_record(
        action=AuditAction.KEYS_ROTATED,
        actor=None,
        details={
            "primary": ring.primary_id,
            "rewrapped": report.rewrapped,
            "failed": len(report.failed),
        },
    )
    return report


def _stale_batches(model, column: str, primary_id: str, batch_size: int):
    """(pk, wrapped, master key id) of the keys not yet under `primary_id`, in batches by pk.

    Each batch starts after the last pk of the one before (keyset paging), so the cost of a
    batch does not grow with the rows already done, and a key that cannot be opened is passed
    once, not read again in every batch.
    """
    stale = (
        model.objects.filter(**{f"{column}__isnull": False})
        .exclude(master_key_id=primary_id)
        .order_by("pk")
        .values_list("pk", column, "master_key_id")
    )
    batch = list(stale[:batch_size])
    while batch:
        yield batch
        batch = list(stale.filter(pk__gt=batch[-1][0])[:batch_size])


def _rewrapped_batches(model, column: str, primary_id: str, batch_size: int):
    """Yield (batch, its keys re-wrapped), re-wrapping the next batch while this one is written.

    The re-wrapping (Python) overlaps the database's work on the previous batch, during which
    the driver lets other threads run: 60k keys on PostgreSQL in 1.2 s instead of 1.6. The
    thread only re-wraps; every query stays on the caller's connection.
    """
    batches = _stale_batches(model, column, primary_id, batch_size)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rewrap") as pool:
        batch = next(batches, None)
        pending = pool.submit(_rewrap, batch) if batch else None
        while batch:
            rewrapped = pending.result()
            following = next(batches, None)
            pending = pool.submit(_rewrap, following) if following else None
            yield batch, rewrapped
            batch = following


def _rewrap(batch: list[tuple]) -> list[bytes | None]:
    return crypto.data_keys_rewrap([(wrapped, by) for _pk, wrapped, by in batch])


def _swap(model, column: str, swaps: list[tuple[int, bytes, bytes]], primary_id: str) -> int:
    """Store each (pk, old, new) wrapping where the row still holds `old`; return how many.

    One transaction per batch. On PostgreSQL the batch is copied into a temporary table and
    joined in one UPDATE (measured: 15 µs a row against 29 for a statement per row);
    elsewhere one parametrised UPDATE per row.
    """
    if not swaps:
        return 0
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    wrapped, key_id = quote(model._meta.get_field(column).column), quote("master_key_id")
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
    """Per master key id, how many data keys of each kind it wraps ("destroyed" too)."""
    status: dict[str, dict[str, int]] = {}
    for model, wrapped in _wrapped_keys():
        label = str(model._meta.verbose_name_plural)
        rows = (
            model.objects.filter(**{f"{wrapped}__isnull": False})
            .values_list("master_key_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for key_id, count in rows:
            status.setdefault(key_id, {})[label] = count
        destroyed = model.objects.filter(**{f"{wrapped}__isnull": True}).count()
        if destroyed:
            status.setdefault("destroyed", {})[label] = destroyed
    return status
