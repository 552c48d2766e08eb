"""A process that appends audit events from several threads at once (for the concurrency test).

Run as `python -m tests.audit.append_worker THREADS EVENTS_PER_THREAD START_AT`, with
DATABASE_URL naming the test database. Threads wait until the wall clock reaches START_AT, so
that two processes start appending at the same moment.
"""

import os
import sys
import threading
import time


def main(threads: int, per_thread: int, start_at: float) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mediation.settings")
    import django

    django.setup()
    from django.db import connection

    from audit.models import AuditAction
    from audit.services import audit_record

    errors: list[BaseException] = []

    def append(thread: int) -> None:
        try:
            while time.time() < start_at:
                time.sleep(0.001)
            for n in range(per_thread):
                audit_record(
                    action=AuditAction.LOGIN,
                    actor=None,
                    details={"pid": os.getpid(), "thread": thread, "n": n},
                )
        except BaseException as exc:  # reported to the test through the exit code
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=append, args=(t,)) for t in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        sys.exit(f"{len(errors)} threads failed; first: {errors[0]!r}")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
