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

        # An administrator holds no case role, by whatever route its groups or flags change.
        from django.contrib.auth import get_user_model  # noqa: PLC0415 - models first
        from django.db.models.signals import m2m_changed, pre_save  # noqa: PLC0415

        from cases.services import roles  # noqa: PLC0415 - models first

        user_model = get_user_model()
        m2m_changed.connect(
            roles.admin_role_guard, sender=user_model.groups.through, dispatch_uid="admin_role"
        )
        pre_save.connect(roles.admin_flag_guard, sender=user_model, dispatch_uid="admin_flag")
