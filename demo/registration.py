"""Demo mediations over the last three years, so that the demo mediator's registration report
(dossier.registration) crosses the MfN register's minimums.

With the cases of `demo.data` and `demo.agreements`, the demo mediator (Mehmet Yilmaz) has
in the last three years: 9 mediations as lead (the closed case with partial agreement and the 8
cases here), 3 of them with a written agreement, and 40 contact hours (8 h on the cases of the
other demo modules, 32 h here). The co-mediator (Sanne Bakker) is co-mediator on 4 of them, one
more than counts. One more case ended three years and a month ago: outside the period.

Built through the services like the rest of the demo. The services close a case today and
record sessions only in the past, so each case is built with sessions dated back, then its end
date is set back to after its last session (no service moves an end date: a mediator closes a
case on the day it ends).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from agreements.services import (
    action_add,
    action_review,
    agreement_write,
    approval_record,
    party_participations,
)
from cases.models import Case, Declaration, Outcome
from cases.services import case_assign, case_transition, conflict_declare
from demo.data import demo_kind
from mediation.types import User
from parties.services import consent_record, referral_make
from scheduling.models import SessionChannel, SessionKind
from scheduling.services import session_record


@dataclass(frozen=True)
class PastMediation:
    title: str
    outcome: Outcome
    ended_days_ago: int
    with_comediator: bool = False
    # Two held sessions of two hours each, this many days before the end.
    session_hours: tuple[int, int] = (2, 2)


PAST_MEDIATIONS = (
    PastMediation("Onenigheid over de bomenkap in het Wilhelminapark", Outcome.FULL_AGREEMENT, 60),
    PastMediation(
        "Wantrouwen over de opvanglocatie aan de Europalaan",
        Outcome.FULL_AGREEMENT,
        400,
        with_comediator=True,
    ),
    PastMediation(
        "Geluidsoverlast van het muziekcafé aan de Oudegracht", Outcome.NO_AGREEMENT, 120
    ),
    PastMediation(
        "Spanning tussen twee sportverenigingen over het veld",
        Outcome.NO_AGREEMENT,
        300,
        with_comediator=True,
    ),
    PastMediation("Parkeerbeleid in Lombok", Outcome.NO_AGREEMENT, 700, with_comediator=True),
    PastMediation("Onvrede over de vuilophaal in Overvecht", Outcome.NO_AGREEMENT, 900),
    PastMediation(
        "Conflict over de kerkklokken in Tuindorp",
        Outcome.WITHDRAWN,
        200,
        with_comediator=True,
    ),
    PastMediation("Klachten over de markt op het Vredenburgplein", Outcome.WITHDRAWN, 1000),
)
# Ended three years and a month ago: outside the report's default period.
EARLIER_MEDIATION = PastMediation(
    "Ruzie over de volkstuinen aan de Vecht", Outcome.NO_AGREEMENT, 3 * 365 + 31
)


def _held_sessions(case: Case, spec: PastMediation, mediators: list[User]) -> None:
    """Two joint sessions, a week apart, the last one a week before the case ended."""
    for weeks, hours in zip((2, 1), spec.session_hours, strict=True):
        start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
        session_record(
            case=case,
            kind=SessionKind.JOINT,
            channel=SessionChannel.IN_PERSON,
            starts_at=start - timedelta(days=spec.ended_days_ago + 7 * weeks),
            duration_minutes=hours * 60,
            actor=mediators[0],
            place="Stadskantoor Utrecht",
            participations=list(party_participations(case)),
            mediators=mediators,
        )


def _mediation(users: dict[str, User], spec: PastMediation) -> Case:
    mediator, comediator = users["mediator"], users["comediator"]
    mediators = [mediator, comediator] if spec.with_comediator else [mediator]
    case = referral_make(
        referred_by=users["coordinator"],
        kind=demo_kind("citizen_government"),
        title=spec.title,
        referring_organisation="Gemeente Utrecht",
        referral_reason="Bewoners en gemeente vertrouwen elkaar niet meer.",
        urgency="normal",
        safety_concern=False,
        parties=[
            {"kind": "group", "name": f"Bewonersgroep ({spec.title})"},
            {"kind": "government", "name": "Gemeente Utrecht", "organisation": "Wijkzaken"},
        ],
    )
    case_assign(case=case, lead=mediator, co_mediators=mediators[1:], actor=users["supervisor"])
    for person in mediators:
        conflict_declare(case=case, mediator=person, declaration=Declaration.NO_CONFLICT)
    case = case_transition(case=case, name="accept", actor=mediator)
    for participation in party_participations(case):
        consent_record(
            participation=participation,
            signed_on=timezone.localdate() - timedelta(days=spec.ended_days_ago + 30),
            signed_by=participation.party.name,
            actor=mediator,
        )
    case = case_transition(case=case, name="start_sessions", actor=mediator)
    _held_sessions(case, spec, mediators)
    if spec.outcome == Outcome.FULL_AGREEMENT:
        case = _agreed(case, mediator)
    elif spec.outcome == Outcome.NO_AGREEMENT:
        case = case_transition(
            case=case,
            name="end_without_agreement",
            actor=mediator,
            reason="De partijen kwamen er samen niet uit.",
        )
    else:
        case = case_transition(
            case=case, name="withdraw", actor=mediator, reason="Een partij stopte."
        )
    ended_on = timezone.localdate() - timedelta(days=spec.ended_days_ago)
    Case.objects.filter(pk=case.pk).update(
        ended_on=ended_on, referred_on=ended_on - timedelta(days=60)
    )
    case.refresh_from_db()
    return case


def _agreed(case: Case, mediator: User) -> Case:
    """Agreement written, approved on paper by every party, reviewed and closed."""
    case = case_transition(case=case, name="reach_agreement", actor=mediator)
    agreement = agreement_write(
        case=case, text="De partijen spreken elkaar voortaan rechtstreeks aan.", actor=mediator
    )
    action_add(
        agreement=agreement,
        description="De gemeente belt de bewonersgroep elke maand.",
        owner=None,
        due_on=timezone.localdate() + timedelta(days=7),
        actor=mediator,
    )
    agreement.refresh_from_db()
    for participation in party_participations(case):
        approval_record(
            agreement=agreement,
            participation=participation,
            decision="approved",
            method="paper",
            decided_on=timezone.localdate(),
            actor=mediator,
        )
    case = case_transition(case=case, name="start_follow_up", actor=mediator)
    for action in agreement.actions.all():
        action_review(action=action, status="done", comment="Gebeurt.", actor=mediator)
    return case_transition(case=case, name="close", actor=mediator, outcome=Outcome.FULL_AGREEMENT)


@transaction.atomic
def demo_registration_ensure(users: dict[str, User]) -> list[Case]:
    """Add the past mediations of the demo mediator, once; return them (the earlier one last)."""
    specs = (*PAST_MEDIATIONS, EARLIER_MEDIATION)
    titles = [spec.title for spec in specs]
    existing = {
        case.title: case
        for case in Case.objects.filter(referred_by=users["coordinator"], title__in=titles)
    }
    if existing:
        return [existing[title] for title in titles if title in existing]
    return [_mediation(users, spec) for spec in specs]
