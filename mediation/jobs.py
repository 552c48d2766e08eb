"""Periodic jobs that `run_worker` runs beside the outbox, registered by the apps above.

`mediation` is the lowest layer and imports no app; an app that needs something done every
so often (scheduling: queue session reminders) registers it from its `AppConfig.ready()`.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PeriodicJob:
    name: str
    run: Callable[[], object]
    every_seconds: float
    last_run: float = field(default=float("-inf"))

    def due(self, now: float) -> bool:
        return now - self.last_run >= self.every_seconds


_jobs: dict[str, PeriodicJob] = {}


def register_periodic_job(name: str, run: Callable[[], object], *, every_seconds: float) -> None:
    """Run `run()` from the worker every `every_seconds` (a second registration replaces it)."""
    _jobs[name] = PeriodicJob(name, run, every_seconds)


def periodic_jobs_run(now: float | None = None) -> list[str]:
    """Run the jobs that are due; return their names."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in _jobs.values():
        if job.due(now):
            job.run()
            job.last_run = now
            ran.append(job.name)
    return ran
