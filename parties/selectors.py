"""Reading parties: consent checks, duplicate suggestions and conflict-of-interest matches."""

from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from cases.models import Case
from mediation.keys import blind_index
from mediation.types import User
from parties.matching import names_match, normalise, normalise_email, search_key
from parties.models import ParticipantRole, Participation, ParticipationQuerySet, Party

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
    """A participant of this case who looks like someone in another case of the mediator."""

    participant: str
    other_case_id: int
    other_case_reference: str
    other_participant: str
    reason: str


def conflict_matches(*, case: Case, mediator: User) -> list[ConflictMatch]:
    """Search the mediator's current and past cases for this case's participants."""
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
            reason = _match_reason(mine.party, other.party)
            if reason:
                matches.append(
                    ConflictMatch(
                        participant=mine.party.name,
                        other_case_id=other.case_id,
                        other_case_reference=other.case.reference,
                        other_participant=other.party.name,
                        reason=reason,
                    )
                )
    return sorted(matches, key=lambda m: (m.participant, m.other_case_reference))


def _match_reason(mine: Party, other: Party) -> str:
    if mine.pk == other.pk:
        return _("the same person or organisation")
    if mine.email_index and mine.email_index == other.email_index:
        return _("the same email address")
    if names_match(mine.name, other.name):
        return _("a similar name")
    if mine.organisation_normalised and mine.organisation_normalised in (
        other.organisation_normalised,
        other.name_normalised,
    ):
        return _("the same organisation")
    if other.organisation_normalised and other.organisation_normalised == normalise(mine.name):
        return _("the same organisation")
    return ""
