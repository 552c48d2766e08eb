"""Running totals for the supervisor's levels (span `upto`, issue 19 point 6).

The monthly and yearly tallies stay as they are; the running totals are added up from the
years. Each running group (a kind and an organisation, either, or neither) needs them from its
first year on, and counting a key again adds up those of every group it belongs to from the
key's year on: so one key per kind and organisation, in their first month, is enough (not every
key, as 0004 marked: every key would add up the running totals again some thousand times).
"""

from django.db import migrations, models
from django.db.models import Min
from django.utils import timezone


def mark_first_keys(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    ReportStale = apps.get_model("reporting", "ReportStale")
    now = timezone.now()
    firsts = (
        Case.objects.values("kind_id", "referring_organisation")
        .annotate(first=Min("referred_on"), referrer=Min("referred_by_id"))
        .order_by()
    )
    ReportStale.objects.bulk_create(
        [
            ReportStale(
                month=row["first"].replace(day=1),
                kind_id=row["kind_id"],
                organisation=row["referring_organisation"],
                referrer_id=row["referrer"],
                marked_at=now,
            )
            for row in firsts
            if row["first"] is not None and row["kind_id"] is not None
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_count_existing_cases"),
        ("cases", "0004_retention_dates"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reporttally",
            name="span",
            field=models.CharField(
                choices=[
                    ("month", "month"),
                    ("year", "year"),
                    ("upto", "every year up to this one"),
                ],
                max_length=5,
                verbose_name="span",
            ),
        ),
        migrations.AlterField(
            model_name="reporttally",
            name="start",
            field=models.DateField(
                help_text="The first day of the month or year (running totals: of their last "
                "year).",
                verbose_name="start",
            ),
        ),
        migrations.RunPython(mark_first_keys, migrations.RunPython.noop),
    ]
