from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    """Letters to print for parties who hear from us by post."""

    name = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        # The case page's panel (cases/hooks.py).
        from letters import case_hooks  # noqa: PLC0415 - models first

        case_hooks.register()
