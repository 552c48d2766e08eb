"""When something last happened on a case: the supervisor's "no activity for N days" list."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseActivity(models.Model):
    """The latest event of a case's audit trail that was not only a read, and whether the case
    is open. Written only under the audit chain's lock (`cases.activity`), so it needs no lock of
    its own; kept apart from the case row, which the lifecycle locks in the other order.
    """

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="activity",
    )
    last_at = models.DateTimeField(
        _("last activity"),
        default=timezone.now,
        help_text=_("The latest change on the case by anyone: reading alone does not count."),
    )
    is_open = models.BooleanField(
        _("open"), default=True, help_text=_("False once the case is closed; again on reopening.")
    )

    class Meta:
        verbose_name = _("case activity")
        verbose_name_plural = _("case activity")
        indexes = [
            # The supervisor's list: open cases, the longest quiet first.
            models.Index(
                fields=["last_at"], name="case_activity_open_idx", condition=models.Q(is_open=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.last_at:%Y-%m-%d %H:%M}"
