from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API for municipal systems: referrals in, status and outcome out."""

    name = "api"
    verbose_name = _("API for municipal systems")

    def ready(self) -> None:
        # How the audit trail names API clients, and the token authentication's place in the
        # OpenAPI schema (drf-spectacular finds extensions by importing them).
        from api import audit_labels, schema, webhooks  # noqa: PLC0415 - models must be loaded
        from cases import hooks  # noqa: PLC0415 - it imports the case models
        from mediation.http_outbox import register_http_sender  # noqa: PLC0415 - same

        audit_labels.register()
        schema.register()
        # Each step of a client's referral is an event for its webhooks, sent and signed
        # through the HTTP outbox.
        hooks.register_after_every_step(webhooks.referral_step_announce)
        register_http_sender(webhooks.SENDER, webhooks.webhook_prepare)
