"""Fill a development database with demo accounts and data. Refuses to run in production."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.agreements import demo_agreements_ensure
from demo.data import (
    DEMO_ACCOUNTS,
    DEMO_ADMIN,
    DEMO_PASSWORD,
    demo_accounts_ensure,
    demo_admin_ensure,
    demo_cases_ensure,
    demo_sessions_ensure,
)
from demo.portal import demo_portal_ensure
from demo.registration import demo_registration_ensure
from demo.surveys import demo_surveys_ensure
from reporting.tallies import tallies_rebuild


class Command(BaseCommand):
    help = "Create the demo accounts and data (idempotent; refuses to run in production mode)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "demo_data refuses to run in production mode (TAFEL_ENV=production): "
                "it would create accounts with a known password."
            )
        users = demo_accounts_ensure()
        admin = demo_admin_ensure()
        cases = demo_cases_ensure(users)
        demo_sessions_ensure(users, cases)
        cases = demo_agreements_ensure(users, cases)
        past = demo_registration_ensure(users)
        cases = [*cases, *(case for case in past if case not in cases)]
        demo_surveys_ensure()
        portal = demo_portal_ensure(users, cases)
        # The past cases' referral dates were set back with a queryset update, which sends no
        # signal: the report's tallies are counted again from every case.
        tallies_rebuild()
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready: {len(cases)} cases."))
        base = settings.TAFEL_BASE_URL or "http://127.0.0.1:8000"
        self.stdout.write(f"Log in at {base}/ with one of these accounts:")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(
                f"  {account.username:<12} password {DEMO_PASSWORD!r:<8} "
                f"{account.role.value} ({account.description})"
            )
        if admin is not None:
            self.stdout.write(
                f"  {DEMO_ADMIN:<12} password {DEMO_PASSWORD!r:<8} "
                f"administrator (configures case kinds at {base}/admin/; no case access)"
            )
        else:
            self.stdout.write("  (no administrator: `admin` is made only in development, DEBUG on)")
        if portal:
            self.stdout.write(f"A party's personal page (no account needed): {portal}")
