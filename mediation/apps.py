from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    """The project's own app: roles, the landing page, demo data and shared templates."""

    name = "mediation"
    verbose_name = _("Tafel")

    def ready(self) -> None:
        from django.conf import settings  # noqa: PLC0415
        from django.contrib.auth import get_user_model  # noqa: PLC0415 (apps loaded)
        from django.contrib.auth.signals import user_logged_in  # noqa: PLC0415 (apps loaded)

        from mediation.http_outbox import http_outbox_job  # noqa: PLC0415 (models loaded)
        from mediation.idle import idle_clock_start  # noqa: PLC0415 (models must be loaded)
        from mediation.inbox import inbox_round  # noqa: PLC0415
        from mediation.jobs import register_periodic_job  # noqa: PLC0415
        from mediation.validators import validate_email_one_line  # noqa: PLC0415

        # The worker reads the organizer's mailbox, when there is one (inbox_round checks).
        register_periodic_job(
            "mailbox", inbox_round, every_seconds=settings.TAFEL_IMAP_INTERVAL_SECONDS
        )
        # Calls to other systems (a municipality's Zaken API) leave with every round.
        register_periodic_job("http-outbox", http_outbox_job, every_seconds=0)
        # The idle clock starts at sign-in, so the first page after it writes no session.
        user_logged_in.connect(idle_clock_start, dispatch_uid="idle_clock_start")
        # A user's email address with a line break would break every notice to them (issue
        # 17): Django's user model is not ours to change, so its field gets the check here;
        # the admin's forms, full_clean and createsuperuser run the field's validators.
        email = get_user_model()._meta.get_field("email")
        if validate_email_one_line not in email.validators:
            email.validators.append(validate_email_one_line)
