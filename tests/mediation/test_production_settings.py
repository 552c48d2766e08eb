"""Production mode: `check --deploy` is clean, and a missing secret stops start-up in one line.

These run `manage.py` in a fresh process, because settings are read once at start-up.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "TAFEL_ENV": "production",
    "TAFEL_SECRET_KEY": "k8Jq2-vX9pL0zR7wT4yN6mB3cF1hD5sG8aE2uI0oP7qW3eR9tY",
    "TAFEL_ALLOWED_HOSTS": "tafel.gemeente.example",
    "DATABASE_URL": "postgres://tafel@db.example:5432/tafel",
    "TAFEL_DEFAULT_FROM_EMAIL": "tafel@gemeente.example",
    "TAFEL_MASTER_KEYS": "jJ4S3f1y2m1kQe0o6cS2J3n6Qh2bq3E3bqYV2yq0mS8=",
    "TAFEL_BASE_URL": "https://tafel.gemeente.example",
}


def run_manage(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TAFEL_") and key != "DATABASE_URL"
    }
    base["TAFEL_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_reports_nothing_in_production_mode(tmp_path):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "TAFEL_SECRET_KEY",
        "TAFEL_ALLOWED_HOSTS",
        "DATABASE_URL",
        "TAFEL_DEFAULT_FROM_EMAIL",
        "TAFEL_MASTER_KEYS",
        "TAFEL_BASE_URL",
    ],
)
def test_production_mode_refuses_to_start_without_a_secret_and_names_it(tmp_path, missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}

    result = run_manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]
    assert lines[0].startswith("Tafel cannot start:")


def test_a_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret_key"
    secret_file.write_text(PRODUCTION_ENV["TAFEL_SECRET_KEY"] + "\n")
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "TAFEL_SECRET_KEY"}
    env["TAFEL_SECRET_KEY_FILE"] = str(secret_file)

    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


def test_an_unreadable_secret_file_is_named_in_one_line(tmp_path):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "TAFEL_SECRET_KEY"}
    env["TAFEL_SECRET_KEY_FILE"] = str(tmp_path / "does-not-exist")

    result = run_manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "TAFEL_SECRET_KEY_FILE" in result.stderr


def test_development_mode_needs_no_variables_at_all(tmp_path):
    result = run_manage("check", env={}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr


def test_a_master_key_that_is_not_a_key_stops_start_up_in_one_line(tmp_path):
    env = {**PRODUCTION_ENV, "TAFEL_MASTER_KEYS": "not-a-key"}

    result = run_manage("check", env=env, tmp_path=tmp_path)

    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0
    assert "TAFEL_MASTER_KEYS cannot be used: key 1 is not a key" in result.stderr
