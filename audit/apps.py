from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The tamper-evident audit trail."""

    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        # Connects the login receivers; imported only now, when the models are ready.
        from audit import receivers  # noqa: F401, PLC0415
