"""The report's figures, counted ahead (issue 19, point 6): the report reads a few thousand
tallies, not every case, so its time does not grow with the number of cases.

A tally is one count of one measure for the cases referred in one month, of one kind, by one
organisation (a "key"): how many are in a status, closed with an outcome, how many sessions
were held, how many days it took from referral to intake, and so on (`reporting.tallies`
lists the measures). A change to a case, its status history, its sessions or its reviews marks
its key as stale (`ReportStale`, from signals); the report and the worker count stale keys
again from the cases before they are read. `manage.py reporting_rebuild` counts everything
again (after a bulk load that sent no signals).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportTally(models.Model):
    month = models.DateField(_("month"), help_text=_("The first day of the referral month."))
    kind_id = models.IntegerField(_("kind of case"))
    organisation = models.CharField(_("referring organisation"), max_length=200)
    measure = models.CharField(_("measure"), max_length=30)
    value = models.CharField(_("value"), max_length=30, blank=True)
    count = models.BigIntegerField(_("count"))

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind_id", "organisation", "measure", "value"],
                name="one_tally_per_key_measure_and_value",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}/{self.kind_id}/{self.measure}={self.value}: {self.count}"


class ReportStale(models.Model):
    """A key whose tallies must be counted again before they are read."""

    month = models.DateField(_("month"))
    kind_id = models.IntegerField(_("kind of case"))
    organisation = models.CharField(_("referring organisation"), max_length=200)
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("stale report key")
        verbose_name_plural = _("stale report keys")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind_id", "organisation"], name="one_stale_mark_per_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}/{self.kind_id}/{self.organisation}"
