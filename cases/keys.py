"""Master-key rotation and status over the case data keys."""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count

from audit.models import AuditAction
from audit.services import audit_record
from cases.models import CaseKey
from mediation import crypto
from mediation.models import WrappedSecret
from parties.models import Party

ROTATION_BATCH = 1000


@dataclass
class RotationReport:
    primary_id: str
    rewrapped: int = 0
    failed: list[str] = field(default_factory=list)


def _wrapped_keys():
    """Every table that holds data keys wrapped by a master key: (model, wrapped field)."""
    return [(CaseKey, "wrapped"), (Party, "wrapped_key"), (WrappedSecret, "wrapped")]


def keys_rotate(*, batch_size: int = ROTATION_BATCH, progress=None) -> RotationReport:
    """Re-wrap every data key (cases, parties, the index key) under the primary master key.

    Notes and contact details are not touched: only the small wrapped keys change. Each batch
    commits on its own, so an interrupted run loses nothing and a second run carries on where
    it stopped; a key is readable throughout, since every configured master key still opens
    the old wrapping.
    """
    ring = crypto.keyring()
    report = RotationReport(primary_id=ring.primary_id)
    for model, column in _wrapped_keys():
        failed: list[int] = []
        while True:
            with transaction.atomic():
                batch = list(
                    model.objects.select_for_update()
                    .filter(**{f"{column}__isnull": False})
                    .exclude(master_key_id=ring.primary_id)
                    .exclude(pk__in=failed)
                    .order_by("pk")[:batch_size]
                )
                if not batch:
                    break
                done = []
                for row in batch:
                    try:
                        wrapped, row.master_key_id = crypto.data_key_rewrap(getattr(row, column))
                    except crypto.CannotOpen:
                        failed.append(row.pk)
                    else:
                        setattr(row, column, wrapped)
                        done.append(row)
                model.objects.bulk_update(done, [column, "master_key_id"])
            report.rewrapped += len(done)
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
