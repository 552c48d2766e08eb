from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data: users for every role and cases in every state, made through the services."""

    name = "demo"
    verbose_name = _("Demo data")
