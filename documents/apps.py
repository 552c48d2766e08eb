from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Documents on a case: files sealed in chunks under the case's data key."""

    name = "documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        # The case page's panel and the consent page's link (cases/hooks.py, parties/hooks.py),
        # and the audit trail's names for documents.
        from documents import audit_labels, case_hooks  # noqa: PLC0415 - models first

        case_hooks.register()
        audit_labels.register()
