from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ZgwConfig(AppConfig):
    """The case as a zaak in a municipality's Zaken API (ZGW): status and outcome only."""

    name = "zgw"
    verbose_name = _("Zaken API (ZGW)")

    def ready(self) -> None:
        from zgw import case_hooks  # noqa: PLC0415 - only once the models are loaded

        case_hooks.register()
