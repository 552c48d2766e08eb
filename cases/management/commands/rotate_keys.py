"""Re-wrap every data key under the newest master key. Safe to interrupt and rerun."""

from django.core.management.base import BaseCommand, CommandError

from cases.keys import master_keys_rotate
from mediation.keys import ROTATION_BATCH


class Command(BaseCommand):
    help = (
        "Make the first key in TAFEL_MASTER_KEYS primary: re-wrap every data key under it. "
        "Notes are not rewritten. Interrupted, a second run finishes the work."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=ROTATION_BATCH)

    def handle(self, *args, batch_size, **options):
        def progress(report):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {report.rewrapped} re-wrapped so far")

        report = master_keys_rotate(batch_size=max(1, batch_size), progress=progress)
        self.stdout.write(
            f"Re-wrapped {report.rewrapped} data keys under master key {report.primary_id}."
        )
        if report.failed:
            shown = ", ".join(report.failed[:20]) + (", ..." if len(report.failed) > 20 else "")
            raise CommandError(
                f"{len(report.failed)} data keys could not be opened with the configured master "
                f"keys ({shown}). Add the master key that wraps them back to TAFEL_MASTER_KEYS "
                "and run rotate_keys again.",
                returncode=2,
            )
