from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    """Sessions, calendar invites and the email outbox."""

    name = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        # Guards, after-steps and case page panels: the places where the lower layers reach
        # this app (cases/hooks.py lists them).
        from scheduling import case_hooks  # noqa: PLC0415 - only once the models are loaded

        case_hooks.register()
