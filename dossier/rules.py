"""How long each record class of a case is kept, and why: the one place that says so.

Record classes (the register of processing, `dossier/register.py`, states them too):
- working notes: the mediators' own, not part of the dossier; destroyed a grace period after the
  case closes (TAFEL_RETENTION_WORKING_NOTES_DAYS, default 30);
- the dossier (dossier records, documents, the agreement with its versions, actions, reviews and
  approvals, sessions) and the parties' contact details with it: kept TAFEL_RETENTION_DOSSIER_YEARS
  (default 5, never less) after the end date, which also outlasts the complaint periods
  (12 months, complaints body; 18 months, disciplinary board);
- the audit trail: ids only, kept whole (TAFEL_RETENTION_AUDIT_YEARS is what the register
  states; Tafel removes no events, so `verify_audit` proves the whole chain).
A case kind may have its own rule (`RetentionPolicy`); a legal hold stops every clock.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cases.models import Case, Outcome
from dossier.models import RecordClass, RetentionPolicy


@dataclass(frozen=True)
class Rule:
    working_notes_days: int
    dossier_years: int
    basis: str = ""


def default_rule() -> Rule:
    return Rule(
        working_notes_days=settings.TAFEL_RETENTION_WORKING_NOTES_DAYS,
        dossier_years=settings.TAFEL_RETENTION_DOSSIER_YEARS,
    )


def rules_by_kind() -> dict[int, Rule]:
    """Every kind's own rule, in one query; kinds without one follow `default_rule()`."""
    return {
        policy.kind_id: Rule(policy.working_notes_days, policy.dossier_years, policy.basis)
        for policy in RetentionPolicy.objects.all()
    }


def rule_for_kind(kind_id: int) -> Rule:
    """The rule of one kind of case: its own, or the defaults."""
    policy = RetentionPolicy.objects.filter(kind_id=kind_id).first()
    if policy is None:
        return default_rule()
    return Rule(policy.working_notes_days, policy.dossier_years, policy.basis)


def add_years(day: date, years: int) -> date:
    """The same date `years` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def kept_until(record_class: str, ended_on: date, rule: Rule) -> date:
    """The last day the records are kept; they may be proposed for destruction the day after."""
    if record_class == RecordClass.WORKING_NOTES:
        return ended_on + timedelta(days=rule.working_notes_days)
    return add_years(ended_on, rule.dossier_years)


def basis_text(record_class: str, ended_on: date, rule: Rule) -> str:
    """Why the records may go, for the destruction list (in the active language)."""
    values = {
        "date": date_format(ended_on, "j F Y"),
        "days": rule.working_notes_days,
        "years": rule.dossier_years,
    }
    if record_class == RecordClass.WORKING_NOTES:
        text = _("Working notes: %(days)s days after the end on %(date)s.") % values
    else:
        text = (
            _("Dossier: %(years)s years after the end on %(date)s (civil code art. 7:412).")
            % values
        )
    return f"{text} {rule.basis}".strip()


@dataclass(frozen=True)
class ClassRetention:
    """One line of the case page's retention panel."""

    label: str
    until: date | None
    why: str
    destroyed_on: date | None = None


def case_retention(case: Case, rule: Rule, *, held: bool) -> list[ClassRetention]:
    """Until when each record class of `case` is kept, and why."""
    ended = case.ended_on if case.outcome in Outcome.values else None
    days, years = rule.working_notes_days, rule.dossier_years
    hold = _(" A legal hold keeps everything until it is lifted.") if held else ""
    if ended is None:
        notes_until = dossier_until = audit_until = None
        notes_why = _("Kept while the case runs; destroyed %(days)s days after it closes.") % {
            "days": days
        }
        dossier_why = _(
            "Kept while the case runs, then %(years)s years after it ends (civil code art. "
            "7:412 and the MfN register: at least 5 years, past the complaint periods of 12 "
            "and 18 months)."
        ) % {"years": years}
    else:
        notes_until = kept_until(RecordClass.WORKING_NOTES, ended, rule)
        dossier_until = kept_until(RecordClass.DOSSIER, ended, rule)
        notes_why = _(
            "Working notes are the mediators' own, not part of the dossier: destroyed "
            "%(days)s days after the end."
        ) % {"days": days}
        dossier_why = _(
            "%(years)s years after the end (civil code art. 7:412 and the MfN register: at "
            "least 5 years, past the complaint periods of 12 and 18 months)."
        ) % {"years": years}
    audit_years = settings.TAFEL_RETENTION_AUDIT_YEARS
    audit_until = add_years(ended, audit_years) if ended else None
    basis = f" {rule.basis}" if rule.basis else ""
    return [
        ClassRetention(
            _("Working notes"), notes_until, notes_why + hold, case.working_notes_destroyed_on
        ),
        ClassRetention(
            _("Dossier: records, documents, agreement, sessions"),
            dossier_until,
            dossier_why + basis + hold,
            case.dossier_destroyed_on,
        ),
        ClassRetention(
            _("Contact details of the parties"),
            dossier_until,
            _("With the dossier.") + hold,
            case.dossier_destroyed_on,
        ),
        ClassRetention(
            _("Audit trail"),
            audit_until,
            _(
                "At least %(years)s years after the end; it holds ids, no content, and stays "
                "whole so that the chain can be verified."
            )
            % {"years": audit_years},
        ),
    ]
