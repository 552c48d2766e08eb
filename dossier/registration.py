"""The mediator's registration report: what a registered mediator shows the MfN register
(Mediatorsfederatie Nederland) every three years, counted from Tafel's own records.

The register asks, per three years: at least 9 mediations, at least 36 contact hours, at least 3
mediations with a written agreement, and at most 3 of the mediations as co-mediator. Tafel reads
these rules as follows (written down here because each could be read another way):

- **A mediation** is a case the mediator is on (as lead or co-mediator) that *ended* in the
  period (`Case.ended_on`, both ends of the period included) and had at least one *held*
  session. A referral declined, or withdrawn before anyone met, is not a mediation; a case still
  open is not counted yet (it counts in the period it ends in). The role is the case's current
  one: Tafel keeps the lead and the co-mediators, not who held which role when.
- **Co-mediations** are the mediations where the mediator was co-mediator, not lead. "At most 3
  as co-mediator" is a cap, not a failure: co-mediations beyond the third do not count towards
  the 9 (they are shown, and do no harm).
- **Contact hours** are the recorded durations of the held sessions the mediator attended
  (`scheduling.selectors.contact_minutes_per_mediator`): a session counts in the period it
  started in, whatever the case's state, and a planned or cancelled session never counts. All of
  them count, also those of co-mediations beyond the cap: the hours were spent.
- **A written agreement** is a mediation that ended with full or partial agreement and whose
  agreement's current version was approved (signed on paper, by email or through the link);
  the lifecycle lets a case reach that outcome only after every party approved. Of the
  co-mediations with one, at most 3 count, as for the mediations themselves (the register lets
  the mediator choose which co-mediations to report, so Tafel picks those with an agreement).
- **Outcomes** are counted over all the mediations in the period.

Everything is read with a fixed number of queries (two), whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import BooleanField, Exists, OuterRef, Q, Value, When
from django.db.models import Case as When_
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Approval, ApprovalDecision
from audit.models import AuditAction
from audit.services import audit_record
from cases.models import Case, CaseStatus, Outcome
from dossier.rules import add_years
from mediation.types import User
from scheduling.models import Session, SessionStatus
from scheduling.selectors import contact_minutes_per_mediator

# The MfN register's minimums per period of three years.
PERIOD_YEARS = 3
MIN_MEDIATIONS = 9
MIN_CONTACT_HOURS = 36
MIN_WRITTEN_AGREEMENTS = 3
MAX_CO_MEDIATIONS = 3

AGREED = (Outcome.FULL_AGREEMENT, Outcome.PARTIAL_AGREEMENT)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last three years up to today: from the day after the same date three years ago."""
    end = today or timezone.localdate()
    return add_years(end, -PERIOD_YEARS) + timedelta(days=1), end


@dataclass(frozen=True)
class Mediation:
    """One mediation of the period, as the report lists it."""

    case_id: int
    reference: str
    ended_on: date
    outcome: str
    outcome_label: str
    as_lead: bool
    written_agreement: bool


@dataclass(frozen=True)
class Minimum:
    """One of the register's requirements, with the mediator's figure against it."""

    code: str
    label: str
    required: str
    figure: int
    met: bool
    note: str = ""


@dataclass
class RegistrationReport:
    mediator: User
    start: date
    end: date
    mediations: list[Mediation]
    contact_minutes: int
    outcomes: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def lead_count(self) -> int:
        return sum(1 for m in self.mediations if m.as_lead)

    @property
    def co_count(self) -> int:
        return sum(1 for m in self.mediations if not m.as_lead)

    @property
    def co_counted(self) -> int:
        """Co-mediations that count towards the minimum: at most three."""
        return min(self.co_count, MAX_CO_MEDIATIONS)

    @property
    def mediations_counted(self) -> int:
        return self.lead_count + self.co_counted

    @property
    def written_agreements(self) -> int:
        """All mediations of the period with a written agreement."""
        return sum(1 for m in self.mediations if m.written_agreement)

    @property
    def written_agreements_counted(self) -> int:
        lead = sum(1 for m in self.mediations if m.as_lead and m.written_agreement)
        co = sum(1 for m in self.mediations if not m.as_lead and m.written_agreement)
        return lead + min(co, MAX_CO_MEDIATIONS)

    @property
    def contact_hours(self) -> int:
        """Whole contact hours (rounded down: the register asks for at least 36 full hours)."""
        return self.contact_minutes // 60

    @property
    def minimums(self) -> list[Minimum]:
        co_note = (
            _("%(beyond)d co-mediations beyond the third do not count.")
            % {"beyond": self.co_count - MAX_CO_MEDIATIONS}
            if self.co_count > MAX_CO_MEDIATIONS
            else ""
        )
        return [
            Minimum(
                "mediations",
                _("Mediations"),
                _("at least %(count)d") % {"count": MIN_MEDIATIONS},
                self.mediations_counted,
                self.mediations_counted >= MIN_MEDIATIONS,
                co_note,
            ),
            Minimum(
                "contact_hours",
                _("Contact hours"),
                _("at least %(count)d") % {"count": MIN_CONTACT_HOURS},
                self.contact_hours,
                self.contact_minutes >= MIN_CONTACT_HOURS * 60,
            ),
            Minimum(
                "written_agreements",
                _("Mediations with a written agreement"),
                _("at least %(count)d") % {"count": MIN_WRITTEN_AGREEMENTS},
                self.written_agreements_counted,
                self.written_agreements_counted >= MIN_WRITTEN_AGREEMENTS,
            ),
            Minimum(
                "co_mediations",
                _("Co-mediations counted"),
                _("at most %(count)d") % {"count": MAX_CO_MEDIATIONS},
                self.co_counted,
                True,  # a cap: what lies beyond it is not counted, it is no failure
                co_note,
            ),
        ]

    @property
    def all_met(self) -> bool:
        return all(minimum.met for minimum in self.minimums)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def registration_report(*, mediator: User, start: date, end: date) -> RegistrationReport:
    """The mediator's figures for the period `start`..`end` (both days included)."""
    held = Session.objects.filter(case=OuterRef("pk"), status=SessionStatus.HELD)
    approved = Approval.objects.filter(
        agreement__case=OuterRef("pk"),
        decision=ApprovalDecision.APPROVED,
        version=OuterRef("agreement__version"),
    )
    rows = (
        Case.objects.filter(
            Q(lead_mediator=mediator) | Q(co_mediators=mediator),
            status=CaseStatus.CLOSED,
            ended_on__gte=start,
            ended_on__lte=end,
        )
        .filter(Exists(held))
        .annotate(
            as_lead=When_(
                When(lead_mediator=mediator, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            written=When_(
                When(Q(outcome__in=AGREED) & Exists(approved), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("ended_on", "reference")
        .distinct()
        .values_list("pk", "reference", "ended_on", "outcome", "as_lead", "written")
    )
    labels = {value: str(label) for value, label in Outcome.choices}
    mediations = [
        Mediation(pk, reference, ended_on, outcome, labels.get(outcome, outcome), lead, written)
        for pk, reference, ended_on, outcome, lead, written in rows
    ]
    minutes = contact_minutes_per_mediator(
        since=_day_start(start), until=_day_start(end + timedelta(days=1)), user_ids=[mediator.pk]
    ).get(mediator.pk, 0)
    outcomes = [
        (value, labels[value], sum(1 for m in mediations if m.outcome == value))
        for value in Outcome.values
    ]
    return RegistrationReport(
        mediator=mediator,
        start=start,
        end=end,
        mediations=mediations,
        contact_minutes=minutes,
        outcomes=[row for row in outcomes if row[2]],
    )


def registration_report_record(
    *, report: RegistrationReport, actor: User, exported: bool = False
) -> None:
    """Audit that `actor` read (or downloaded) `report`: whose, and which period."""
    audit_record(
        action=(
            AuditAction.REGISTRATION_REPORT_EXPORTED
            if exported
            else AuditAction.REGISTRATION_REPORT_VIEWED
        ),
        actor=actor,
        target=report.mediator,
        details={"start": report.start.isoformat(), "end": report.end.isoformat()},
    )
