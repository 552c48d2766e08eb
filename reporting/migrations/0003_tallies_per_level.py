"""The tallies get levels, years and the referring coordinator (issue 19, point 6): they are
counted data, so the old tables go and the new ones start empty; 0004 marks every key stale."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0002_count_existing_cases"),
    ]

    operations = [
        migrations.DeleteModel(name="ReportStale"),
        migrations.DeleteModel(name="ReportTally"),
        migrations.CreateModel(
            name="ReportStale",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField(verbose_name="month")),
                ("kind_id", models.IntegerField(verbose_name="kind of case")),
                (
                    "organisation",
                    models.CharField(max_length=200, verbose_name="referring organisation"),
                ),
                ("referrer_id", models.IntegerField(verbose_name="referred by")),
                ("marked_at", models.DateTimeField(verbose_name="marked at")),
            ],
            options={
                "verbose_name": "stale report key",
                "verbose_name_plural": "stale report keys",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("month", "kind_id", "organisation", "referrer_id"),
                        name="one_stale_mark_per_coordinator_key",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ReportTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("level", models.CharField(blank=True, max_length=3, verbose_name="level")),
                (
                    "span",
                    models.CharField(
                        choices=[("month", "month"), ("year", "year")],
                        max_length=5,
                        verbose_name="span",
                    ),
                ),
                (
                    "start",
                    models.DateField(
                        help_text="The first day of the month or year.", verbose_name="start"
                    ),
                ),
                (
                    "kind_id",
                    models.IntegerField(help_text="0: every kind.", verbose_name="kind of case"),
                ),
                (
                    "organisation",
                    models.CharField(
                        blank=True, max_length=200, verbose_name="referring organisation"
                    ),
                ),
                (
                    "referrer_id",
                    models.IntegerField(
                        help_text="0: every coordinator.", verbose_name="referred by"
                    ),
                ),
                ("measure", models.CharField(max_length=30, verbose_name="measure")),
                ("value", models.CharField(blank=True, max_length=30, verbose_name="value")),
                ("count", models.BigIntegerField(verbose_name="count")),
            ],
            options={
                "verbose_name": "report tally",
                "verbose_name_plural": "report tallies",
                "constraints": [
                    models.UniqueConstraint(
                        fields=(
                            "level",
                            "referrer_id",
                            "span",
                            "start",
                            "kind_id",
                            "organisation",
                            "measure",
                            "value",
                        ),
                        name="one_tally_per_level_key_measure_and_value",
                    )
                ],
            },
        ),
    ]
