from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DoctemplatesConfig(AppConfig):
    """Templates for letters and the agreement document: named fields, wording per
    organisation and language, and versions."""

    name = "doctemplates"
    verbose_name = _("Document templates")
