from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API for municipal systems: referrals in, status and outcome out."""

    name = "api"
    verbose_name = _("API for municipal systems")

    def ready(self) -> None:
        # How the audit trail names API clients, and the token authentication's place in the
        # OpenAPI schema (drf-spectacular finds extensions by importing them).
        from api import audit_labels, schema  # noqa: PLC0415 - only once the models are loaded

        audit_labels.register()
        schema.register()
