"""Queue the reminders of sessions that start soon (run it every few minutes, e.g. from cron)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scheduling.services import reminder_lead_time, reminders_queue


class Command(BaseCommand):
    # Lazy, so the help speaks the language of whoever runs it; Django's argparse takes it as
    # it is, though django-stubs types `help` as str.
    help = gettext_lazy(  # type: ignore[assignment]  # a lazy string is accepted
        "Queue one reminder per invitee for sessions that start within TAFEL_REMINDER_HOURS. "
        "Safe to run as often as you like: no reminder is queued twice."
    )

    def handle(self, *args, **options):
        queued = reminders_queue()
        hours = int(reminder_lead_time().total_seconds() // 3600)
        self.stdout.write(
            _("%(count)d reminders queued for sessions in the next %(hours)d hours.")
            % {"count": queued, "hours": hours}
        )
