"""Send the outbox: queued invites and notifications, with retries. Runs until stopped."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from mediation.outbox import outbox_drain


class Command(BaseCommand):
    help = "Send queued email (the outbox) every few seconds; --once sends what is due and stops."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due, then stop.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between rounds.")

    def handle(self, *args, once: bool, interval: float, **options):
        while True:
            report = outbox_drain()
            if report.sent or report.retried or report.failed:
                self.stdout.write(
                    f"outbox: {report.sent} sent, {report.retried} to retry, "
                    f"{report.failed} given up"
                )
            if once:
                return
            # A long-running process: drop a connection the database closed meanwhile.
            close_old_connections()
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
