"""The migrations that seal the needs (parties 0003, 0004): plain values in, sealed values and flags
out, the plain columns gone; and back again. Runs on SQLite and PostgreSQL alike."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from mediation import crypto
from parties.models import Party

BEFORE = [("parties", "0002_language_list_from_cldr")]
AFTER = [("parties", "0004_sealed_needs_drop_plain")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _migrate_to_latest():
    """Every app back to its latest migration: later tests need every table."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_plain_needs_and_drops_the_plain_columns():
    old = _migrate(BEFORE)
    OldParty = old.get_model("parties", "Party")
    OldKey = old.get_model("mediation", "DataKey")
    wrapped, master = crypto.data_key_new()
    key = OldKey.objects.create(purpose="party", wrapped=wrapped, master_key_id=master)
    both = OldParty.objects.create(
        kind="person", name="A", interpreter_language="ar", other_needs="Rolstoel MIGRATIE1"
    )
    keyed = OldParty.objects.create(
        kind="person", name="B", other_needs="Rustpauzes", key=key, needs_step_free_access=True
    )
    none = OldParty.objects.create(kind="group", name="C")

    try:
        _migrate(AFTER)
        _migrate_to_latest()  # the model below has the later migrations' columns too

        both, keyed, none = (
            Party.objects.select_related("key").get(pk=p.pk) for p in (both, keyed, none)
        )
        assert (both.interpreter_language, both.other_needs) == ("ar", "Rolstoel MIGRATIE1")
        assert (both.needs_interpreter, both.has_other_needs) == (True, True)
        assert both.key is not None  # made for it
        assert (keyed.key_id, keyed.other_needs, keyed.interpreter_language) == (
            key.pk,
            "Rustpauzes",
            "",
        )
        assert (keyed.needs_interpreter, keyed.has_other_needs) == (False, True)
        assert keyed.needs_step_free_access
        assert none.sealed_needs is None and not none.has_needs
        assert b"MIGRATIE1" not in bytes(both.sealed_needs)
        with connection.cursor() as cursor:
            columns = {
                column.name
                for column in connection.introspection.get_table_description(
                    cursor, "parties_party"
                )
            }
        assert "other_needs" not in columns and "interpreter_language" not in columns

        # And back: the plain columns return with the values that could be opened.
        old = _migrate(BEFORE)
        restored = old.get_model("parties", "Party").objects.get(pk=both.pk)
        assert (restored.interpreter_language, restored.other_needs) == (
            "ar",
            "Rolstoel MIGRATIE1",
        )
    finally:
        _migrate_to_latest()
