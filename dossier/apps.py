from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    """The dossier over time: retention per record class, legal holds and destruction lists."""

    name = "dossier"
    verbose_name = _("Dossier and retention")

    def ready(self) -> None:
        from dossier import case_hooks  # noqa: PLC0415 - only once the models are loaded

        case_hooks.register()
