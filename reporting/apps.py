from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    """Figures for municipalities and supervisors: counts and durations, never content."""

    name = "reporting"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Changes to cases, their history, sessions and reviews mark the report's counts stale;
        # the worker counts them again every minute (reporting/models.py says how).
        from mediation.jobs import register_periodic_job  # noqa: PLC0415 - models first
        from reporting import signals, tallies  # noqa: PLC0415 - models first

        signals.connect()
        register_periodic_job("report tallies", tallies.tallies_refresh_all, every_seconds=60)
