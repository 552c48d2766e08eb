from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """The tamper-evident audit trail."""

    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from audit import receivers  # noqa: F401 - connects the login receivers
