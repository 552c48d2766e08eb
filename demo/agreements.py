"""Demo cases with an agreement: one in follow-up, one closed after its review.

Built through the services, like the rest of the demo (`demo.data`), so the cases have a
real audit trail, sealed texts and the follow-up reminder in the outbox.
"""

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agreements.models import AgreementAction
from agreements.services import (
    action_add,
    action_review,
    agreement_write,
    approval_by_link,
    approval_record,
    approval_token,
    party_participations,
    summary_consent_record,
    summary_write,
)
from cases.models import Case, Declaration, Outcome
from cases.services import case_assign, case_transition, conflict_declare
from demo.data import demo_kind, hold_joint_session
from mediation.types import User
from parties.services import consent_record, referral_make

FOLLOW_UP_TITLE = "Onrust over de herinrichting van het Merwedeplein"
CLOSED_TITLE = "Wantrouwen tussen marktkooplieden en de afdeling Markten"
DRAFT_TITLE = "Overlast rond de jongerenontmoetingsplek in Kanaleneiland"


def _to_agreement(case: Case, mediator: User) -> Case:
    """Hold a joint session (in the past), then record that the parties reached agreement."""
    hold_joint_session(case, mediator, days_ago=10)
    return case_transition(case=case, name="reach_agreement", actor=mediator)


def _in_sessions(users: dict[str, User], title: str, reason: str, parties: list[dict]) -> Case:
    mediator, supervisor = users["mediator"], users["supervisor"]
    case = referral_make(
        referred_by=users["coordinator"],
        kind=demo_kind("citizen_government"),
        title=title,
        referring_organisation="Gemeente Utrecht",
        referral_reason=reason,
        urgency="normal",
        safety_concern=False,
        parties=parties,
    )
    case_assign(case=case, lead=mediator, co_mediators=[], actor=supervisor)
    conflict_declare(case=case, mediator=mediator, declaration=Declaration.NO_CONFLICT)
    case = case_transition(case=case, name="accept", actor=mediator)
    for participation in party_participations(case):
        consent_record(
            participation=participation,
            signed_on=timezone.localdate() - timedelta(days=40),
            signed_by=participation.party.name,
            actor=mediator,
        )
    return case_transition(case=case, name="start_sessions", actor=mediator)


def _agree(case: Case, mediator: User, text: str, actions: list[tuple[str, int | None, int]]):
    """Write the agreement and its actions: (description, index of the owning party, days)."""
    agreement = agreement_write(case=case, text=text, actor=mediator)
    parties = list(party_participations(case))
    for description, owner, days in actions:
        action_add(
            agreement=agreement,
            description=description,
            owner=parties[owner] if owner is not None else None,
            due_on=timezone.localdate() + timedelta(days=days),
            actor=mediator,
        )
    agreement.refresh_from_db()
    return agreement, parties


@transaction.atomic
def demo_agreements_ensure(
    users: dict[str, User],
    cases: list[Case],
    *,
    reach_agreement: Callable[[Case], Case] | None = None,
) -> list[Case]:
    """Add a case in follow-up (approved agreement) and a closed case with a review, once.

    `users` and `cases` are what `demo_accounts_ensure` and `demo_cases_ensure` return; the
    new cases are returned appended to `cases`. `reach_agreement(case)` moves a case from the
    sessions to the agreement state (e.g. hold a joint session, then run `reach_agreement`);
    without it the transition is run directly when it exists, else the state is set.
    """
    mediator = users["mediator"]
    existing = list(
        Case.objects.filter(
            referred_by=users["coordinator"], title__in=[FOLLOW_UP_TITLE, CLOSED_TITLE, DRAFT_TITLE]
        )
    )
    if existing:
        return [*cases, *(case for case in existing if case not in cases)]
    to_agreement = reach_agreement or (lambda case: _to_agreement(case, mediator))

    # 1. Follow-up: every party approved (one on paper, one through its link); they agreed to
    # share a summary with the coordinator.
    follow_up = to_agreement(
        _in_sessions(
            users,
            FOLLOW_UP_TITLE,
            "Bewoners voelen zich overvallen door de plannen voor het plein.",
            [
                {"kind": "group", "name": "Bewonerscommissie Merwedeplein"},
                {
                    "kind": "government",
                    "name": "Gemeente Utrecht",
                    "organisation": "Openbare Ruimte",
                },
            ],
        )
    )
    agreement, parties = _agree(
        follow_up,
        mediator,
        "De gemeente betrekt de bewonerscommissie bij elk ontwerp voor het plein. "
        "Beide partijen spreken elkaar rechtstreeks aan in plaats van via de media.",
        [
            ("De gemeente stuurt het conceptontwerp naar de commissie.", 1, 14),
            ("De commissie organiseert een bewonersavond over het ontwerp.", 0, 35),
        ],
    )
    approval_record(
        agreement=agreement,
        participation=parties[1],
        decision="approved",
        method="paper",
        decided_on=timezone.localdate() - timedelta(days=1),
        actor=mediator,
    )
    approval_by_link(
        token=approval_token(agreement=agreement, participation=parties[0]), decision="approved"
    )
    summary = summary_write(
        case=follow_up,
        text="De partijen hebben afspraken gemaakt over inspraak bij het ontwerp van het plein.",
        actor=mediator,
    )
    for participation in parties:
        summary_consent_record(
            summary=summary,
            participation=participation,
            agreed_on=timezone.localdate(),
            actor=mediator,
        )
    follow_up = case_transition(case=follow_up, name="start_follow_up", actor=mediator)
    # The demo is set some weeks on: the municipality's action is past its date now, so the
    # mediator's home and to-do list show an overdue action. (No service moves a date into the
    # past: a mediator cannot agree on an action that is already late.)
    AgreementAction.objects.filter(agreement=agreement, owner=parties[1]).update(
        due_on=timezone.localdate() - timedelta(days=3)
    )

    # 2. Closed after the follow-up review: partial agreement.
    closed = to_agreement(
        _in_sessions(
            users,
            CLOSED_TITLE,
            "Marktkooplieden voelen zich niet gehoord over de nieuwe standplaatsregels.",
            [
                {"kind": "group", "name": "Vereniging Marktkooplieden Vredenburg"},
                {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Markten"},
            ],
        )
    )
    agreement, parties = _agree(
        closed,
        mediator,
        "De afdeling Markten legt nieuwe regels eerst voor aan de vereniging.",
        [
            ("De afdeling Markten stelt een vast aanspreekpunt aan.", 1, 7),
            ("De vereniging levert een lijst met knelpunten aan.", 0, 7),
        ],
    )
    for participation in parties:
        approval_record(
            agreement=agreement,
            participation=participation,
            decision="approved",
            method="paper",
            decided_on=timezone.localdate(),
            actor=mediator,
        )
    closed = case_transition(case=closed, name="start_follow_up", actor=mediator)
    first, second = agreement.actions.order_by("id")
    action_review(action=first, status="done", comment="Aanspreekpunt is bekend.", actor=mediator)
    action_review(
        action=second,
        status="partly_done",
        comment="Lijst is gedeeltelijk aangeleverd.",
        actor=mediator,
    )
    closed = case_transition(
        case=closed, name="close", actor=mediator, outcome=Outcome.PARTIAL_AGREEMENT
    )

    # 3. Agreement: the text and actions are drafted; the parties have not approved yet.
    drafting = to_agreement(
        _in_sessions(
            users,
            DRAFT_TITLE,
            "Jongeren en omwonenden verwijten elkaar overlast; de gemeente wordt door beide "
            "kanten partijdig gevonden.",
            [
                {"kind": "group", "name": "Jongerenwerk Kanaleneiland"},
                {"kind": "group", "name": "Bewonersplatform Kanaleneiland-Zuid"},
            ],
        )
    )
    _agree(
        drafting,
        mediator,
        "De ontmoetingsplek blijft; na 22.00 uur is het er stil.",
        [("Het jongerenwerk spreekt de groep aan op de afspraak.", 0, 14)],
    )
    return [*cases, follow_up, closed, drafting]
