"""Template helpers for the participant list on the case page."""

from dataclasses import dataclass, field

from django import template

from parties.languages import language_name
from parties.models import ParticipantRole, Participation

register = template.Library()

# Parties first, then the people who speak or come with them.
_ROLE_ORDER = {role: position for position, role in enumerate(ParticipantRole.values)}


@dataclass
class ParticipantOverview:
    """The case's participants split for display, with what the sessions must provide."""

    active: list[Participation] = field(default_factory=list)
    removed: list[Participation] = field(default_factory=list)
    interpreter_languages: list[str] = field(default_factory=list)
    step_free_count: int = 0

    @property
    def has_session_needs(self) -> bool:
        return bool(self.interpreter_languages or self.step_free_count)


@register.simple_tag
def participant_overview(participations) -> ParticipantOverview:
    """Split `participation_list(..., include_removed=True)` without further queries."""
    overview = ParticipantOverview()
    for participation in participations:
        if participation.removed_at is None:
            overview.active.append(participation)
        else:
            overview.removed.append(participation)
    overview.active.sort(key=lambda participation: _ROLE_ORDER.get(participation.role, 99))
    parties = [participation.party for participation in overview.active]
    # The languages are sealed (parties.needs): opened only for those the flag says need one.
    languages = {
        party.interpreter_language
        for party in parties
        if party.needs_interpreter and party.interpreter_language
    }
    overview.interpreter_languages = sorted(language_name(code) for code in languages)
    overview.step_free_count = sum(1 for party in parties if party.needs_step_free_access)
    return overview


@register.filter
def language(code: str) -> str:
    """`{{ party.interpreter_language|language }}`: the language's name, translated."""
    return language_name(code)
