"""Demo accounts and cases for development and trying Tafel out.

Everything is created through the services, so the demo has a real audit trail and real
per-case permissions.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from cases.models import Case, CaseKind, CaseStatus, Declaration, NoteKind
from cases.services import (
    case_assign,
    case_transition,
    conflict_acceptance_record,
    conflict_declare,
    note_write,
)
from mediation.roles import Role
from mediation.types import User
from parties.models import ParticipantRole
from parties.services import consent_record, participation_add, party_create, referral_make
from scheduling.models import Rsvp, Session, SessionChannel, SessionKind
from scheduling.rsvp import rsvp_open, rsvp_token
from scheduling.services import rsvp_record, session_record, session_schedule

DEMO_PASSWORD = "demo"  # noqa: S105 - demo accounts exist only outside production mode


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    description: str


DEMO_ACCOUNTS = (
    DemoAccount("coordinator", "Carla", "de Vries", Role.COORDINATOR, "refers conflicts"),
    DemoAccount("mediator", "Mehmet", "Yilmaz", Role.MEDIATOR, "leads cases"),
    DemoAccount("comediator", "Sanne", "Bakker", Role.MEDIATOR, "co-mediates cases"),
    DemoAccount("supervisor", "Peter", "Jansen", Role.SUPERVISOR, "assigns mediators"),
    DemoAccount("outsider", "Olga", "Visser", Role.MEDIATOR, "has no cases: sees nothing"),
)


@transaction.atomic
def demo_accounts_ensure() -> dict[str, User]:
    """Create or reset the demo accounts; running it again changes nothing else."""
    user_model = get_user_model()
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    users: dict[str, User] = {}
    for account in DEMO_ACCOUNTS:
        user, _created = user_model.objects.update_or_create(
            username=account.username,
            defaults={
                "first_name": account.first_name,
                "last_name": account.last_name,
                "email": f"{account.username}@tafel.example",
                "is_active": True,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        user.groups.set([groups[account.role.value]])
        users[account.username] = user
    return users


DEMO_ADMIN = "admin"


@transaction.atomic
def demo_admin_ensure() -> User | None:
    """The demo administrator (`admin`, password `demo`) who configures case kinds in the admin;
    only in development (DEBUG): a known superuser password must never reach a real system."""
    if settings.PRODUCTION or not settings.DEBUG:
        return None
    user, _created = get_user_model().objects.update_or_create(
        username=DEMO_ADMIN,
        defaults={
            "email": f"{DEMO_ADMIN}@tafel.example",
            "is_active": True,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    user.groups.clear()  # a superuser holds no case role
    return user


def demo_kind(code: str) -> CaseKind:
    # The migration creates both kinds; a database that was emptied since gets them back.
    names = {
        "citizen_government": ("Burger en overheid", "Citizens and government"),
        "inter_group": ("Tussen groepen in de samenleving", "Between groups in society"),
    }
    name_nl, name_en = names[code]
    return CaseKind.objects.get_or_create(
        code=code, defaults={"name_nl": name_nl, "name_en": name_en}
    )[0]


@transaction.atomic
def demo_cases_ensure(users: dict[str, User]) -> list[Case]:
    """Create the demo cases, one in each state the lifecycle reaches, once."""
    coordinator, supervisor = users["coordinator"], users["supervisor"]
    mediator, comediator = users["mediator"], users["comediator"]
    existing = Case.objects.filter(referred_by=coordinator)
    if existing.exists():
        return list(existing)

    def refer(title, kind, reason, parties, **extra):
        return referral_make(
            referred_by=coordinator,
            kind=demo_kind(kind),
            title=title,
            referring_organisation="Gemeente Utrecht",
            referral_reason=reason,
            urgency=extra.pop("urgency", "normal"),
            safety_concern=extra.pop("safety_concern", False),
            woo_note=extra.pop("woo_note", ""),
            parties=parties,
        )

    def step(case, name, actor, reason=""):
        return case_transition(case=case, name=name, actor=actor, reason=reason)

    def consent_everyone(case):
        for participation in case.participations.active():
            consent_record(
                participation=participation,
                signed_on=timezone.localdate() - timedelta(days=3),
                signed_by=participation.party.name if participation.is_party else "",
                actor=mediator,
            )

    # 1. Referred, not yet assigned, with a safety concern: first in the supervisor's queue.
    urgent = refer(
        "Dreigende sfeer rond de moskee-uitbreiding",
        "inter_group",
        "Buurtbewoners en het moskeebestuur spreken elkaar alleen nog via sociale media; "
        "er zijn bedreigingen geuit.",
        [
            {"kind": "group", "name": "Bewonersvereniging Lombok-West"},
            {"kind": "group", "name": "Stichting Moskee Ulu"},
        ],
        urgency="high",
        safety_concern=True,
    )

    # 2. Referred and assigned; the mediators still have to declare.
    assigned = refer(
        "Geluidsoverlast en wantrouwen rond het evenemententerrein",
        "citizen_government",
        "Omwonenden voelen zich niet serieus genomen door de afdeling Vergunningen.",
        [
            {"kind": "person", "name": "Anouk Smit", "email": "anouk.smit@example.nl"},
            {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Vergunningen"},
        ],
        woo_note="Afgesproken dat gespreksverslagen niet onder een Woo-verzoek vallen.",
    )
    case_assign(case=assigned, lead=mediator, co_mediators=[], actor=supervisor)

    # 3. Intake: a resident and the housing department, with a representative and an
    # interpreter; the housing department's consent is still missing.
    intake = refer(
        "Onvrede over de toewijzing van sociale huurwoningen",
        "citizen_government",
        "Een bewoner voelt zich gediscrimineerd bij de woningtoewijzing en vertrouwt de "
        "gemeente niet meer.",
        [
            {
                "kind": "person",
                "name": "Yusuf Demir",
                "email": "yusuf.demir@example.nl",
                "preferred_language": "tr",
                "interpreter_language": "tr",
            },
            {
                "kind": "government",
                "name": "Gemeente Utrecht, afdeling Wonen",
                "email": "wonen@utrecht.example",
                "needs_step_free_access": True,
            },
        ],
    )
    case_assign(case=intake, lead=mediator, co_mediators=[comediator], actor=supervisor)
    conflict_declare(case=intake, mediator=mediator, declaration=Declaration.NO_CONFLICT)
    disclosure = conflict_declare(
        case=intake,
        mediator=comediator,
        declaration=Declaration.DISCLOSED,
        disclosure="Ik heb tot 2024 bij de afdeling Wonen gewerkt.",
    )
    conflict_acceptance_record(
        declaration=disclosure, accepted_on=timezone.localdate(), actor=mediator
    )
    intake = step(intake, "accept", mediator)
    resident = intake.participations.get(party__name="Yusuf Demir")
    consent_record(
        participation=resident,
        signed_on=timezone.localdate(),
        signed_by="Yusuf Demir",
        actor=mediator,
    )
    participation_add(
        case=intake,
        party=party_create(
            actor=mediator, kind="person", name="Mr. L. Bos", organisation="Juridisch Loket"
        ),
        role=ParticipantRole.REPRESENTATIVE,
        represents=resident,
        actor=mediator,
    )
    participation_add(
        case=intake,
        party=party_create(actor=mediator, kind="person", name="Elif Kaya"),
        role=ParticipantRole.INTERPRETER,
        actor=mediator,
    )

    # 4. Sessions: two neighbourhood groups, each with a representative.
    sessions = refer(
        "Spanningen tussen twee buurtgroepen over het buurthuis",
        "inter_group",
        "Twee groepen claimen hetzelfde buurthuis; de gemeente wordt door beide partijen "
        "partijdig gevonden.",
        [
            {"kind": "group", "name": "Stichting BuurtKracht Noord"},
            {"kind": "group", "name": "Jongerenplatform Overvecht"},
        ],
    )
    case_assign(case=sessions, lead=mediator, co_mediators=[comediator], actor=supervisor)
    for person in (mediator, comediator):
        conflict_declare(case=sessions, mediator=person, declaration=Declaration.NO_CONFLICT)
    sessions = step(sessions, "accept", mediator)
    # Rachid Amrani reads no email: everything for him becomes a letter to print.
    by_post = {"contact_channel": "post", "postal_address": "Zamenhofdreef 40\n3562 JV Utrecht"}
    for group_name, representative, contact in (
        ("Stichting BuurtKracht Noord", "Ingrid Mulder", {}),
        ("Jongerenplatform Overvecht", "Rachid Amrani", by_post),
    ):
        participation_add(
            case=sessions,
            party=party_create(actor=mediator, kind="person", name=representative, **contact),
            role=ParticipantRole.REPRESENTATIVE,
            represents=sessions.participations.get(party__name=group_name),
            actor=mediator,
        )
    consent_everyone(sessions)
    sessions = step(sessions, "start_sessions", mediator)

    note_write(
        case=intake,
        author=mediator,
        kind=NoteKind.WORKING,
        title="Intakegesprek met de heer Demir",
        body="De heer Demir voelt zich niet gehoord. Hij wil graag dat de tolk Turks spreekt "
        "en dat het gesprek op de begane grond plaatsvindt.",
    )
    note_write(
        case=sessions,
        author=comediator,
        kind=NoteKind.DOSSIER,
        title="Verslag eerste gezamenlijke bijeenkomst",
        body="Beide groepen willen het buurthuis op vaste avonden gebruiken. Afgesproken: "
        "een conceptrooster voor de volgende bijeenkomst.",
    )
    note_write(
        case=sessions,
        author=mediator,
        kind=NoteKind.WORKING,
        title="Voorbereiding tweede bijeenkomst",
        body="Let op de spreektijd: de jongeren kwamen de vorige keer weinig aan het woord.",
    )

    # 5. Closed: declined by the supervisor. 6. Closed: withdrawn during intake.
    declined = refer(
        "Burenruzie over een schutting",
        "citizen_government",
        "Twee buren verschillen van mening over een erfgrens.",
        [{"kind": "person", "name": "Kees Hendriks"}, {"kind": "person", "name": "Ria Hendriks"}],
        urgency="low",
    )
    step(declined, "decline", supervisor, "Geen conflict tussen burger en overheid of groepen.")
    withdrawn = refer(
        "Wantrouwen over de sluiting van het zwembad",
        "citizen_government",
        "Een zwemclub en de gemeente verschillen van mening over de sluiting.",
        [
            {"kind": "group", "name": "Zwemvereniging De Dolfijn"},
            {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Sport"},
        ],
    )
    case_assign(case=withdrawn, lead=comediator, co_mediators=[], actor=supervisor)
    conflict_declare(case=withdrawn, mediator=comediator, declaration=Declaration.NO_CONFLICT)
    withdrawn = step(withdrawn, "accept", comediator)
    step(withdrawn, "withdraw", comediator, "De zwemclub heeft de mediation beëindigd.")

    return [urgent, assigned, intake, sessions, declined, withdrawn]


def hold_joint_session(case: Case, mediator: User, *, days_ago: int, hours: int = 2):
    """Record a joint session in the past with every active participant and the mediator.

    Recorded afterwards: the services plan no session in the past with invites.
    """
    start = timezone.localtime().replace(hour=19, minute=0, second=0, microsecond=0)
    start -= timedelta(days=days_ago)
    return session_record(
        case=case,
        kind=SessionKind.JOINT,
        channel=SessionChannel.IN_PERSON,
        starts_at=start,
        duration_minutes=hours * 60,
        actor=mediator,
        place="Buurthuis De Boog, Utrecht",
        participations=list(case.participations.active()),
        mediators=[mediator],
    )


def demo_sessions_ensure(users: dict[str, User], cases: list[Case]) -> None:
    """Sessions on the demo cases: one held and one upcoming in sessions, an intake planned."""
    mediator = users["mediator"]
    in_sessions = next(case for case in cases if case.status == CaseStatus.SESSIONS)
    if Session.objects.filter(case=in_sessions).exists():
        return
    hold_joint_session(in_sessions, mediator, days_ago=7)
    start = timezone.localtime().replace(hour=19, minute=30, second=0, microsecond=0)
    # Tomorrow evening: one party already said it cannot come (through its answer link), so
    # the mediator's home has an invite to follow up.
    tomorrow = session_schedule(
        case=in_sessions,
        kind=SessionKind.JOINT,
        starts_at=start + timedelta(days=1),
        ends_at=start + timedelta(days=1, hours=2),
        actor=mediator,
        place="Buurthuis De Boog, Utrecht",
        step_free_access=True,
        participations=list(in_sessions.participations.active()),
    )
    declining = tomorrow.attendees.filter(participation__isnull=False).order_by("id").first()
    if declining is not None:
        link = rsvp_open(rsvp_token(declining, sequence=tomorrow.sequence))
        rsvp_record(link=link, answer=Rsvp.DECLINED)
    intake = next(case for case in cases if case.status == CaseStatus.INTAKE)
    resident = intake.participations.get(party__name="Yusuf Demir")
    session_schedule(
        case=intake,
        kind=SessionKind.INTAKE,
        starts_at=start + timedelta(days=3, hours=-9),
        ends_at=start + timedelta(days=3, hours=-8),
        actor=mediator,
        place="Stadskantoor Utrecht, begane grond",
        step_free_access=True,
        accessibility_notes="Een tolk Turks is aanwezig.",
        participations=[resident],
    )
