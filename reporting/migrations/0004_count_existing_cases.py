"""Mark the key of every existing case stale: the report (and the worker) counts them."""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import TruncMonth
from django.utils import timezone


def mark_every_key(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ReportStale = apps.get_model("reporting", "ReportStale")
    now = timezone.now()
    rows = (
        Case.objects.annotate(m=TruncMonth("referred_on"), org=F("referring_organisation"))
        .values_list("m", "kind_id", "org", "referred_by_id")
        .distinct()
        .order_by()
    )
    ReportStale.objects.bulk_create(
        [
            ReportStale(
                month=month, kind_id=kind_id, organisation=org, referrer_id=referrer, marked_at=now
            )
            for month, kind_id, org, referrer in rows
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0003_tallies_per_level"),
        ("cases", "0004_retention_dates"),
    ]

    operations = [migrations.RunPython(mark_every_key, migrations.RunPython.noop)]
