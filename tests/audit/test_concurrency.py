import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from audit.models import AuditEvent
from audit.verification import audit_chain_verify

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.postgresql
def test_sixteen_writers_in_two_processes_leave_one_chain_that_verifies(transactional_db):
    database = connection.settings_dict
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    start_at = time.time() + 3  # both processes have set Django up by then
    env = {**os.environ, "DATABASE_URL": url}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.audit.append_worker", "8", "25", str(start_at)],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        _, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr

    report = audit_chain_verify()

    assert report.intact, report.problem
    assert report.verified == 2 * 8 * 25 == AuditEvent.objects.count()
    pids = set(AuditEvent.objects.values_list("details__pid", flat=True))
    assert len(pids) == 2  # both processes really wrote
