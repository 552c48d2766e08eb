from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    """The agreement: its text and actions, approvals, follow-up review and referrer summary."""

    name = "agreements"
    verbose_name = _("Agreements")

    def ready(self) -> None:
        # Guards, the follow-up after-step and the case page's agreement panel: the places
        # where the case lifecycle reaches this app (cases/lifecycle.py lists them).
        from agreements import case_hooks  # noqa: PLC0415 - only once the models are loaded

        case_hooks.register()
