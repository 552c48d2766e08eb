from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Cases: referral, lifecycle and per-case permissions."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import audit_labels, guards, hooks  # noqa: PLC0415 - models loaded first

        hooks.register_guard("accept", guards.accept_problems)
        audit_labels.register()
