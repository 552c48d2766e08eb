"""Seal the needs that describe health, disability or origin (AVG art. 9): the interpreter's
language and the free-text other needs move from plain columns into `sealed_needs`, under each
party's own data key (parties.needs), with plain yes/no flags for lists and warnings. The plain
columns go in the next migration (0004): on PostgreSQL a table whose rows were just changed,
with deferred foreign-key checks pending, cannot be altered in the same transaction.

Works on SQLite and PostgreSQL alike (Django's operations, the rows sealed in Python). The
historical models are used, the cipher work through `mediation.crypto` and the binding through
`parties.needs`, so the sealed form is exactly what the app opens.
"""

import json

from django.db import migrations, models
from django.db.models import Q

from mediation import crypto
from parties.needs import needs_context, needs_document

BATCH = 500


def seal_plain_needs(apps, schema_editor):
    """Seal every party's plain needs under its key (made when the party has none yet)."""
    Party = apps.get_model("parties", "Party")
    DataKey = apps.get_model("mediation", "DataKey")
    database = schema_editor.connection.alias
    parties = (
        Party.objects.using(database)
        .exclude(Q(interpreter_language="") & Q(other_needs=""))
        .select_related("key")
        .order_by("pk")
    )
    for party in parties.iterator(chunk_size=BATCH):
        if party.key is None or party.key.wrapped is None:
            wrapped, master_key_id = crypto.data_key_new()
            party.key = DataKey.objects.using(database).create(
                purpose="party", wrapped=wrapped, master_key_id=master_key_id
            )
        key = crypto.data_key_unwrap(bytes(party.key.wrapped))
        document = needs_document(
            interpreter_language=party.interpreter_language, other_needs=party.other_needs
        )
        party.sealed_needs = crypto.seal(key, document, context=needs_context(party.uid))
        party.needs_interpreter = bool(party.interpreter_language)
        party.has_other_needs = bool(party.other_needs)
        party.interpreter_language = party.other_needs = ""
        party.save(
            update_fields=[
                "key",
                "sealed_needs",
                "needs_interpreter",
                "has_other_needs",
                "interpreter_language",
                "other_needs",
            ]
        )


def open_sealed_needs(apps, schema_editor):
    """Back: the sealed needs into the plain columns (those that can still be opened)."""
    Party = apps.get_model("parties", "Party")
    database = schema_editor.connection.alias
    parties = Party.objects.using(database).filter(sealed_needs__isnull=False)
    for party in parties.select_related("key").order_by("pk").iterator(chunk_size=BATCH):
        try:
            key = crypto.data_key_unwrap(bytes(party.key.wrapped))
            needs = json.loads(
                crypto.unseal(key, bytes(party.sealed_needs), context=needs_context(party.uid))
            )
        except (crypto.CannotOpen, AttributeError, TypeError, ValueError):
            continue  # a destroyed key: nothing to bring back
        party.interpreter_language = needs.get("interpreter_language", "")
        party.other_needs = needs.get("other_needs", "")
        party.save(update_fields=["interpreter_language", "other_needs"])


class Migration(migrations.Migration):
    dependencies = [
        ("mediation", "0004_inbox_cursor"),
        ("parties", "0002_language_list_from_cldr"),
    ]

    operations = [
        migrations.AddField(
            model_name="party",
            name="has_other_needs",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Set when the sealed needs hold other needs; the text itself is sealed.",
                verbose_name="has other needs",
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="needs_interpreter",
            field=models.BooleanField(
                default=False,
                editable=False,
                help_text="Set when the sealed needs name an interpreter's language.",
                verbose_name="needs an interpreter",
            ),
        ),
        migrations.AddField(
            model_name="party",
            name="sealed_needs",
            field=models.BinaryField(
                help_text="The interpreter's language and other needs, encrypted.",
                null=True,
                verbose_name="sealed needs",
            ),
        ),
        migrations.RunPython(seal_plain_needs, open_sealed_needs),
    ]
