"""How many data keys each master key wraps."""

from django.core.management.base import BaseCommand, no_translations

from mediation import crypto
from mediation.keys import key_status


class Command(BaseCommand):
    help = "Report how many data keys (cases, parties, system) each master key id wraps."

    @no_translations  # operator commands speak English, whatever LANGUAGE_CODE says
    def handle(self, *args, **options):
        ring = crypto.keyring()
        status = key_status()

        def counts(key_id: str) -> str:
            found = status.pop(key_id, {})
            return ", ".join(f"{count} {label}" for label, count in found.items()) or "nothing"

        self.stdout.write("Configured master keys, newest first:")
        for position, key_id in enumerate(ring.ids):
            role = "primary" if position == 0 else "older"
            self.stdout.write(f"  {key_id}  {role:<8} wraps {counts(key_id)}")
        destroyed = counts("destroyed") if "destroyed" in status else ""
        for key_id in sorted(status):
            self.stdout.write(
                self.style.ERROR(f"  {key_id}  MISSING  wraps {counts(key_id)}: not configured")
            )
        if destroyed:
            self.stdout.write(f"  destroyed data keys (unreadable for good): {destroyed}")
