"""Count the report's figures again from every case (after a bulk load or a restore)."""

import time

from django.core.management.base import BaseCommand

from reporting.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Count the report's figures again from every case (reporting/models.py)."

    def handle(self, *args, **options):
        started = time.perf_counter()
        stored = tallies_rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Stored {stored} report tallies in {seconds:.1f} s.")
