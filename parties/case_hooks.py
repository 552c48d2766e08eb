"""What `parties` registers with the case lifecycle (`cases.hooks`) at start-up."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit import labels
from cases import hooks
from cases.models import Case
from cases.permissions import CaseAccess
from mediation.types import User
from parties.models import ParticipantRole, Participation, Party
from parties.selectors import (
    conflict_matches,
    consent_problems,
    participation_list,
    referral_parties,
)


def start_sessions_problems(case: Case) -> list[str]:
    """At least two parties, each with consent; everyone else present signed confidentiality."""
    return consent_problems(case=case)


def participants_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The case page's participants, with contact details: for the case's mediators only."""
    if not access.manage_parties:
        return None
    return {
        "case": case,
        "participations": participation_list(case=case, include_removed=True),
        "can_manage_parties": True,
    }


def referral_panel(*, case: Case, user: User, access: CaseAccess) -> dict[str, Any] | None:
    """The referring coordinator reads back their own referral: reason, urgency, the parties
    they named. Nothing the mediators added (notes, contact details, later participants)."""
    if not access.is_referrer or access.sees_case_details:
        return None  # mediators and supervisors see the referral in the case's own section
    return {"case": case, "parties": referral_parties(case=case)}


def _ids(ids: Sequence[str]) -> list[int]:
    return [int(identifier) for identifier in ids if identifier.isdigit()]


def participation_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    """ "Participant: <name> (<role>)" for the case's mediators; for anyone else (a supervisor)
    the role and the case only, as the case page shows them no party names either."""
    rows = Participation.objects.filter(pk__in=_ids(ids)).values_list(
        "pk", "role", "party__name", "case__reference"
    )
    found = {}
    for pk, role, name, reference in rows:
        role_label = ParticipantRole(role).label
        if show_names:
            found[str(pk)] = _("Participant: %(name)s (%(role)s)") % {
                "name": name,
                "role": role_label,
            }
        else:
            found[str(pk)] = _("Participant (%(role)s) in %(reference)s") % {
                "role": role_label,
                "reference": reference,
            }
    return found


def party_labels(ids: Sequence[str], show_names: bool) -> dict[str, str]:
    """A party by name for the case's mediators, else only as "Party"."""
    if not show_names:
        return {identifier: _("Party") for identifier in ids}
    rows = Party.objects.filter(pk__in=_ids(ids)).values_list("pk", "name")
    return {str(pk): _("Party: %(name)s") % {"name": name} for pk, name in rows}


def register_audit_labels() -> None:
    participation = labels.model_label(Participation)
    labels.register_target_label(participation, participation_labels)
    labels.register_target_label(labels.model_label(Party), party_labels)
    labels.register_detail(
        "participation", name=gettext_lazy("participant"), target_type=participation
    )
    labels.register_detail("owner", name=gettext_lazy("who does it"), target_type=participation)
    labels.register_detail(
        "party", name=gettext_lazy("party"), target_type=labels.model_label(Party)
    )
    labels.register_detail("role", name=gettext_lazy("role"), values=dict(ParticipantRole.choices))
    labels.register_detail(
        "kind",
        values={
            "consent": gettext_lazy("mediation agreement"),
            "confidentiality": gettext_lazy("confidentiality statement"),
        },
    )


def register() -> None:
    register_audit_labels()
    hooks.register_guard("start_sessions", start_sessions_problems)
    hooks.register_conflict_matcher(conflict_matches)
    hooks.register_case_section(
        hooks.CaseSection(
            name="referral",
            template="parties/partials/_referral_panel.html",
            position=40,
            context=referral_panel,
        )
    )
    hooks.register_case_section(
        hooks.CaseSection(
            name="participants",
            template="parties/partials/_case_panel.html",
            position=50,
            context=participants_panel,
            title=gettext_lazy("Participants"),
        )
    )
