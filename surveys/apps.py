from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """The satisfaction survey each party gets when its case closes; answers are anonymous."""

    name = "surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        # Closing a case sends the survey, and the case page shows its panel (cases/hooks.py).
        from surveys import case_hooks  # noqa: PLC0415 - only once the models are loaded

        case_hooks.register()
