"""Leak tests: write confidential text with a marker in a real database, then search the
database file, a pg_dump and the logs for the marker."""

import os
import subprocess
import sys
from pathlib import Path

from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def sqlite_env(tmp_path: Path, master_keys: str) -> dict[str, str]:
    """A fresh SQLite database in `tmp_path`, logging at DEBUG as a careless operator might."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TAFEL_") and key != "DATABASE_URL"
    }
    env.update(
        TAFEL_VAR_DIR=str(tmp_path),
        TAFEL_DEBUG="true",
        TAFEL_LOG_LEVEL="DEBUG",
        TAFEL_MASTER_KEYS=master_keys,
    )
    return env


def postgresql_env(master_keys: str) -> dict[str, str]:
    """The test's own PostgreSQL database (its data must be committed: a transactional test)."""
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "TAFEL_MASTER_KEYS": master_keys}


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run `python ARGS` from the project folder; the caller checks the result."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def pg_dump() -> bytes:
    """A plain-SQL dump of the test's PostgreSQL database."""
    database = connection.settings_dict
    return subprocess.run(
        [
            "pg_dump",
            "-h",
            database["HOST"],
            "-p",
            str(database["PORT"]),
            "-U",
            database["USER"],
            database["NAME"],
        ],
        capture_output=True,
        timeout=120,
        check=True,
    ).stdout


def sqlite_files(tmp_path: Path) -> list[bytes]:
    """The database file and any journal or WAL beside it."""
    return [path.read_bytes() for path in sorted(tmp_path.glob("db.sqlite3*"))]


def contains(marker: str, *blobs: bytes | str) -> bool:
    """Whether the marker occurs in any of the blobs, in any letter case."""
    needle = marker.lower()
    return any(
        needle in (blob.decode("utf-8", "replace") if isinstance(blob, bytes) else blob).lower()
        for blob in blobs
    )


def database_values() -> list[str | bytes]:
    """Every text and bytes value in every table of the test's database (SQLite or PostgreSQL),
    with the sessions decoded too (their data is signed base64, which a search would miss)."""
    values: list[str | bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a quoted table name
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = bytes(value)
                    if isinstance(value, str | bytes):
                        values.append(value)
            if table == "django_session":
                cursor.execute("SELECT session_data FROM django_session")
                values += [str(SessionStore().decode(data)) for (data,) in cursor.fetchall()]
    return values


def raw_in(secret: bytes, *blobs: bytes | str) -> bool:
    """Whether the raw bytes `secret` occur in any of the bytes blobs."""
    return any(isinstance(blob, bytes) and secret in blob for blob in blobs)
