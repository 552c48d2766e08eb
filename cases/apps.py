from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Cases: referral, lifecycle and per-case permissions."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import guards, hooks  # noqa: PLC0415 - only once the models are loaded

        hooks.register_guard("accept", guards.accept_problems)
