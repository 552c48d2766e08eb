from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossierConfig(AppConfig):
    """The dossier over time: retention per record class, legal holds and destruction lists."""

    name = "dossier"
    verbose_name = _("Dossier and retention")

    def ready(self) -> None:
        # The case page's panel and the worker's job (cases/hooks.py, mediation/jobs.py), and
        # the audit trail's names for the erasure's counts.
        from dossier import audit_labels, case_hooks  # noqa: PLC0415 - models first

        case_hooks.register()
        audit_labels.register()
