"""What a participant's personal page shows: only their own records, and their party's when
they represent one; never another participant's details, answers, approvals or notes."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseStatus
from cases.selectors import mediator_ids
from mediation.types import User
from parties.models import ParticipantRole, Participation
from scheduling.invites import plain_text, session_needs, session_title, when_text
from scheduling.models import Attendee, Session, SessionStatus

# The status of the case in plain words (B1), for the people in it.
STATUS_WORDS: dict[str, Promise] = {
    CaseStatus.REFERRED: _("Your mediation has been registered. A mediator will contact you soon."),
    CaseStatus.INTAKE: _(
        "Your mediator first talks with each party on their own. This is called the intake."
    ),
    CaseStatus.SESSIONS: _("The talks with the parties are going on."),
    CaseStatus.AGREEMENT: _("The parties are writing down what they agree on."),
    CaseStatus.FOLLOW_UP: _(
        "The parties are doing what they agreed. Later, your mediator asks how it is going."
    ),
    CaseStatus.CLOSED: _("The mediation has ended."),
}


@dataclass(frozen=True)
class ShownSession:
    """A session on the page: what, when, where, the arrangements, and whose answer."""

    session: Session
    title: str
    when: str
    place: str
    arrangements: list[str]
    mine: Attendee | None  # the visitor's own invitation: they can change its answer
    party: Attendee | None  # for a representative: their party's invitation (read only)

    @property
    def upcoming(self) -> bool:
        session = self.session
        return session.status == SessionStatus.PLANNED and session.ends_at > timezone.now()


def own_participations(participation: Participation) -> list[Participation]:
    """The visitor's participation, and the party's when the visitor represents it."""
    found = [participation]
    if participation.role == ParticipantRole.REPRESENTATIVE and participation.represents_id:
        represented = participation.represents
        if represented is not None and represented.removed_at is None:
            found.append(represented)
    return found


def portal_sessions(participation: Participation) -> list[ShownSession]:
    """The planned and held sessions the visitor (or their party) is invited to, in order."""
    mine_ids = {p.pk for p in own_participations(participation)}
    attendees = (
        Attendee.objects.filter(participation_id__in=mine_ids, removed_at__isnull=True)
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__case", "participation__party")
        .prefetch_related("session__attendees__participation__party")
        .order_by("session__starts_at", "id")
    )
    by_session: dict[int, dict] = {}
    for attendee in attendees:
        row = by_session.setdefault(attendee.session_id, {"session": attendee.session})
        key = "mine" if attendee.participation_id == participation.pk else "party"
        row[key] = attendee
    shown = []
    for row in by_session.values():
        session = row["session"]
        arrangements = session_needs(session)
        if session.accessibility_notes:
            arrangements.append(plain_text(session.accessibility_notes))
        shown.append(
            ShownSession(
                session=session,
                title=session_title(session),
                when=when_text(session),
                place=plain_text(session.place),
                arrangements=arrangements,
                mine=row.get("mine"),
                party=row.get("party"),
            )
        )
    return shown


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    is_lead: bool


def case_mediators(case: Case) -> list[Contact]:
    """How to reach the case's mediators: name and email address, the lead first."""
    users: list[User] = list(get_user_model().objects.filter(pk__in=mediator_ids(case=case)))
    contacts = [
        Contact(
            name=user.get_full_name() or user.get_username(),
            email=user.email,
            is_lead=user.pk == case.lead_mediator_id,
        )
        for user in users
    ]
    return sorted(contacts, key=lambda contact: (not contact.is_lead, contact.name))
