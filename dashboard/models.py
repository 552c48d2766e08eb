"""What the home remembers of a user: when they were last there ("what changed since")."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Visits closer together than this are one visit: reloading the home keeps the changes shown.
SAME_VISIT = timedelta(minutes=30)


class HomeVisit(models.Model):
    """A user's visits to their home: the one before this one bounds "changed since"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="home_visit",
    )
    previous_at = models.DateTimeField(
        _("visit before"),
        null=True,
        blank=True,
        help_text=_("Changes after this moment are shown as new; empty on the first visit."),
    )
    latest_at = models.DateTimeField(_("latest visit"), default=timezone.now)

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.latest_at:%Y-%m-%d %H:%M}"
