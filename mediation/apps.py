from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    """The project's own app: roles, the landing page, demo data and shared templates."""

    name = "mediation"
    verbose_name = _("Tafel")
