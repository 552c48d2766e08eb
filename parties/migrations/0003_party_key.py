"""Parties' data keys move to a table of their own (parties.PartyKey), as cases' keys have.

Rotating master keys rewrote every wide, much-indexed party row; now it rewrites narrow ones.
The wrapped keys move as they are: nothing is decrypted.
"""

import django.db.models.deletion
from django.db import migrations, models


def keys_out(apps, schema_editor):
    Party = apps.get_model("parties", "Party")
    PartyKey = apps.get_model("parties", "PartyKey")
    rows = Party.objects.exclude(wrapped_key=None).values_list("pk", "wrapped_key", "master_key_id")
    PartyKey.objects.bulk_create(
        (
            PartyKey(party_id=pk, wrapped=wrapped, master_key_id=key_id)
            for pk, wrapped, key_id in rows
        ),
        batch_size=2000,
    )


def keys_back(apps, schema_editor):
    Party = apps.get_model("parties", "Party")
    PartyKey = apps.get_model("parties", "PartyKey")
    for key in PartyKey.objects.all().iterator():
        Party.objects.filter(pk=key.party_id).update(
            wrapped_key=key.wrapped, master_key_id=key.master_key_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0002_seal_contact_details"),
    ]

    operations = [
        migrations.CreateModel(
            name="PartyKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "wrapped",
                    models.BinaryField(
                        help_text="The party's data key, encrypted with a master key; empty once destroyed.",
                        null=True,
                        verbose_name="wrapped data key",
                    ),
                ),
                (
                    "master_key_id",
                    models.CharField(
                        db_index=True,
                        help_text="Which master key wraps the data key (see key_status).",
                        max_length=12,
                        verbose_name="master key id",
                    ),
                ),
                (
                    "party",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="key",
                        to="parties.party",
                        verbose_name="party",
                    ),
                ),
            ],
            options={
                "verbose_name": "party data key",
                "verbose_name_plural": "party data keys",
            },
        ),
        migrations.RunPython(keys_out, keys_back),
        migrations.RemoveField(
            model_name="party",
            name="master_key_id",
        ),
        migrations.RemoveField(
            model_name="party",
            name="wrapped_key",
        ),
    ]
