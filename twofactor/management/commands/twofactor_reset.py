"""Remove a user's second factors, when they lost their app or passkey and their codes."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from twofactor.services import second_factors_reset


class Command(BaseCommand):
    help = (
        "Remove every second factor of USERNAME (apps, passkeys, recovery codes), recorded in "
        "the audit trail. Check who is asking first, outside Tafel. The user sets up a new one "
        "at their next sign-in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="Why, for the audit trail.")

    def handle(self, *args, username, reason, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        removed = second_factors_reset(user=user, reason=reason)
        self.stdout.write(f"Removed {removed} second factors of {username}.")
