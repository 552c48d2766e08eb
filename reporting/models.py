"""The report's figures, counted ahead (issue 19, point 6): the report reads a bounded number
of tallies, not every case, so its time does not grow with the number of cases.

A tally is one count of one measure: how many cases are in a status, closed with an outcome, how
many sessions were held, how many cases took a given number of days from referral to intake,
and so on (`reporting.tallies` lists the measures). The finest tallies are per referral month,
kind, referring organisation and referring coordinator (a "key", level `kor`). Coarser ones are
kept beside them so that the report reads only what its filters need:

- a *level* keeps some of the three dimensions and adds up the others: level `ko` is per kind
  and organisation over every coordinator, `r` per coordinator over every kind and
  organisation, `""` everything; a dimension a level does not keep is stored as 0 or "";
- a *span* is a month or a calendar year: a year's tallies add up its months'.

- the levels without the coordinator (`RUNNING_LEVELS`) also keep *running totals*, span
  `upto`: the tallies of every year up to and including `start`'s. A run of whole years Y1..Y2
  is then the running totals of Y2 less those of Y1 - 1, two sets whatever its length. Each
  group (a kind, an organisation, both or neither) has them for each year in which it has
  tallies; for a year without, the latest before it holds. Ten yearly sets would add up the
  days from referral to each step ten times over, and the number of distinct days grows with
  the cases; the running totals hold each distinct day once.

A supervisor's report over ten years without filters reads the running totals of level `""`
(one or two sets), plus the counts per kind (`k`) and per organisation (`o`) for its tables
from their yearly status tallies (a few rows per year); a coordinator's reads the yearly
levels with `r` (a coordinator's own referrals are few; running totals per coordinator would
keep a copy of every earlier year's days in every later year).

A change to a case, its status history, sessions, reviews or survey answers marks its key as
stale (`ReportStale`, from signals); the report and the worker count stale keys again from the
cases, and add the coarser levels up again, before they are read. `manage.py reporting_rebuild`
counts everything again (after a bulk load that sent no signals).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The levels, by the dimensions they keep: k(ind), o(rganisation), r(eferrer).
BASE_LEVEL = "kor"
LEVELS = ("kor", "ko", "kr", "or", "k", "o", "r", "")
# The levels that also keep running totals over the years (span `upto`): a supervisor's.
RUNNING_LEVELS = ("ko", "k", "o", "")


class Span(models.TextChoices):
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    UPTO = "upto", _("every year up to this one")


class ReportTally(models.Model):
    level = models.CharField(_("level"), max_length=3, blank=True)
    span = models.CharField(_("span"), max_length=5, choices=Span.choices)
    start = models.DateField(
        _("start"),
        help_text=_("The first day of the month or year (running totals: of their last year)."),
    )
    kind_id = models.IntegerField(_("kind of case"), help_text=_("0: every kind."))
    organisation = models.CharField(_("referring organisation"), max_length=200, blank=True)
    referrer_id = models.IntegerField(_("referred by"), help_text=_("0: every coordinator."))
    measure = models.CharField(_("measure"), max_length=30)
    value = models.CharField(_("value"), max_length=30, blank=True)
    count = models.BigIntegerField(_("count"))

    class Meta:
        verbose_name = _("report tally")
        verbose_name_plural = _("report tallies")
        constraints = [
            # Also the index the report reads by: a level, a coordinator (or all), a period.
            models.UniqueConstraint(
                fields=[
                    "level",
                    "referrer_id",
                    "span",
                    "start",
                    "kind_id",
                    "organisation",
                    "measure",
                    "value",
                ],
                name="one_tally_per_level_key_measure_and_value",
            )
        ]
        indexes = [
            # The cases per kind and per organisation, and the organisation filter's list, read
            # one measure (`status`) of a level's years: without it they pass every day count
            # of every kind or organisation of those years (bench measure 9).
            models.Index(
                fields=["level", "referrer_id", "span", "measure", "start"],
                name="tally_measure_idx",
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.level or '-'} {self.span} {self.start:%Y-%m} "
            f"{self.kind_id}/{self.organisation}/{self.referrer_id} "
            f"{self.measure}={self.value}: {self.count}"
        )


class ReportStale(models.Model):
    """A key whose tallies must be counted again before they are read."""

    month = models.DateField(_("month"))
    kind_id = models.IntegerField(_("kind of case"))
    organisation = models.CharField(_("referring organisation"), max_length=200)
    referrer_id = models.IntegerField(_("referred by"))
    marked_at = models.DateTimeField(_("marked at"))

    class Meta:
        verbose_name = _("stale report key")
        verbose_name_plural = _("stale report keys")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kind_id", "organisation", "referrer_id"],
                name="one_stale_mark_per_coordinator_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}/{self.kind_id}/{self.organisation}/{self.referrer_id}"
