"""After a destruction list is carried out, no plain-text marker of the case remains in the
SQLite file or a pg_dump, and the audit trail still verifies."""

import pytest
from django.core.management import call_command

from tests import leaks

MARKER = "VERNIETIGD7Q"


def test_a_destroyed_case_leaves_no_marker_in_the_sqlite_file(tmp_path, settings):
    env = leaks.sqlite_env(tmp_path, settings.TAFEL_MASTER_KEYS)
    migrate = leaks.run("manage.py", "migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr

    result = leaks.run("-m", "tests.dossier.marker_destruction", MARKER, env=env)

    assert result.returncode == 0, result.stderr
    assert "case closed" in result.stdout and "destroyed 2" in result.stdout
    files = leaks.sqlite_files(tmp_path)
    assert leaks.contains("Gemeente Utrecht", *files)  # the tombstone's case is there
    assert not leaks.contains(MARKER, *files)
    verify = leaks.run("manage.py", "verify_audit", env=env)
    assert verify.returncode == 0, verify.stdout + verify.stderr


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_a_destroyed_case_leaves_no_marker_in_a_pg_dump(settings):
    env = leaks.postgresql_env(settings.TAFEL_MASTER_KEYS)

    result = leaks.run("-m", "tests.dossier.marker_destruction", MARKER, env=env)
    dump = leaks.pg_dump()

    assert result.returncode == 0, result.stderr
    assert leaks.contains("Gemeente Utrecht", dump)
    assert not leaks.contains(MARKER, dump)
    call_command("verify_audit")
