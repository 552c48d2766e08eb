from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    """Parties of a case: people, groups, government bodies and their representatives."""

    name = "parties"
    verbose_name = _("Parties")
