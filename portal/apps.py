from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    """Each participant's own page: sessions, answers, the agreement and their details."""

    name = "portal"
    verbose_name = _("Personal pages")
