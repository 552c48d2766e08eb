"""A personal page for one demo party, made as its mediator makes one, so that the page can be
tried without email: `demo_data` prints its link."""

from cases.models import Case, CaseStatus
from mediation.types import User
from parties.models import ParticipantRole
from parties.portal import portal_link_active, portal_link_make, portal_url


def demo_portal_ensure(users: dict[str, User], cases: list[Case]) -> str:
    """The link of the first party of the demo case in sessions (made once); "" without one."""
    in_sessions = next((case for case in cases if case.status == CaseStatus.SESSIONS), None)
    if in_sessions is None:
        return ""
    party = (
        in_sessions.participations.active()
        .filter(role=ParticipantRole.PARTY)
        .order_by("id")
        .first()
    )
    if party is None:
        return ""
    lead = in_sessions.lead_mediator or users["mediator"]
    link = portal_link_active(party) or portal_link_make(participation=party, actor=lead)
    return portal_url(link)
