"""Reading parties: consent checks, duplicate suggestions and conflict-of-interest matches."""

import re
from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from audit.models import AuditAction, AuditEvent
from cases.models import Case
from mediation.keys import blind_index
from mediation.types import User
from parties.matching import names_match, normalise, normalise_email, search_key
from parties.models import (
    ParticipantRole,
    Participation,
    ParticipationQuerySet,
    Party,
    PartyKind,
)

SUGGESTION_LIMIT = 10
# Parties first, then the people who speak for or support them.
_ROLE_ORDER = SqlCase(
    *(When(role=role, then=Value(rank)) for rank, role in enumerate(ParticipantRole.values)),
    output_field=IntegerField(),
)
_PREFILTER_LIMIT = 500


def participation_list(*, case: Case, include_removed: bool = False) -> ParticipationQuerySet:
    """The case's participants, parties first, with their party and whom they represent."""
    participations = Participation.objects.filter(case=case).select_related(
        "party__key", "represents__party"
    )
    if not include_removed:
        participations = participations.active()
    return participations.order_by(
        F("removed_at").asc(nulls_first=True), _ROLE_ORDER, "added_at", "id"
    )


def consent_problems(*, case: Case) -> list[str]:
    """What stops the sessions from starting: too few parties, missing consent or statements."""
    participations = list(participation_list(case=case))
    parties = [p for p in participations if p.role == ParticipantRole.PARTY]
    problems = []
    if len(parties) < 2:
        problems.append(
            _("Add at least two parties (the case has %(count)d).") % {"count": len(parties)}
        )
    for participation in participations:
        name = participation.party.name
        if participation.consent_withdrawn_on:
            problems.append(
                _("%(name)s withdrew their consent on %(date)s.")
                % {"name": name, "date": participation.consent_withdrawn_on.strftime("%d-%m-%Y")}
            )
        elif participation.is_party and not participation.consent_signed_on:
            problems.append(
                _("Record the consent (signed mediation agreement) of %(name)s.") % {"name": name}
            )
        elif not participation.is_party and not participation.confidentiality_signed_on:
            problems.append(
                _("Record the confidentiality statement of %(name)s (%(role)s).")
                % {"name": name, "role": participation.get_role_display()}
            )
    return problems


def similar_parties(
    *, name: str, email: str = "", among: QuerySet[Party] | None = None
) -> list[Party]:
    """Existing parties that are probably the one being added (same email, or a similar name).

    `among` limits the search (for example to parties in cases the user may see).
    """
    candidates = Party.objects.all() if among is None else among
    key, email_index = search_key(name), blind_index(normalise_email(email))
    query = Q()
    if key:
        query |= Q(name_normalised__contains=key)
    if email_index:
        query |= Q(email_index=email_index)
    if not query:
        return []
    found = []
    for party in candidates.filter(query).order_by("name", "id")[:_PREFILTER_LIMIT]:
        if (email_index and party.email_index == email_index) or names_match(name, party.name):
            found.append(party)
            if len(found) == SUGGESTION_LIMIT:
                break
    return found


@dataclass(frozen=True)
class ConflictMatch:
    """A participant of this case who looks like someone in another case of the mediator.

    `organisation_only`: only the organisation is shared (another department of the same
    municipality, another person of the same organisation). That is information for the
    mediator, not a conflict: a mediator who worked with the housing department is not
    thereby partial in a case of the permits department.
    """

    participant: str
    other_case_id: int
    other_case_reference: str
    other_participant: str
    reason: str
    organisation_only: bool = False


def conflict_matches(*, case: Case, mediator: User) -> list[ConflictMatch]:
    """Search the mediator's current and past cases for this case's participants: the same
    person or department first, then (as information) the same organisation."""
    here = list(participation_list(case=case))
    if not here:
        return []
    others = (
        Participation.objects.filter(
            Q(case__lead_mediator=mediator) | Q(case__co_mediators=mediator)
        )
        .exclude(case=case)
        .select_related("party__key", "case")
        .distinct()
    )
    matches = []
    for other in others:
        for mine in here:
            found = _match_reason(mine.party, other.party)
            if found:
                reason, organisation_only = found
                matches.append(
                    ConflictMatch(
                        participant=mine.party.name,
                        other_case_id=other.case_id,
                        other_case_reference=other.case.reference,
                        other_participant=other.party.name,
                        reason=reason,
                        organisation_only=organisation_only,
                    )
                )
    # Conflicts first, then the organisation-level information (the template relies on it).
    return sorted(
        matches, key=lambda m: (m.organisation_only, m.participant, m.other_case_reference)
    )


# "Gemeente Utrecht, afdeling Wonen" names a body and its department in one.
_DEPARTMENT_IN_NAME = re.compile(r"\s*(?:,|\s-\s|\bafdeling\b|\bdepartment\b)\s*", re.I)
_DEPARTMENT_WORDS = {"afdeling", "department", "dienst", "team", "sector"}


def _body_and_department(party: Party) -> tuple[str, str]:
    """For a body or group: (the organisation, its department), normalised; a person's own
    name is not split. The department comes from the organisation field ("For a body: the
    department") or from the name ("Gemeente Utrecht, afdeling Wonen")."""
    parts = [part for part in _DEPARTMENT_IN_NAME.split(party.name) if part.strip()]
    body = normalise(parts[0]) if parts else party.name_normalised
    in_name = " ".join(normalise(part) for part in parts[1:])
    department = party.organisation_normalised or in_name
    words = [word for word in department.split() if word not in _DEPARTMENT_WORDS]
    return body, " ".join(words)


def _match_reason(mine: Party, other: Party) -> tuple[str, bool] | None:
    """Why two parties may be the same, and whether only their organisation is shared."""
    if mine.pk == other.pk:
        return _("the same person or organisation"), False
    if mine.email_index and mine.email_index == other.email_index:
        return _("the same email address"), False
    if PartyKind.PERSON in (mine.kind, other.kind):
        if mine.kind == other.kind and names_match(mine.name, other.name):
            return _("a similar name"), False
        return _same_organisation(mine, other)
    body, department = _body_and_department(mine)
    other_body, other_department = _body_and_department(other)
    if not names_match(body, other_body):
        return _same_organisation(mine, other)
    if department and other_department:
        if names_match(department, other_department):
            return _("the same department"), False
        return _("another department of the same organisation"), True
    if department or other_department:
        return _("the same organisation; one of them names no department"), True
    return _("a similar name"), False


def _same_organisation(mine: Party, other: Party) -> tuple[str, bool] | None:
    """A person's organisation that is the other's organisation or name: information only."""
    mine_names = {mine.organisation_normalised, _body_and_department(mine)[0]} - {""}
    other_names = {other.organisation_normalised, _body_and_department(other)[0]} - {""}
    if mine.kind == PartyKind.PERSON:
        mine_names.discard(mine.name_normalised)
    if other.kind == PartyKind.PERSON:
        other_names.discard(other.name_normalised)
    if mine_names & other_names:
        return _("the same organisation"), True
    return None


def referral_parties(*, case: Case) -> list[Participation]:
    """The parties the referring coordinator named in the referral (two queries).

    Found by the audit trail (the referrer added them): a representative, interpreter or party
    a mediator added later is not the referrer's to see, nor is a later removal.
    """
    named = AuditEvent.objects.filter(
        case_id=case.pk,
        action=AuditAction.PARTICIPANT_ADDED,
        actor_id=case.referred_by_id,
    ).values_list("target_id", flat=True)
    ids = [int(target) for target in named if target and target.isdigit()]
    return list(
        Participation.objects.filter(case=case, pk__in=ids, role=ParticipantRole.PARTY)
        .select_related("party")
        .order_by("added_at", "id")
    )
