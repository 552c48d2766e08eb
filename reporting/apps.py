from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Figures for municipalities and supervisors: counts and durations, never content."""

    name = "reporting"
    verbose_name = _("Reports")
