from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Cases: referral, lifecycle and per-case permissions."""

    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from audit.hooks import register_case_event  # noqa: PLC0415 - as below
        from cases import activity, audit_labels, guards, hooks  # noqa: PLC0415 - models first

        register_case_event(activity.case_activity_mark)

        hooks.register_guard("accept", guards.accept_problems)
        hooks.register_guard("reopen", guards.reopen_problems)
        audit_labels.register()
