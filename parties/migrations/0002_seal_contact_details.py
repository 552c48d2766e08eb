"""Seal the parties' contact details: new sealed columns, existing rows sealed, plain ones gone.

The data step uses the application's crypto layer (this migration cannot run without master
keys, as the application cannot). It seals as parties.contact did when it was written: with
the key in the party's own row (0003 moves keys to a table of their own).
"""

import json
import uuid

from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from mediation import crypto
    from parties.matching import normalise_email

    Party = apps.get_model("parties", "Party")
    for party in Party.objects.all().iterator():
        party.uid = uuid.uuid4()
        party.wrapped_key, party.master_key_id = crypto.data_key_new()
        document = json.dumps(
            {"email": party.email, "phone": party.phone, "postal_address": party.postal_address},
            ensure_ascii=False,
        )
        party.sealed_contact = crypto.seal(
            crypto.data_key_unwrap(party.wrapped_key),
            document,
            context=f"tafel/party/v1/party={party.uid}/contact",
        )
        party.email_index = crypto.blind_index(normalise_email(party.email))
        party.save(
            update_fields=["uid", "wrapped_key", "master_key_id", "sealed_contact", "email_index"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("parties", "0001_initial"),
        ("mediation", "0002_wrapped_secret"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="uid",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="party",
            name="sealed_contact",
            field=models.BinaryField(
                editable=False,
                help_text="Email, phone and postal address, encrypted.",
                null=True,
                verbose_name="sealed contact details",
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="wrapped_key",
            field=models.BinaryField(
                editable=False,
                help_text="The party's data key, encrypted with a master key; empty once destroyed.",
                null=True,
                verbose_name="wrapped data key",
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="master_key_id",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=12,
                verbose_name="master key id",
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="email_index",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=64,
                verbose_name="email index",
            ),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="party",
            name="uid",
            field=models.UUIDField(
                default=uuid.uuid4,
                editable=False,
                help_text="Binds the sealed contact details to this party.",
                unique=True,
            ),
        ),
        migrations.RemoveField(model_name="party", name="email"),
        migrations.RemoveField(model_name="party", name="email_normalised"),
        migrations.RemoveField(model_name="party", name="phone"),
        migrations.RemoveField(model_name="party", name="postal_address"),
    ]
