from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartiesConfig(AppConfig):
    """Parties of a case: people, groups, government bodies and their representatives."""

    name = "parties"
    verbose_name = _("Parties")

    def ready(self) -> None:
        # Guards, after-steps and case page panels: the places where the lower layers reach
        # this app (cases/hooks.py lists them).
        from parties import case_hooks  # noqa: PLC0415 - only once the models are loaded

        case_hooks.register()
