from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    """Letters to print for parties who hear from us by post.

    Not in the admin, like documents: a letter's text is sealed and names people, and only the
    case's mediators read it, on the case.
    """

    name = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        # The case page's panel (cases/hooks.py).
        from letters import case_hooks  # noqa: PLC0415 - models first

        case_hooks.register()
