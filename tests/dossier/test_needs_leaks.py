"""Acceptance: a marker planted in a party's other needs (AVG art. 9 data) is found in no
SQLite file or pg_dump, and the interpreter's language is in no plain column; only the flags
are plain."""

import sqlite3

import pytest
from django.db import connection

from tests import leaks

MARKER = "BEHOEFTE9XK"
# A language no other record of the test names, so that finding it means it leaked.
LANGUAGE = "tzm"


def _party_columns(cursor, party_id) -> dict:
    cursor.execute("SELECT * FROM parties_party WHERE id = %s", [party_id])
    names = [column[0] for column in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def _assert_only_flags_plain(columns: dict) -> None:
    assert "other_needs" not in columns and "interpreter_language" not in columns
    assert all(value != LANGUAGE for value in columns.values())
    assert columns["needs_interpreter"] and columns["has_other_needs"]
    assert columns["needs_step_free_access"]
    assert columns["sealed_needs"]


def test_the_needs_leave_no_marker_in_the_sqlite_file(tmp_path, settings):
    env = leaks.sqlite_env(tmp_path, settings.TAFEL_MASTER_KEYS)
    migrate = leaks.run("manage.py", "migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr

    result = leaks.run("-m", "tests.dossier.marker_needs", MARKER, LANGUAGE, env=env)

    assert result.returncode == 0, result.stderr
    assert "needs recorded" in result.stdout
    files = leaks.sqlite_files(tmp_path)
    assert leaks.contains("Persoon met behoeften", *files)  # the party is there
    assert not leaks.contains(MARKER, *files)
    party_id = int(result.stdout.split()[-1])
    with sqlite3.connect(tmp_path / "db.sqlite3") as database:
        cursor = database.cursor()
        cursor.execute("SELECT * FROM parties_party WHERE id = ?", [party_id])
        names = [column[0] for column in cursor.description]
        _assert_only_flags_plain(dict(zip(names, cursor.fetchone(), strict=True)))


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_the_needs_leave_no_marker_in_a_pg_dump(settings):
    env = leaks.postgresql_env(settings.TAFEL_MASTER_KEYS)

    result = leaks.run("-m", "tests.dossier.marker_needs", MARKER, LANGUAGE, env=env)
    dump = leaks.pg_dump()

    assert result.returncode == 0, result.stderr
    assert leaks.contains("Persoon met behoeften", dump)
    assert not leaks.contains(MARKER, dump)
    # Bytea is dumped as hex: the code between tabs would be a plain column's value.
    assert f"\t{LANGUAGE}\t".encode() not in dump
    with connection.cursor() as cursor:
        _assert_only_flags_plain(_party_columns(cursor, int(result.stdout.split()[-1])))
