"""Print a new master key."""

from django.core.management.base import BaseCommand

from mediation.crypto import generate_master_key


class Command(BaseCommand):
    help = (
        "Print a new master key. Put it first in TAFEL_MASTER_KEYS (keep the old ones after "
        "it), then run rotate_keys."
    )

    def handle(self, *args, **options):
        self.stdout.write(generate_master_key())
