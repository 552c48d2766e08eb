from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The working day: each role's home, the mediator's to-do list and the board of cases."""

    name = "dashboard"
    verbose_name = _("Working day")
