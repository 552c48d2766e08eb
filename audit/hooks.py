"""The one place where the audit trail reaches an app above it.

`case_event`: a function registered here (by `cases`, from its `AppConfig.ready()`) is called
by `audit_record` for every event that belongs to a case, in the same transaction and after
the chain lock is taken. `cases` keeps each case's latest activity with it, so that "cases
with no activity for N days" is one indexed read instead of a scan of the trail. Under the
chain lock, every writer of that record waits its turn in the same order, so two
transactions never hold it and the lock the other way round.
"""

from collections.abc import Callable
from datetime import datetime

CaseEvent = Callable[[int, str, datetime], object]  # (case id, AuditAction value, occurred at)

_case_event: list[CaseEvent] = []


def register_case_event(function: CaseEvent) -> None:
    """Call `function(case_id, action, occurred_at)` for every event of a case (idempotent)."""
    if function not in _case_event:
        _case_event.append(function)


def run_case_event(case_id: int, action: str, occurred_at: datetime) -> None:
    for function in _case_event:
        function(case_id, action, occurred_at)
