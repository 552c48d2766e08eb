"""Database triggers that make the audit table append-only.

Created by a migration. An attacker with database access can drop them; the hash chain and an
anchored head (`verify_audit --expect-head`) reveal what they then change.
"""

from django.core.exceptions import ImproperlyConfigured

TABLE = "audit_auditevent"

_POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only: % on {TABLE} refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END
    $$ LANGUAGE plpgsql
    """,
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    f"""
    CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()
    """,
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"""
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()
    """,
]
_POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_event_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_event_refuse_change()",
]
_SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    f"""
    CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE on {TABLE} refused'); END
    """,
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
    f"""
    CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE on {TABLE} refused'); END
    """,
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "postgresql":
        return _POSTGRESQL_INSTALL if install else _POSTGRESQL_REMOVE
    if vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    raise ImproperlyConfigured(f"Tafel supports PostgreSQL and SQLite, not {vendor}.")


def append_only_triggers_install(connection) -> None:
    """Create the triggers that refuse UPDATE, DELETE (and, on PostgreSQL, TRUNCATE)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=True):
            cursor.execute(statement)


def append_only_triggers_remove(connection) -> None:
    """Drop the triggers (migrating backwards, or a test that plays the attacker)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, install=False):
            cursor.execute(statement)
