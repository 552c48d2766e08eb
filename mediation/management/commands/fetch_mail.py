"""Read the organizer's mailbox once: record the answers calendar programs sent."""

from django.core.management.base import BaseCommand, CommandError

from mediation.inbox import InboxUnavailable, inbox_fetch


class Command(BaseCommand):
    help = (
        "Read the new messages in the organizer's mailbox (TAFEL_IMAP_*) once: record the "
        "answers calendar programs sent to invites and file them; other mail stays unread. "
        "run_worker does this every TAFEL_IMAP_INTERVAL_SECONDS."
    )

    def handle(self, *args: object, **options: object) -> None:
        try:
            report = inbox_fetch()
        except InboxUnavailable as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"mailbox: {report}")
