"""Send the outbox: queued invites and notifications, with retries. Runs until stopped.

The periodic jobs run first in each round; one of them is the HTTP outbox (calls to a
municipality's Zaken API), registered by `mediation` itself.
"""

import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from mediation.jobs import periodic_jobs_run
from mediation.outbox import outbox_drain

ROUND_LIMIT = 100  # messages per round; a full round means more may be waiting


class Command(BaseCommand):
    help = (
        "Send queued email (the outbox) every few seconds, and run the periodic jobs the apps "
        "registered (session reminders every minute, calls to other systems every round); "
        "--once does both once and stops."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due, then stop.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between rounds.")

    def handle(self, *args: object, once: bool, interval: float, **options: object) -> None:
        while True:
            # Jobs first: what they queue into the outbox (reminders) leaves in this round.
            periodic_jobs_run()
            report = outbox_drain(limit=ROUND_LIMIT)
            handled = report.sent + report.retried + report.failed
            if handled:
                self.stdout.write(
                    f"outbox: {report.sent} sent, {report.retried} to retry, "
                    f"{report.failed} given up"
                )
            if once:
                return
            # A long-running process: drop a connection the database closed meanwhile.
            close_old_connections()
            if handled >= ROUND_LIMIT:
                continue  # no pause while mail is waiting (a retry waits for its own time)
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
